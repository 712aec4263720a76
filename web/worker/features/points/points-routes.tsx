import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import './points.css';

const PointsPage = lazy(() => import('./points-page').then((m) => ({ default: m.PointsPage })));
const HistoryPage = lazy(() => import('./history-page').then((m) => ({ default: m.HistoryPage })));
const RewardsPage = lazy(() => import('./rewards-page').then((m) => ({ default: m.RewardsPage })));
const OrdersPage = lazy(() => import('./orders-page').then((m) => ({ default: m.OrdersPage })));
const HonoursPage = lazy(() => import('./honours-page').then((m) => ({ default: m.HonoursPage })));
const NominatePage = lazy(() => import('./nominate-page').then((m) => ({ default: m.NominatePage })));
const NotFoundPage = lazy(() => import('../../shared/not-found-page').then((m) => ({ default: m.NotFoundPage })));

/** /points/*: the 积分 screens (signed-in worker), mounted by the app as one route. */
export function PointsRoutes() {
  return (
    <Routes>
      <Route index element={<PointsPage />} />
      <Route path="history" element={<HistoryPage />} />
      <Route path="rewards" element={<RewardsPage />} />
      <Route path="orders" element={<OrdersPage />} />
      <Route path="honours" element={<HonoursPage />} />
      <Route path="honours/nominate" element={<NominatePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
