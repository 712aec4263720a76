import { App, Button, Card, Col, Descriptions, Form, Input, Row, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '@ui/api';
import { useSession, useStaff } from '../../shell/session';
import { applyServerErrors } from '../../shared/form-errors';
import { strongPassword } from '../../shared/password-rule';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function AccountPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const { refresh } = useSession();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api.post<void>('/api/staff/me/password', v, { quiet401: true }),
  });

  async function submit(v: Values) {
    try {
      await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      // The server renewed this session (and its CSRF token) and ended every other one.
      await refresh();
      void message.success(t('account.changed'));
      form.resetFields();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'staff.wrong_password': 'currentPassword', 'staff.weak_password': 'newPassword' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('account.title')}
      </Typography.Title>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Card title={t('account.profile')}>
            <Descriptions
              column={1}
              items={[
                { key: 'u', label: t('staff.fields.username'), children: <code>{staff.username}</code> },
                { key: 'n', label: t('staff.fields.displayName'), children: staff.displayName },
                { key: 'r', label: t('staff.fields.role'), children: t(`common:roles.${staff.role}`, { defaultValue: staff.role }) },
                { key: 'a', label: t('staff.fields.area'), children: staff.areaName },
              ]}
            />
            {staff.role === 'scanner' && (
              <Typography.Paragraph type="secondary">
                {t('account.scannerHint')} <a href="/scanner/">/scanner/</a>
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('account.changePassword')}>
            <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
              <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('account.currentRequired') }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('account.newPassword')}
                extra={t('staff.passwordHint')}
                dependencies={['currentPassword']}
                rules={[
                  { required: true, pattern: strongPassword, message: t('staff.passwordInvalid') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) => (value && value === getFieldValue('currentPassword') ? Promise.reject(new Error(t('account.sameAsOld'))) : Promise.resolve()),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirmPassword"
                label={t('account.confirmPassword')}
                dependencies={['newPassword']}
                rules={[
                  { required: true, message: t('account.mismatch') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={change.isPending}>
                {t('common:actions.save')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
