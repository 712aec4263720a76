import { useRef, useState } from 'react';
import { App, Form, Input, Modal, Select, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { staffRoles, type StaffRole } from '@contracts/auth';
import type { StaffAccount } from '@contracts/staff';
import { newIdempotencyKey } from '@ui/api';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { applyServerErrors } from '../../shared/form-errors';
import { useDepartments } from '../../shared/departments-query';
import { useStaffMutations, type StaffUpdateBody } from './api';
import { rolesRequiringDepartment, rolesWithDepartments, strongPassword, usernamePattern } from './staff-rules';

export type StaffEditing = { mode: 'create' } | { mode: 'edit'; account: StaffAccount };

interface Values {
  username: string;
  displayName: string;
  password: string;
  role: StaffRole;
  areaCode: string;
  departmentIds: string[];
}

export function StaffFormModal({ editing, onClose }: { editing?: StaffEditing; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const me = useStaff();
  // No shared useForm instance: each opening mounts a fresh form, so the account's values always apply.
  const formRef = useRef<FormInstance<Values>>(null);
  const { create, update } = useStaffMutations();
  const departments = useDepartments(!!editing);
  const [key, setKey] = useState(newIdempotencyKey);
  const isEdit = editing?.mode === 'edit';

  const initialValues: Partial<Values> | undefined =
    editing?.mode === 'edit'
      ? {
          username: editing.account.username,
          displayName: editing.account.displayName,
          role: editing.account.role as StaffRole,
          areaCode: editing.account.areaCode,
          departmentIds: editing.account.departmentIds,
        }
      : { areaCode: me.areaCode, departmentIds: [] };

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields();
    const departmentIds = rolesWithDepartments.includes(v.role) ? (v.departmentIds ?? []) : [];
    try {
      if (editing?.mode === 'edit') {
        const a = editing.account;
        const body: StaffUpdateBody = {};
        if (v.displayName.trim() !== a.displayName) body.displayName = v.displayName.trim();
        if (v.role !== a.role) body.role = v.role;
        if (v.areaCode !== a.areaCode) body.areaCode = v.areaCode;
        if ([...departmentIds].sort().join() !== [...a.departmentIds].sort().join()) body.departmentIds = departmentIds;
        if (Object.keys(body).length) await update.mutateAsync({ id: a.id, body });
        void message.success(t('staff.updated'));
      } else {
        await create.mutateAsync({
          body: { username: v.username.trim(), displayName: v.displayName.trim(), password: v.password, role: v.role, areaCode: v.areaCode, departmentIds },
          key,
        });
        void message.success(t('staff.created'));
      }
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, {
        'staff.username_taken': 'username',
        'staff.weak_password': 'password',
        'staff.invalid_role_scope': rolesWithDepartments.includes(v.role) ? 'departmentIds' : 'areaCode',
        'areas.out_of_scope': 'areaCode',
        'areas.not_found': 'areaCode',
      });
      if (rest) void message.error(rest);
    }
  }

  const departmentOptions = (departments.data ?? [])
    .filter((d) => d.active || (isEdit && editing.account.departmentIds.includes(d.id)))
    .map((d) => ({ value: d.id, label: i18n.language === 'en' ? d.nameEn : d.nameZh }));

  return (
    <Modal
      open={!!editing}
      title={isEdit ? t('staff.editTitle') : t('staff.createTitle')}
      okText={t('common:actions.save')}
      cancelText={t('common:actions.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      afterOpenChange={(open) => open && setKey(newIdempotencyKey())}
      destroyOnHidden
      width={560}
    >
      <Form<Values> ref={formRef} layout="vertical" preserve={false} initialValues={initialValues} data-testid="staff-form">
        <Form.Item
          name="username"
          label={t('staff.fields.username')}
          extra={isEdit ? undefined : t('staff.usernameHint')}
          rules={[{ required: true, pattern: usernamePattern, message: t('staff.usernameInvalid') }]}
        >
          <Input disabled={isEdit} maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('staff.fields.displayName')} rules={[{ required: true, whitespace: true, message: t('staff.displayNameRequired') }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        {!isEdit && (
          <Form.Item name="password" label={t('staff.fields.password')} extra={t('staff.passwordHint')} rules={[{ required: true, pattern: strongPassword, message: t('staff.passwordInvalid') }]}>
            <Input.Password maxLength={200} autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('staff.fields.role')} rules={[{ required: true, message: t('staff.roleRequired') }]}>
          <Select options={staffRoles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('staff.fields.area')} rules={[{ required: true, message: t('staff.areaRequired') }]}>
          <AreaCascader rootCode={me.areaCode} rootName={me.areaName} allowClear={false} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(prev: Values, next: Values) => prev.role !== next.role}>
          {({ getFieldValue }) => {
            const role = getFieldValue('role') as StaffRole | undefined;
            if (!role || !rolesWithDepartments.includes(role)) return null;
            return (
              <Form.Item
                name="departmentIds"
                label={t('staff.fields.departments')}
                extra={t('staff.departmentsHint')}
                rules={rolesRequiringDepartment.includes(role) ? [{ required: true, type: 'array', min: 1, message: t('staff.departmentsRequired') }] : []}
              >
                <Select mode="multiple" loading={departments.isLoading} options={departmentOptions} optionFilterProp="label" />
              </Form.Item>
            );
          }}
        </Form.Item>
      </Form>
    </Modal>
  );
}
