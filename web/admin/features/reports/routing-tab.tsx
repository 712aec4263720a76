import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RoutingRule, RoutingRuleInput } from '@contracts/reports';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { useDepartments } from '../../shared/departments-query';
import { applyServerErrors } from '../../shared/form-errors';
import { ErrorResult } from '../../shared/query-state';
import { useRoutingMutations, useRoutingRules } from './api';
import { formatTime, useCategoryNames } from './shared';

const ANY = '__any__';

type Editing = { mode: 'create' } | { mode: 'edit'; rule: RoutingRule };

/** 分流规则: category × area → department (and street), with the rule's priority. */
export function RoutingTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useRoutingRules();
  const { remove } = useRoutingMutations();
  const { name: categoryName } = useCategoryNames();
  const [editing, setEditing] = useState<Editing>();

  if (q.isError && !q.data) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  const columns: TableColumnsType<RoutingRule> = [
    { title: t('reports.routing.category'), dataIndex: 'category', render: (c: string | null) => (c ? categoryName(c) : <Tag>{t('reports.routing.anyCategory')}</Tag>) },
    { title: t('reports.routing.area'), dataIndex: 'areaName', render: (n: string, r) => `${n} (${r.areaPrefix})` },
    { title: t('reports.routing.department'), dataIndex: 'departmentName' },
    { title: t('reports.routing.street'), dataIndex: 'streetCode', width: 120, render: (s: string | null) => s ?? '—' },
    { title: t('reports.routing.priority'), dataIndex: 'priority', width: 80, align: 'right' },
    { title: t('reports.routing.active'), dataIndex: 'active', width: 70, render: (a: boolean) => (a ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
    { title: t('reports.routing.note'), dataIndex: 'note', ellipsis: true },
    { title: t('reports.routing.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string) => formatTime(v) },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, r: RoutingRule) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', rule: r })}>
                  {t('reports.routing.edit')}
                </Button>
                <Popconfirm
                  title={t('reports.routing.deleteConfirm')}
                  okText={t('reports.routing.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common:actions.cancel')}
                  onConfirm={async () => {
                    try {
                      await remove.mutateAsync(r.id);
                      void message.success(t('reports.routing.deleted'));
                    } catch (e) {
                      void message.error(errorMessage(e));
                    }
                  }}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    {t('reports.routing.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Alert type="info" showIcon message={t('reports.routing.intro')} style={{ marginBottom: 12 }} />
      {canEdit && (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
            {t('reports.routing.add')}
          </Button>
        </div>
      )}
      <Table rowKey="id" data-testid="routing-table" columns={columns} dataSource={q.data} loading={q.isFetching} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 1100 }} />
      <RuleModal editing={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

interface Values {
  category: string;
  areaPrefix?: string;
  departmentId?: string;
  streetCode?: string;
  priority: number;
  active: boolean;
  note?: string;
}

function RuleModal({ editing, onClose }: { editing: Editing | undefined; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const [form] = Form.useForm<Values>();
  const { create, update } = useRoutingMutations();
  const departments = useDepartments(!!editing);
  const { categories } = useCategoryNames();
  const en = i18n.language === 'en';
  const rule = editing?.mode === 'edit' ? editing.rule : undefined;
  const initial: Values = rule
    ? { category: rule.category ?? ANY, areaPrefix: rule.areaPrefix, departmentId: rule.departmentId, streetCode: rule.streetCode ?? undefined, priority: rule.priority, active: rule.active, note: rule.note }
    : { category: ANY, priority: 100, active: true };

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    const body: RoutingRuleInput = {
      category: v.category === ANY ? null : v.category,
      areaPrefix: v.areaPrefix!,
      departmentId: v.departmentId!,
      streetCode: v.streetCode ?? null,
      priority: v.priority,
      active: v.active,
      note: v.note?.trim() ?? '',
    };
    try {
      if (rule) await update.mutateAsync({ id: rule.id, body });
      else await create.mutateAsync(body);
      void message.success(t('reports.routing.saved'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'reports.department_not_found': 'departmentId' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!editing}
      title={rule ? t('reports.routing.editTitle') : t('reports.routing.addTitle')}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: create.isPending || update.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initial} data-testid="routing-form">
        <Form.Item name="category" label={t('reports.routing.category')}>
          <Select options={[{ value: ANY, label: t('reports.routing.anyCategory') }, ...categories.map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh }))]} />
        </Form.Item>
        <Form.Item name="areaPrefix" label={t('reports.routing.area')} rules={[{ required: true, message: t('reports.routing.areaRequired') }]}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('reports.routing.department')} rules={[{ required: true, message: t('reports.modals.departmentRequired') }]}>
          <Select showSearch optionFilterProp="label" options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: en ? d.nameEn : d.nameZh }))} />
        </Form.Item>
        <Form.Item name="streetCode" label={t('reports.routing.street')} extra={t('reports.routing.streetHint')} rules={[{ pattern: /^\d{9}$/, message: t('reports.routing.streetInvalid') }]}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} maxLength={9} />
        </Form.Item>
        <Space size={24}>
          <Form.Item name="priority" label={t('reports.routing.priority')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1000} precision={0} />
          </Form.Item>
          <Form.Item name="active" label={t('reports.routing.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('reports.routing.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
