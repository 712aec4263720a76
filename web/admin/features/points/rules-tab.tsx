import { useRef, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RULE_CODE_PATTERN, type EarningRule, type EarningRuleInput, type PointsSettings } from '@contracts/points';
import { i18n } from '@ui/i18n';
import { ErrorResult } from '../../shared/query-state';
import { applyServerErrors } from '../../shared/form-errors';
import { useRules, useSaveRule, useSaveSettings, useSettings, useSponsors } from './api';
import { formatTime } from './shared';

/** A rule's name: the translated built-in name, else the title the operator gave it. */
export function ruleName(rule: Pick<EarningRule, 'code' | 'title' | 'builtIn'>): string {
  const key = `admin:points.ruleCodes.${rule.code}`;
  return rule.builtIn && i18n.exists(key) ? i18n.t(key) : rule.title;
}

/** 积分规则: points per unit, caps and the paying account of each rule, then the expiry and pick-up settings. */
export function RulesTab({ canConfigure }: { canConfigure: boolean }) {
  const { t } = useTranslation();
  const rules = useRules();
  const [editing, setEditing] = useState<EarningRule | 'new'>();

  const cap = (v: number | null) => (v === null ? <Typography.Text type="secondary">{t('points.unlimited')}</Typography.Text> : v);
  const columns: TableColumnsType<EarningRule> = [
    {
      title: t('points.rules.columns.rule'),
      key: 'rule',
      render: (_, r) => (
        <>
          <div>
            {ruleName(r)} {r.customised && <Tag color="blue">{t('points.rules.customised')}</Tag>}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
            {r.code}
          </Typography.Text>
        </>
      ),
    },
    { title: t('points.rules.columns.points'), key: 'points', width: 150, render: (_, r) => t('points.rules.perUnit', { points: r.pointsPerUnit, unit: r.unit }) },
    { title: t('points.rules.columns.dailyCap'), dataIndex: 'dailyCap', width: 110, render: cap },
    { title: t('points.rules.columns.monthlyCap'), dataIndex: 'monthlyCap', width: 110, render: cap },
    {
      title: t('points.rules.columns.sponsor'),
      key: 'sponsor',
      width: 170,
      render: (_, r) => (r.sponsor ? t('points.rules.fromSponsor', { name: r.sponsor.name }) : <Typography.Text type="secondary">{t('points.rules.issuance')}</Typography.Text>),
    },
    { title: t('points.rules.columns.active'), dataIndex: 'active', width: 80, render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
    { title: t('points.rules.columns.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string | null) => formatTime(v) },
    ...(canConfigure
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            fixed: 'right' as const,
            render: (_: unknown, r: EarningRule) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={`${t('points.rules.edit')} ${ruleName(r)}`}>
                {t('points.rules.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, flexWrap: 'wrap' }}>
        <Typography.Text type="secondary">{t('points.rules.intro')}</Typography.Text>
        {canConfigure && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('points.rules.add')}
          </Button>
        )}
      </div>
      {rules.isError ? (
        <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Table<EarningRule> rowKey="code" data-testid="points-rules-table" columns={columns} dataSource={rules.data} loading={rules.isFetching} pagination={false} scroll={{ x: 1000 }} />
      )}
      <SettingsCard editable={canConfigure} />
      {editing && <RuleModal key={editing === 'new' ? 'new' : editing.code} rule={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} />}
    </Space>
  );
}

interface RuleValues {
  code: string;
  title: string;
  pointsPerUnit: number;
  unit: string;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  active: boolean;
  sponsorId?: string | null;
}

function RuleModal({ rule, onClose }: { rule?: EarningRule; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<RuleValues>>(null);
  const save = useSaveRule();
  const sponsors = useSponsors();

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!v) return;
    const body: EarningRuleInput = {
      title: v.title.trim(),
      pointsPerUnit: v.pointsPerUnit,
      unit: v.unit.trim(),
      dailyCap: v.dailyCap ?? null,
      monthlyCap: v.monthlyCap ?? null,
      active: v.active,
      sponsorId: v.sponsorId ?? null,
    };
    try {
      await save.mutateAsync({ code: rule?.code ?? v.code.trim(), body });
      void message.success(t('points.rules.saved'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={rule ? t('points.rules.editTitle', { title: ruleName(rule) }) : t('points.rules.addTitle')}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: save.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<RuleValues>
        ref={formRef}
        layout="vertical"
        preserve={false}
        initialValues={
          rule
            ? { code: rule.code, title: rule.title, pointsPerUnit: rule.pointsPerUnit, unit: rule.unit, dailyCap: rule.dailyCap, monthlyCap: rule.monthlyCap, active: rule.active, sponsorId: rule.sponsor?.id ?? null }
            : { pointsPerUnit: 10, unit: '次', active: true }
        }
      >
        {!rule && (
          <Form.Item name="code" label={t('points.rules.code')} extra={t('points.rules.codeHint')} rules={[{ required: true, pattern: new RegExp(RULE_CODE_PATTERN), message: t('points.rules.codeInvalid') }]}>
            <Input maxLength={40} style={{ fontFamily: 'monospace' }} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('points.rules.ruleTitle')} rules={[{ required: true, whitespace: true, min: 2, max: 40, message: t('points.rules.titleInvalid') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="pointsPerUnit" label={t('points.rules.pointsPerUnit')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="unit" label={t('points.rules.unit')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('points.rules.unitRequired') }]}>
            <Input maxLength={10} placeholder={t('points.rules.unitPlaceholder')} />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="dailyCap" label={t('points.rules.dailyCap')} extra={t('points.rules.capHint')} style={{ flex: 1 }}>
            <InputNumber min={1} max={1000000} precision={0} style={{ width: '100%' }} placeholder={t('points.unlimited')} />
          </Form.Item>
          <Form.Item name="monthlyCap" label={t('points.rules.monthlyCap')} extra={t('points.rules.capHint')} style={{ flex: 1 }}>
            <InputNumber min={1} max={10000000} precision={0} style={{ width: '100%' }} placeholder={t('points.unlimited')} />
          </Form.Item>
        </div>
        <Form.Item name="sponsorId" label={t('points.rules.sponsor')} extra={t('points.rules.sponsorHint')}>
          <Select
            allowClear
            loading={sponsors.isFetching}
            placeholder={t('points.rules.issuance')}
            options={(sponsors.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.balance}）` }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t('points.rules.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SettingsCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useSettings();
  const save = useSaveSettings();
  const [form] = Form.useForm<PointsSettings>();
  const expiryOn = Form.useWatch(['expiry', 'enabled'], form);

  if (settings.isError) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Card loading title={t('points.settings.title')} />;

  async function submit(v: PointsSettings) {
    try {
      // the partner thresholds are edited on their own tab: keep them as they are
      await save.mutateAsync({ ...settings.data!, ...v, partner: settings.data!.partner });
      void message.success(t('points.settings.saved'));
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Card title={t('points.settings.title')} size="small">
      <Form<PointsSettings> form={form} layout="vertical" initialValues={settings.data} onFinish={(v) => void submit(v)} disabled={!editable} style={{ maxWidth: 640 }} data-testid="points-settings">
        <Space size="large" wrap align="start">
          <Form.Item name={['expiry', 'enabled']} label={t('points.settings.expiry')} valuePropName="checked" extra={t('points.settings.expiryHint')} style={{ maxWidth: 280 }}>
            <Switch />
          </Form.Item>
          <Form.Item name={['expiry', 'months']} label={t('points.settings.months')} rules={[{ required: true }]}>
            <InputNumber min={1} max={120} precision={0} disabled={!expiryOn} suffix={t('points.settings.monthsSuffix')} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Space size="large" wrap align="start">
          <Form.Item name="pickupWindowDays" label={t('points.settings.pickupWindow')} extra={t('points.settings.pickupWindowHint')} rules={[{ required: true }]} style={{ maxWidth: 360 }}>
            <InputNumber min={1} max={365} precision={0} suffix={t('points.settings.days')} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="leaderboardSize" label={t('points.settings.leaderboardSize')} rules={[{ required: true }]}>
            <InputNumber min={3} max={100} precision={0} suffix={t('points.settings.people')} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('points.settings.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
