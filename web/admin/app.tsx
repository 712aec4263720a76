import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@ui/i18n';
import { SessionProvider, sectionsFor, useSession, useStaff, type Section } from './shell/session';
import { AdminLayout } from './shell/layout';
import { SignInPage } from './features/auth/sign-in-page';

// Each section is its own chunk: signing in loads the shell, not every screen (maps, spreadsheets …).
const VerificationsPage = lazy(() => import('./features/verifications/verifications-page').then((m) => ({ default: m.VerificationsPage })));
const WorkersPage = lazy(() => import('./features/workers/workers-page').then((m) => ({ default: m.WorkersPage })));
const DepartmentsPage = lazy(() => import('./features/departments/departments-page').then((m) => ({ default: m.DepartmentsPage })));
const StaffPage = lazy(() => import('./features/staff/staff-page').then((m) => ({ default: m.StaffPage })));
const AuditPage = lazy(() => import('./features/audit/audit-page').then((m) => ({ default: m.AuditPage })));
const AccountPage = lazy(() => import('./features/account/account-page').then((m) => ({ default: m.AccountPage })));
const PlacesPage = lazy(() => import('./features/places/places-page').then((m) => ({ default: m.PlacesPage })));
const MerchantsPage = lazy(() => import('./features/merchants/merchants-page').then((m) => ({ default: m.MerchantsPage })));
const ChargingPage = lazy(() => import('./features/charging/charging-page').then((m) => ({ default: m.ChargingPage })));
const PointsPage = lazy(() => import('./features/points/points-page').then((m) => ({ default: m.PointsPage })));
const ReportsPage = lazy(() => import('./features/reports/reports-page').then((m) => ({ default: m.ReportsPage })));
const AppealsPage = lazy(() => import('./features/appeals/appeals-page').then((m) => ({ default: m.AppealsPage })));
const LegalPage = lazy(() => import('./features/legal/legal-page').then((m) => ({ default: m.LegalPage })));
const LibraryPage = lazy(() => import('./features/library/library-page').then((m) => ({ default: m.LibraryPage })));
const PassPage = lazy(() => import('./features/pass/pass-page').then((m) => ({ default: m.PassPage })));

const screens: Record<Section, () => ReactNode> = {
  verifications: () => <VerificationsPage />,
  workers: () => <WorkersPage />,
  places: () => <PlacesPage />,
  merchants: () => <MerchantsPage />,
  charging: () => <ChargingPage />,
  points: () => <PointsPage />,
  reports: () => <ReportsPage />,
  appeals: () => <AppealsPage />,
  legal: () => <LegalPage />,
  library: () => <LibraryPage />,
  pass: () => <PassPage />,
  departments: () => <DepartmentsPage />,
  staff: () => <StaffPage />,
  audit: () => <AuditPage />,
  account: () => <AccountPage />,
};

/** Users who ask their system for less motion get none; the browser journeys ask too, so no click lands mid-animation. */
const reducedMotion = typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export function AdminApp() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    document.title = t('title');
  }, [en, t]);
  return (
    <ConfigProvider locale={en ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#d4380d', motion: !reducedMotion } }}>
      <AntApp>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Signed out: the sign-in screen at whatever address was asked for; signed in: the console. */
function Gate() {
  const { t } = useTranslation();
  const { status, retry } = useSession();
  if (status === 'loading') {
    return (
      <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (status === 'error') {
    return <Result status="error" title={t('common:states.error')} subTitle={errorMessage(undefined)} extra={<Button onClick={retry}>{t('common:actions.retry')}</Button>} />;
  }
  if (status === 'signedOut') return <SignInPage />;
  return <SignedInRoutes />;
}

function SignedInRoutes() {
  const staff = useStaff();
  const allowed = sectionsFor(staff.role);
  const all = Object.keys(screens) as Section[];
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to={`/${allowed[0]}`} replace />} />
        {all.map((s) => (
          <Route key={s} path={`${s}/*`} element={allowed.includes(s) ? <Suspense fallback={<ScreenLoading />}>{screens[s]()}</Suspense> : <Forbidden />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function ScreenLoading() {
  return (
    <div style={{ padding: 48, display: 'grid', placeItems: 'center' }}>
      <Spin />
    </div>
  );
}

function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbiddenBody')} extra={<Button onClick={() => navigate('/')}>{t('common.home')}</Button>} />;
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Result status="404" title={t('common.notFoundTitle')} extra={<Button onClick={() => navigate('/')}>{t('common.home')}</Button>} />;
}
