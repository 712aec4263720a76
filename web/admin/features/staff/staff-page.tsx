import { useRef, useState } from 'react';
import { App, Button, Dropdown, Form, Input, Modal, Popconfirm, Select, Space, Tag, Tooltip, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { MoreOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { staffRoles, type StaffRole } from '@contracts/auth';
import type { StaffAccount } from '@contracts/staff';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { AreaCascader } from '../../shared/area-cascader';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { formatTime } from '../../shared/format';
import { useDepartments } from '../../shared/departments-query';
import { useStaffAccounts, useStaffMutations, type StaffFilter } from './api';
import { StaffFormModal, type StaffEditing } from './staff-form-modal';
import { isLocked, strongPassword } from './staff-rules';

interface FilterValues {
  q?: string;
  role?: StaffRole;
  areaCode?: string;
}

export function StaffPage() {
  const { t, i18n } = useTranslation();
  const me = useStaff();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<StaffFilter>({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<StaffEditing>();
  const [resetting, setResetting] = useState<StaffAccount>();
  const list = useStaffAccounts(filter);
  const departments = useDepartments();
  const { update, unlock } = useStaffMutations();
  const deptName = (id: string) => {
    const d = departments.data?.find((x) => x.id === id);
    return d ? (i18n.language === 'en' ? d.nameEn : d.nameZh) : id.slice(0, 8);
  };

  async function setActive(a: StaffAccount, active: boolean) {
    try {
      await update.mutateAsync({ id: a.id, body: { active } });
      void message.success(t('staff.updated'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function doUnlock(a: StaffAccount) {
    try {
      await unlock.mutateAsync(a.id);
      void message.success(t('staff.unlocked'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const columns: TableColumnsType<StaffAccount> = [
    { title: t('staff.columns.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
    { title: t('staff.columns.displayName'), dataIndex: 'displayName' },
    { title: t('staff.columns.role'), dataIndex: 'role', render: (v: string) => t(`common:roles.${v}`, { defaultValue: v }) },
    { title: t('staff.columns.area'), dataIndex: 'areaName', ellipsis: true },
    {
      title: t('staff.columns.departments'),
      dataIndex: 'departmentIds',
      render: (ids: string[]) => (ids.length ? ids.map((id) => <Tag key={id}>{deptName(id)}</Tag>) : '—'),
    },
    {
      title: t('staff.columns.status'),
      key: 'status',
      width: 100,
      render: (_, a) =>
        !a.active ? (
          <Tag>{t('staff.status.disabled')}</Tag>
        ) : isLocked(a.lockedUntil) ? (
          <Tooltip title={t('staff.lockedUntil', { time: formatTime(a.lockedUntil) })}>
            <Tag color="orange">{t('staff.status.locked')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="green">{t('staff.status.active')}</Tag>
        ),
    },
    { title: t('staff.columns.lastLoginAt'), dataIndex: 'lastLoginAt', width: 150, render: (v: string | null) => formatTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 190,
      render: (_, a) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', account: a })}>
            {t('common:actions.edit')}
          </Button>
          {a.active ? (
            <Popconfirm title={t('staff.disableConfirm')} okText={t('staff.disable')} cancelText={t('common:actions.cancel')} onConfirm={() => setActive(a, false)} disabled={a.username === me.username}>
              <Button type="link" size="small" danger disabled={a.username === me.username}>
                {t('staff.disable')}
              </Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" onClick={() => void setActive(a, true)}>
              {t('staff.enable')}
            </Button>
          )}
          <Dropdown
            menu={{
              items: [
                { key: 'reset', label: t('staff.resetPassword') },
                { key: 'unlock', label: t('staff.unlock'), disabled: !isLocked(a.lockedUntil) },
              ],
              onClick: ({ key }) => (key === 'reset' ? setResetting(a) : void doUnlock(a)),
            }}
          >
            <Button type="link" size="small" icon={<MoreOutlined />} aria-label={t('staff.more')} />
          </Dropdown>
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('staff.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
          {t('staff.createTitle')}
        </Button>
      }
    >
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter({ page: 1, pageSize: filter.pageSize, q: v.q?.trim() || undefined, role: v.role, areaCode: v.areaCode })}
      >
        <Form.Item name="q">
          <Input placeholder={t('staff.searchPlaceholder')} allowClear style={{ width: 200 }} prefix={<SearchOutlined />} />
        </Form.Item>
        <Form.Item name="role" label={t('staff.filters.role')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 200 }} options={staffRoles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('staff.filters.area')}>
          <AreaCascader rootCode={me.areaCode} rootName={me.areaName} style={{ width: 260 }} />
        </Form.Item>
        <FilterActions
          onReset={() => setFilter({ page: 1, pageSize: filter.pageSize })}
          onRefresh={() => void list.refetch()}
        />
      </Form>
      <PagedTable query={list} filter={filter} setFilter={setFilter} rowKey="id" data-testid="staff-table" columns={columns} scroll={{ x: 1150 }} />
      <StaffFormModal editing={editing} onClose={() => setEditing(undefined)} />
      <ResetPasswordModal account={resetting} onClose={() => setResetting(undefined)} />
    </Page>
  );
}

function ResetPasswordModal({ account, onClose }: { account?: StaffAccount; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ password: string }>>(null);
  const { resetPassword } = useStaffMutations();

  async function submit() {
    const form = formRef.current;
    if (!account || !form) return;
    const { password } = await form.validateFields();
    try {
      await resetPassword.mutateAsync({ id: account.id, password });
      void message.success(t('staff.passwordReset'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'staff.weak_password': 'password' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!account}
      title={t('staff.resetTitle', { name: account?.displayName ?? '' })}
      okText={t('common:actions.save')}
      cancelText={t('common:actions.cancel')}
      confirmLoading={resetPassword.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="password" label={t('staff.newPassword')} extra={t('staff.passwordHint')} rules={[{ required: true, pattern: strongPassword, message: t('staff.passwordInvalid') }]}>
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
