import { useState } from 'react';
import { App, AutoComplete, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { REPORT_DEFAULTS, type CategoryInput, type ReportCategory } from '@contracts/reports';
import { applyServerErrors } from '../../shared/form-errors';
import { ErrorResult } from '../../shared/query-state';
import { useCategories, useEarningRules, useSaveCategory } from './api';
import { useLabel } from './shared';

const groups = ['traffic', 'facility', 'safety', 'environment', 'rights', 'other'] as const;
const CODE = /^[a-z][a-z0-9_]{1,39}$/;

type Editing = { mode: 'create' } | { mode: 'edit'; category: ReportCategory };

/** 问题类别: names, the short list, quick tags, points rule, nearby hint, deadline and cluster rule per category. */
export function CategoriesTab({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const q = useCategories();
  const [editing, setEditing] = useState<Editing>();
  const en = i18n.language === 'en';

  if (q.isError && !q.data) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  const columns: TableColumnsType<ReportCategory> = [
    {
      // the name in the reader's language (the column is not the Chinese name in English)
      title: t('reports.columns.category'),
      key: 'name',
      render: (_, c) => (
        <div>
          <Typography.Text strong>{en ? c.nameEn : c.nameZh}</Typography.Text> {c.riderFirst && <Tag color="orange">{t('reports.categories.riderFirst')}</Tag>}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
              {c.code}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('reports.categories.group'), dataIndex: 'group', width: 90, render: (g: string) => label('categories.groups', g) },
    { title: t('reports.categories.quickTags'), dataIndex: 'quickTags', render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('reports.categories.pointsRule'), dataIndex: 'pointsRule', width: 130, render: (v: string) => <code>{v}</code> },
    { title: t('reports.categories.dedupe'), key: 'dedupe', width: 120, render: (_, c) => t('reports.categories.dedupeValue', { m: c.dedupeRadiusM, n: c.dedupeMax }) },
    { title: t('reports.categories.deadlineWorkingDays'), dataIndex: 'deadlineWorkingDays', width: 120, render: (d: number) => t('reports.categories.deadlineValue', { days: d }) },
    { title: t('reports.categories.cluster'), key: 'cluster', width: 170, render: (_, c) => t('reports.categories.clusterValue', { n: c.clusterMin, m: c.clusterRadiusM, days: c.clusterDays }) },
    { title: t('reports.categories.active'), dataIndex: 'active', width: 70, render: (a: boolean) => (a ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 80,
            render: (_: unknown, c: ReportCategory) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', category: c })} aria-label={`${t('reports.categories.edit')} ${c.nameZh}`}>
                {t('reports.categories.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {canEdit && (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
            {t('reports.categories.add')}
          </Button>
        </div>
      )}
      <Table rowKey="code" data-testid="categories-table" columns={columns} dataSource={q.data} loading={q.isFetching} pagination={false} scroll={{ x: 1100 }} />
      <CategoryModal editing={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

type Values = CategoryInput & { code: string };

function CategoryModal({ editing, onClose }: { editing: Editing | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [form] = Form.useForm<Values>();
  const save = useSaveCategory();
  const rules = useEarningRules(!!editing);
  const current = editing?.mode === 'edit' ? editing.category : undefined;
  const initial: Partial<Values> = current ?? {
    group: 'other',
    riderFirst: false,
    sort: 100,
    quickTags: [],
    pointsRule: 'valid_report',
    dedupeRadiusM: REPORT_DEFAULTS.dedupeRadiusM,
    dedupeMax: REPORT_DEFAULTS.dedupeMax,
    deadlineWorkingDays: REPORT_DEFAULTS.deadlineWorkingDays,
    clusterMin: 5,
    clusterRadiusM: 300,
    clusterDays: 30,
    active: true,
  };

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    const { code, ...body } = v;
    try {
      await save.mutateAsync({ code: current?.code ?? code, body: { ...body, nameZh: body.nameZh.trim(), nameEn: body.nameEn.trim(), quickTags: body.quickTags ?? [] } });
      void message.success(t('reports.categories.saved'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'reports.points_rule_not_found': 'pointsRule' });
      if (rest) void message.error(rest);
    }
  }

  const num = (name: keyof Values, text: string, min: number, max: number) => (
    <Col span={8}>
      <Form.Item name={name} label={text} rules={[{ required: true }]}>
        <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open={!!editing}
      title={current ? t('reports.categories.editTitle', { name: current.nameZh }) : t('reports.categories.addTitle')}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: save.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={720}
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initial} data-testid="category-form">
        <Row gutter={16}>
          {!current && (
            <Col span={24}>
              <Form.Item name="code" label={t('reports.categories.code')} extra={t('reports.categories.codeHint')} rules={[{ required: true, pattern: CODE, message: t('reports.categories.codeInvalid') }]}>
                <Input maxLength={40} />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="nameZh" label={t('reports.categories.nameZh')} rules={[{ required: true, whitespace: true, max: 40 }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameEn" label={t('reports.categories.nameEn')} rules={[{ required: true, whitespace: true, max: 80 }]}>
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="group" label={t('reports.categories.group')} rules={[{ required: true }]}>
              <Select options={groups.map((g) => ({ value: g, label: label('categories.groups', g) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sort" label={t('reports.categories.sort')} rules={[{ required: true }]}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="pointsRule" label={t('reports.categories.pointsRule')} rules={[{ required: true, pattern: CODE, message: t('reports.categories.codeInvalid') }]}>
              <AutoComplete options={(rules.data ?? []).map((r) => ({ value: r.code, label: `${r.code} · ${r.title}` }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="quickTags" label={t('reports.categories.quickTags')} extra={t('reports.categories.quickTagsHint')}>
              <Select mode="tags" maxCount={12} open={false} tokenSeparators={[',', '，']} />
            </Form.Item>
          </Col>
          {num('dedupeRadiusM', t('reports.categories.dedupeRadiusM'), 10, 5000)}
          {num('dedupeMax', t('reports.categories.dedupeMax'), 0, 20)}
          {num('deadlineWorkingDays', t('reports.categories.deadlineWorkingDays'), 1, 60)}
          {num('clusterMin', t('reports.categories.clusterMin'), 2, 100)}
          {num('clusterRadiusM', t('reports.categories.clusterRadiusM'), 10, 10000)}
          {num('clusterDays', t('reports.categories.clusterDays'), 1, 365)}
          <Col span={12}>
            <Form.Item name="riderFirst" label={t('reports.categories.riderFirst')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="active" label={t('reports.categories.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
