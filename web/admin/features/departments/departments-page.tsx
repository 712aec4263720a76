import { useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Department } from '@contracts/staff';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { Page } from '../../shell/layout';
import { useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { applyServerErrors } from '../../shared/form-errors';
import { useDepartments, useSaveDepartment } from './api';

type Editing = { mode: 'create' } | { mode: 'edit'; department: Department };

export function DepartmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useDepartments();
  const { update } = useSaveDepartment();
  const [editing, setEditing] = useState<Editing>();
  // Departments are the city's: only a city-wide operator changes them; others read the list.
  const staff = useStaff();
  const mayEdit = staff.role === 'operator' && staff.areaCode.length === 4;

  async function setActive(d: Department, active: boolean) {
    try {
      await update.mutateAsync({ id: d.id, body: { active } });
      void message.success(t('departments.updated'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const columns = [
    { title: t('departments.columns.code'), dataIndex: 'code', width: 140, render: (v: string) => <code>{v}</code> },
    { title: t('departments.columns.nameZh'), dataIndex: 'nameZh' },
    { title: t('departments.columns.nameEn'), dataIndex: 'nameEn' },
    { title: t('departments.columns.staffCount'), dataIndex: 'staffCount', width: 100, align: 'right' },
    {
      title: t('departments.columns.status'),
      dataIndex: 'active',
      width: 100,
      render: (active: boolean) => (active ? <Tag color="green">{t('departments.active')}</Tag> : <Tag>{t('departments.inactive')}</Tag>),
    },
    mayEdit && {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_: unknown, d: Department) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', department: d })}>
            {t('common:actions.edit')}
          </Button>
          {d.active ? (
            <Popconfirm title={t('departments.deactivateConfirm')} okText={t('departments.deactivate')} cancelText={t('common:actions.cancel')} onConfirm={() => setActive(d, false)}>
              <Button type="link" size="small" danger>
                {t('departments.deactivate')}
              </Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" onClick={() => void setActive(d, true)}>
              {t('departments.activate')}
            </Button>
          )}
        </Space>
      ),
    },
  ].filter(Boolean) as TableColumnsType<Department>;

  return (
    <Page
      title={t('departments.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common:actions.refresh')} />
          {mayEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
              {t('departments.createTitle')}
            </Button>
          )}
        </Space>
      }
    >
      {list.isError && !list.data ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Department> rowKey="id" data-testid="departments-table" columns={columns} dataSource={list.data} loading={list.isFetching} pagination={false} />
      )}
      <DepartmentModal editing={editing} onClose={() => setEditing(undefined)} />
    </Page>
  );
}

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
}

function DepartmentModal({ editing, onClose }: { editing?: Editing; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  // A fresh form per opening (no shared useForm instance), so the department's values always apply.
  const formRef = useRef<FormInstance<Values>>(null);
  const { create, update } = useSaveDepartment();
  // One key per opened dialog: a double submit or a retry after a timeout creates one department.
  const [key, setKey] = useState(newIdempotencyKey);
  const isEdit = editing?.mode === 'edit';

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields();
    try {
      if (editing?.mode === 'edit') {
        await update.mutateAsync({ id: editing.department.id, body: { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() } });
        void message.success(t('departments.updated'));
      } else {
        await create.mutateAsync({ body: { code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() }, key });
        void message.success(t('departments.created'));
      }
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'departments.code_taken': 'code' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!editing}
      title={isEdit ? t('departments.editTitle') : t('departments.createTitle')}
      okText={t('common:actions.save')}
      cancelText={t('common:actions.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      afterOpenChange={(open) => open && setKey(newIdempotencyKey())}
      destroyOnHidden
    >
      <Form<Values>
        ref={formRef}
        layout="vertical"
        preserve={false}
        initialValues={editing?.mode === 'edit' ? { code: editing.department.code, nameZh: editing.department.nameZh, nameEn: editing.department.nameEn } : undefined}
      >
        <Form.Item
          name="code"
          label={t('departments.columns.code')}
          extra={isEdit ? undefined : t('departments.codeHint')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('departments.codeInvalid') }]}
        >
          <Input disabled={isEdit} maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('departments.columns.nameZh')} rules={[{ required: true, whitespace: true, min: 2, message: t('departments.nameRequired') }]}>
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('departments.columns.nameEn')} rules={[{ required: true, whitespace: true, min: 2, message: t('departments.nameRequired') }]}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
