import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import './legal.css';

const MinePage = lazy(() => import('./legal-pages').then((m) => ({ default: m.MyQuestionsPage })));
const AskPage = lazy(() => import('./legal-pages').then((m) => ({ default: m.AskPage })));
const QuestionPage = lazy(() => import('./legal-pages').then((m) => ({ default: m.QuestionPage })));

/** /legal/*: 法帮新 (signed-in worker), mounted by the app as one route. */
export function LegalRoutes() {
  return (
    <Routes>
      <Route index element={<MinePage />} />
      <Route path="ask" element={<AskPage />} />
      <Route path=":id" element={<QuestionPage />} />
    </Routes>
  );
}
