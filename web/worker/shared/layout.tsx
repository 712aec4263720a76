import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { SafeArea, TabBar } from 'antd-mobile';
import { AppOutline, EnvironmentOutline, MessageOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useUnreadCount } from './notifications';
import { PageSkeleton } from './states';
import { useSession } from './session';

const tabs = [
  { key: '/', icon: <AppOutline />, label: 'tabs.home' },
  { key: '/map', icon: <EnvironmentOutline />, label: 'places.tab' },
  { key: '/inbox', icon: <MessageOutline />, label: 'tabs.inbox' },
  { key: '/profile', icon: <UserOutline />, label: 'tabs.profile' },
] as const;

/** The tab screens (首页 / 附近 / 消息 / 我的) with the tab bar pinned above the home indicator. 附近 is public. */
export function TabLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  // Signed out (browsing the public map), there is no inbox to count.
  const signedIn = !!useSession().data;
  const unread = useUnreadCount(signedIn).data ?? 0;
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
