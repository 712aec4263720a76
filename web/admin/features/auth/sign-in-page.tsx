import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography, theme } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useSession, type Section } from '../../shell/session';
import { LanguageSwitch } from '../../shell/language-switch';

interface Values {
  username: string;
  password: string;
}

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, reason } = useSession();
  const { token } = theme.useToken();
  const [error, setError] = useState<{ message: string; code?: string }>();
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<Values>();
  const location = useLocation();
  const navigate = useNavigate();

  async function submit(values: Values) {
    setSubmitting(true);
    setError(undefined);
    try {
      const allowed = await signIn(values.username.trim(), values.password);
      // Back to the screen the session ended on, unless this account may not use it.
      const section = location.pathname.split('/')[1] as Section;
      if (section && !allowed.includes(section)) navigate('/', { replace: true });
    } catch (e) {
      setError({ message: errorMessage(e), code: e instanceof ApiError ? e.code : undefined });
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', background: `linear-gradient(160deg, ${token.colorPrimaryBg} 0%, ${token.colorBgLayout} 60%)`, padding: 16 }}>
      <div style={{ position: 'fixed', top: 12, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 400, maxWidth: '100%' }} variant="borderless">
        <Typography.Title level={3} style={{ marginBottom: 4, textAlign: 'center' }}>
          {t('title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('signIn.subtitle')}
        </Typography.Paragraph>
        {reason && !error && <Alert style={{ marginBottom: 16 }} type={reason === 'expired' ? 'warning' : 'info'} showIcon title={t(`signIn.${reason}`)} />}
        {error && (
          <Alert
            role="alert"
            data-testid="sign-in-error"
            data-code={error.code}
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            title={error.message}
          />
        )}
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
          <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24 }}>
        {t('common:app.name')} · {t('common:app.tagline')}
      </Typography.Text>
    </div>
  );
}
