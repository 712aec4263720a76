import { lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@ui/api';
import { TabLayout } from './shared/layout';
import { RequireWorker, UnauthenticatedRedirect } from './shared/guards';
import { ReportOutboxSync } from './features/reports/outbox-sync';
import { PageSkeleton } from './shared/states';

// Each screen is its own chunk: the sign-in screen loads without the forms and lists behind it.
const SignInPage = lazy(() => import('./features/auth/sign-in-page').then((m) => ({ default: m.SignInPage })));
const PrivacyPage = lazy(() => import('./features/consent/privacy-page').then((m) => ({ default: m.PrivacyPage })));
const VerificationPage = lazy(() => import('./features/verification/verification-page').then((m) => ({ default: m.VerificationPage })));
const HomePage = lazy(() => import('./features/home/home-page').then((m) => ({ default: m.HomePage })));
const InboxPage = lazy(() => import('./features/inbox/inbox-page').then((m) => ({ default: m.InboxPage })));
const ProfilePage = lazy(() => import('./features/profile/profile-page').then((m) => ({ default: m.ProfilePage })));
const MapPage = lazy(() => import('./features/places/map-page').then((m) => ({ default: m.MapPage })));
const PlacePage = lazy(() => import('./features/places/place-page').then((m) => ({ default: m.PlacePage })));
const PassPage = lazy(() => import('./features/pass/pass-page').then((m) => ({ default: m.PassPage })));
const PassScansPage = lazy(() => import('./features/pass/scans-page').then((m) => ({ default: m.PassScansPage })));
const ReportsRoutes = lazy(() => import('./features/reports/reports-routes').then((m) => ({ default: m.ReportsRoutes })));
const AppealsRoutes = lazy(() => import('./features/appeals/appeals-routes').then((m) => ({ default: m.AppealsRoutes })));
const LegalRoutes = lazy(() => import('./features/legal/legal-routes').then((m) => ({ default: m.LegalRoutes })));
const LibraryRoutes = lazy(() => import('./features/library/library-routes').then((m) => ({ default: m.LibraryRoutes })));
const PointsRoutes = lazy(() => import('./features/points/points-routes').then((m) => ({ default: m.PointsRoutes })));
const NotFoundPage = lazy(() => import('./shared/not-found-page').then((m) => ({ default: m.NotFoundPage })));

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Retry flaky networks and busy servers, never a 4xx: the answer won't change.
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('title');
  }, [t, i18n.language]);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename="/worker">
          <UnauthenticatedRedirect />
          {/* sends reports queued offline at start and whenever the network comes back */}
          <ReportOutboxSync />
          <div className="ya-app">
            <Suspense fallback={<PageSkeleton />}>
              <Routes>
                <Route path="/signin" element={<SignInPage />} />
                {/* The map of places is public (anyone may browse it); rating a place asks for sign-in. */}
                <Route element={<TabLayout />}>
                  <Route path="map" element={<MapPage />} />
                </Route>
                <Route path="places/:id" element={<PlacePage />} />
                {/* The pass shows its kept codes even when the session cannot be checked (offline); it guards itself. */}
                <Route path="pass" element={<PassPage />} />
                {/* Typical cases and model contracts are public (published legal education material). */}
                <Route path="library/*" element={<LibraryRoutes />} />
                <Route element={<RequireWorker />}>
                  <Route element={<TabLayout />}>
                    <Route index element={<HomePage />} />
                    <Route path="inbox" element={<InboxPage />} />
                    <Route path="profile" element={<ProfilePage />} />
                  </Route>
                  <Route path="privacy" element={<PrivacyPage />} />
                  <Route path="verify" element={<VerificationPage />} />
                  <Route path="points/*" element={<PointsRoutes />} />
                  <Route path="reports/*" element={<ReportsRoutes />} />
                  <Route path="appeals/*" element={<AppealsRoutes />} />
                  <Route path="legal/*" element={<LegalRoutes />} />
                  <Route path="pass/scans" element={<PassScansPage />} />
                </Route>
                <Route path="*" element={<NotFoundPage />} />
              </Routes>
            </Suspense>
          </div>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
