import { useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { appealTypes, type AppealRule, type AppealRuleInput, type AppealSettings } from '@contracts/appeals';
import { errorMessage } from '@ui/i18n';
import { ErrorResult } from '../../shared/query-state';
import { useDepartments } from '../../shared/departments-query';
import { mono } from '../../shared/format';
import { useRules, useSaveRule, useSaveSettings, useSettings } from './api';
import { StaffSelect } from './staff-select';
import { applyMappedErrors, useLabel } from './shared';

/** Operators: the "1+2+3" assignment rules (add, edit, disable) and the deadline settings. */
export function RulesTab() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <RulesEditor />
      <SettingsForm />
    </Space>
  );
}

const PEOPLE = ['stationHeadId', 'streetOfficerId', 'industryOfficerId'] as const;

const inputOf = (r: AppealRule, patch: Partial<AppealRuleInput> = {}): AppealRuleInput => ({
  type: r.type,
  areaPrefix: r.areaPrefix,
  stationHeadId: r.stationHeadId,
  streetOfficerId: r.streetOfficerId,
  industryOfficerId: r.industryOfficerId,
  departmentId: r.departmentId,
  priority: r.priority,
  active: r.active,
  note: r.note,
  ...patch,
});

function RulesEditor() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const q = useRules();
  const save = useSaveRule();
  const [editing, setEditing] = useState<AppealRule | 'new' | null>(null);
  const departmentName = useDepartmentName();
  if (q.isError && !q.data) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const person = (r: AppealRule, id: string | null) => (id ? (r.names[id] ?? <span style={mono}>{id.slice(0, 8)}</span>) : '—');

  async function toggle(r: AppealRule) {
    try {
      await save.mutateAsync({ id: r.id, body: inputOf(r, { active: !r.active }) });
      void message.success(t('appeals.rules.saved'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Card
      title={t('appeals.rules.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-add">
          {t('appeals.rules.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('appeals.rules.help')}</Typography.Paragraph>
      <Table<AppealRule>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data}
        pagination={false}
        data-testid="appeal-rules"
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:states.empty')} /> }}
        columns={[
          { title: t('appeals.rules.type'), dataIndex: 'type', render: (v: string | null) => (v ? label('types', v) : t('appeals.rules.anyType')) },
          { title: t('appeals.rules.area'), dataIndex: 'areaPrefix', render: (v: string) => <span style={mono}>{v}</span> },
          { title: t('appeals.rules.stationHead'), dataIndex: 'stationHeadId', render: (v: string | null, r) => person(r, v) },
          { title: t('appeals.rules.streetOfficer'), dataIndex: 'streetOfficerId', render: (v: string | null, r) => person(r, v) },
          { title: t('appeals.rules.industryOfficer'), dataIndex: 'industryOfficerId', render: (v: string | null, r) => person(r, v) },
          { title: t('appeals.rules.department'), dataIndex: 'departmentId', render: (v: string | null) => (v ? departmentName(v) : '—') },
          { title: t('appeals.rules.priority'), dataIndex: 'priority', align: 'right' },
          { title: t('appeals.rules.active'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? '✓' : '—'}</Tag> },
          { title: t('appeals.rules.note'), dataIndex: 'note', ellipsis: true },
          {
            title: t('appeals.rules.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, r) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`rule-edit-${r.areaPrefix}`}>
                  {t('appeals.rules.edit')}
                </Button>
                <Button type="link" size="small" danger={r.active} onClick={() => void toggle(r)} data-testid={`rule-toggle-${r.areaPrefix}`}>
                  {r.active ? t('appeals.rules.disable') : t('appeals.rules.enable')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {/* one form per rule opened: its initial values are the rule's */}
      <RuleModal key={editing === 'new' ? 'new' : (editing?.id ?? 'none')} rule={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}

/** A department's name in the console's language (its id while the list loads). */
function useDepartmentName() {
  const { i18n } = useTranslation();
  const departments = useDepartments();
  return (id: string) => {
    const d = departments.data?.find((x) => x.id === id);
    if (!d) return <span style={mono}>{id.slice(0, 8)}</span>;
    return i18n.language.startsWith('en') ? d.nameEn || d.nameZh : d.nameZh;
  };
}

interface RuleValues {
  type?: AppealRuleInput['type'];
  areaPrefix: string;
  stationHeadId?: string;
  streetOfficerId?: string;
  industryOfficerId?: string;
  departmentId?: string;
  priority?: number;
  active: boolean;
  note?: string;
}

function RuleModal({ rule, onClose }: { rule: AppealRule | 'new' | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [form] = Form.useForm<RuleValues>();
  const save = useSaveRule();
  const departments = useDepartments();
  const { i18n } = useTranslation();
  const existing = rule && rule !== 'new' ? rule : undefined;
  const known = existing ? Object.entries(existing.names).map(([value, name]) => ({ value, label: name })) : [];

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    const body: AppealRuleInput = {
      type: v.type ?? null,
      areaPrefix: v.areaPrefix.trim(),
      stationHeadId: v.stationHeadId ?? null,
      streetOfficerId: v.streetOfficerId ?? null,
      industryOfficerId: v.industryOfficerId ?? null,
      departmentId: v.departmentId ?? null,
      priority: v.priority ?? 0,
      active: v.active,
      note: v.note?.trim() ?? '',
    };
    try {
      await save.mutateAsync({ id: existing?.id, body });
      void message.success(t('appeals.rules.saved'));
      onClose();
    } catch (e) {
      const rest = applyMappedErrors(form, e, {}, { 'areas.out_of_scope': 'areaPrefix', 'appeals.staff_not_found': 'stationHeadId', 'appeals.department_not_found': 'departmentId' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!rule}
      title={existing ? t('appeals.rules.edit') : t('appeals.rules.add')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('appeals.rules.save')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'rule-save' } as never}
      cancelText={t('common:actions.cancel')}
      destroyOnHidden
      width={640}
    >
      <Form<RuleValues>
        form={form}
        layout="vertical"
        preserve={false}
        data-testid="rule-form"
        initialValues={
          existing
            ? { type: existing.type, areaPrefix: existing.areaPrefix, stationHeadId: existing.stationHeadId ?? undefined, streetOfficerId: existing.streetOfficerId ?? undefined, industryOfficerId: existing.industryOfficerId ?? undefined, departmentId: existing.departmentId ?? undefined, priority: existing.priority, active: existing.active, note: existing.note }
            : { active: true, priority: 0 }
        }
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="type" label={t('appeals.rules.type')}>
              <Select allowClear placeholder={t('appeals.rules.anyType')} options={appealTypes.map((x) => ({ value: x, label: label('types', x) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="areaPrefix" label={t('appeals.rules.area')} rules={[{ required: true, pattern: /^\d{4,12}$/, message: t('appeals.rules.areaRequired') }]}>
              <Input inputMode="numeric" maxLength={12} style={mono} />
            </Form.Item>
          </Col>
        </Row>
        {PEOPLE.map((name) => (
          <Form.Item key={name} name={name} label={t(`appeals.rules.${name.replace(/Id$/, '')}`)}>
            <StaffSelect allowClear known={known} data-testid={`rule-${name}`} />
          </Form.Item>
        ))}
        <Form.Item name="departmentId" label={t('appeals.rules.department')} extra={t('appeals.rules.departmentHelp')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.isLoading}
            placeholder={t('appeals.rules.noDepartment')}
            data-testid="rule-departmentId"
            options={(departments.data ?? []).filter((d) => d.active || d.id === existing?.departmentId).map((d) => ({ value: d.id, label: i18n.language.startsWith('en') ? d.nameEn || d.nameZh : d.nameZh }))}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="priority" label={t('appeals.rules.priority')}>
              <InputNumber precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="active" label={t('appeals.rules.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('appeals.rules.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type SettingsValues = Record<string, number | null>;
const dayField = (type: string) => `days_${type}`;
const settingsPaths = Object.fromEntries(appealTypes.map((x) => [`resolveDays.${x}`, dayField(x)]));

/** 办理期限: the city's acknowledge hours, reminder windows and resolve working days per type. */
function SettingsForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const q = useSettings();
  const save = useSaveSettings();
  const [form] = Form.useForm<SettingsValues>();
  if (q.isError && !q.data) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Card loading title={t('appeals.settings.title')} />;
  const s = q.data;
  const initial: SettingsValues = { ackHours: s.ackHours, ackRemindHoursBefore: s.ackRemindHoursBefore, resolveRemindHoursBefore: s.resolveRemindHoursBefore, ...Object.fromEntries(appealTypes.map((x) => [dayField(x), s.resolveDays[x]])) };
  const required = (min: number, max: number) => [{ required: true, message: t('appeals.settings.required', { min, max }) }];

  async function submit(v: SettingsValues) {
    const body = {
      ackHours: v.ackHours,
      ackRemindHoursBefore: v.ackRemindHoursBefore,
      resolveRemindHoursBefore: v.resolveRemindHoursBefore,
      resolveDays: Object.fromEntries(appealTypes.map((x) => [x, v[dayField(x)]])),
    } as AppealSettings;
    try {
      await save.mutateAsync(body);
      void message.success(t('appeals.settings.saved'));
    } catch (e) {
      const rest = applyMappedErrors(form, e, settingsPaths);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Card title={t('appeals.settings.title')}>
      <Typography.Paragraph type="secondary">{t('appeals.settings.help')}</Typography.Paragraph>
      <Form<SettingsValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} data-testid="appeal-settings">
        <Row gutter={12}>
          {(['ackHours', 'ackRemindHoursBefore', 'resolveRemindHoursBefore'] as const).map((name) => (
            <Col key={name} xs={24} md={8}>
              <Form.Item name={name} label={t(`appeals.settings.${name}`)} rules={required(name === 'ackHours' ? 1 : 0, 720)}>
                <InputNumber precision={0} style={{ width: '100%' }} aria-label={t(`appeals.settings.${name}`)} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Typography.Title level={5}>{t('appeals.settings.resolveDays')}</Typography.Title>
        <Row gutter={12}>
          {appealTypes.map((x) => (
            <Col key={x} xs={12} md={6}>
              <Form.Item name={dayField(x)} label={label('types', x)} rules={required(1, 120)}>
                <InputNumber precision={0} style={{ width: '100%' }} aria-label={label('types', x)} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save">
          {t('appeals.settings.save')}
        </Button>
      </Form>
    </Card>
  );
}
