import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { SafeArea, TabBar } from 'antd-mobile';
import { AppOutline, MessageOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useUnreadCount } from './notifications';
import { PageSkeleton } from './states';

const tabs = [
  { key: '/', icon: <AppOutline />, label: 'tabs.home' },
  { key: '/inbox', icon: <MessageOutline />, label: 'tabs.inbox' },
  { key: '/profile', icon: <UserOutline />, label: 'tabs.profile' },
] as const;

/** The three tab screens (首页 / 消息 / 我的) with the tab bar pinned above the home indicator. */
export function TabLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadCount().data ?? 0;
  const active = tabs.find((tab) => tab.key !== '/' && location.pathname.startsWith(tab.key))?.key ?? '/';
  return (
    <div className="ya-tabs-page">
      <main className="ya-tabs-content">
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </main>
      <nav className="ya-tabbar" aria-label="tabs">
        <TabBar activeKey={active} onChange={(key) => navigate(key)} safeArea={false}>
          {tabs.map((tab) => (
            <TabBar.Item
              key={tab.key}
              icon={tab.icon}
              title={<span data-testid={`tab-${tab.key === '/' ? 'home' : tab.key.slice(1)}`}>{t(tab.label)}</span>}
              badge={tab.key === '/inbox' && unread > 0 ? (unread > 99 ? '99+' : String(unread)) : undefined}
            />
          ))}
        </TabBar>
        <SafeArea position="bottom" />
      </nav>
    </div>
  );
}
