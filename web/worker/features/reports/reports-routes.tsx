import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import './reports.css';

const MinePage = lazy(() => import('./mine-page').then((m) => ({ default: m.MinePage })));
const CapturePage = lazy(() => import('./capture-page').then((m) => ({ default: m.CapturePage })));
const ReportPage = lazy(() => import('./report-page').then((m) => ({ default: m.ReportPage })));

/** /reports/*: 随手拍 (signed-in worker), mounted by the app as one route. */
export function ReportsRoutes() {
  return (
    <Routes>
      <Route index element={<MinePage />} />
      <Route path="new" element={<CapturePage />} />
      <Route path=":id" element={<ReportPage />} />
    </Routes>
  );
}
