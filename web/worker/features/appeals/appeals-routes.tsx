import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import './appeals.css';

const MinePage = lazy(() => import('./mine-page').then((m) => ({ default: m.MinePage })));
const FilePage = lazy(() => import('./file-page').then((m) => ({ default: m.FilePage })));
const AppealPage = lazy(() => import('./appeal-page').then((m) => ({ default: m.AppealPage })));

/** /appeals/*: 诉求/维权 (signed-in worker), mounted by the app as one route. */
export function AppealsRoutes() {
  return (
    <Routes>
      <Route index element={<MinePage />} />
      <Route path="new" element={<FilePage />} />
      <Route path=":id" element={<AppealPage />} />
    </Routes>
  );
}
