import { useState, type ReactNode } from 'react';
import { Button, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import {
  ApartmentOutlined,
  ShopOutlined,
  SolutionOutlined,
  ThunderboltOutlined,
  AuditOutlined,
  CameraOutlined,
  CustomerServiceOutlined,
  GiftOutlined,
  QrcodeOutlined,
  ReadOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './language-switch';
import { IdleWatch } from './idle-watch';
import { sectionsFor, useSession, useStaff, type Section } from './session';

// Decorative: hidden from assistive technology so a menu item is named by its text alone.
const icons: Record<Section, ReactNode> = {
  verifications: <SafetyCertificateOutlined aria-hidden />,
  workers: <TeamOutlined aria-hidden />,
  places: <EnvironmentOutlined aria-hidden />,
  merchants: <ShopOutlined aria-hidden />,
  charging: <ThunderboltOutlined aria-hidden />,
  points: <GiftOutlined aria-hidden />,
  reports: <CameraOutlined aria-hidden />,
  appeals: <CustomerServiceOutlined aria-hidden />,
  legal: <SolutionOutlined aria-hidden />,
  library: <ReadOutlined aria-hidden />,
  pass: <QrcodeOutlined aria-hidden />,
  departments: <ApartmentOutlined aria-hidden />,
  staff: <IdcardOutlined aria-hidden />,
  audit: <AuditOutlined aria-hidden />,
  account: <SettingOutlined aria-hidden />,
};

export function AdminLayout() {
  const { t } = useTranslation();
  const staff = useStaff();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const sections = sectionsFor(staff.role);
  const current = location.pathname.split('/')[1] ?? '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208} theme="dark">
        <div style={{ height: 56, display: 'flex', alignItems: 'baseline', justifyContent: 'center', gap: 8, paddingTop: 16, color: '#fff', whiteSpace: 'nowrap', overflow: 'hidden', boxSizing: 'border-box' }}>
          <span style={{ fontWeight: 700, fontSize: 18 }}>{t('common:app.name')}</span>
          {!collapsed && <span style={{ fontSize: 13, opacity: 0.75 }}>{t('brand')}</span>}
        </div>
        <nav aria-label={t('header.menu')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[current]}
            items={sections.map((s) => ({ key: s, icon: icons[s], label: t(`nav.${s}`) }))}
            onClick={({ key }) => navigate(`/${key}`)}
            data-testid="side-menu"
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: token.colorBgContainer, padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', borderBottom: `1px solid ${token.colorBorderSecondary}`, height: 56, lineHeight: '56px' }}>
          <Space size="middle" wrap={false}>
            <Space size={6} data-testid="current-user">
              <UserOutlined />
              <Typography.Text strong>{staff.displayName}</Typography.Text>
              <Tag color="blue" variant="filled">{t(`common:roles.${staff.role}`)}</Tag>
            </Space>
            <Space size={4} title={t('header.area')}>
              <EnvironmentOutlined />
              <Typography.Text type="secondary">{staff.areaName}</Typography.Text>
            </Space>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void signOut('signedOut')}>
              {t('common:actions.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <IdleWatch />
    </Layout>
  );
}

/** The page frame every screen uses: a title, tools on the right, then the content on a card. */
export function Page({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16, gap: 16, flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      <div style={{ background: token.colorBgContainer, borderRadius: token.borderRadiusLG, padding: 24 }}>{children}</div>
    </div>
  );
}
