import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import './library.css';

const ListPage = lazy(() => import('./list-page').then((m) => ({ default: m.LibraryListPage })));
const EntryPage = lazy(() => import('./entry-page').then((m) => ({ default: m.LibraryEntryPage })));

/** /library/*: 典型案例与示范合同, open to anyone (signed in or not), mounted by the app as one route. */
export function LibraryRoutes() {
  return (
    <Routes>
      <Route index element={<ListPage />} />
      <Route path=":id" element={<EntryPage />} />
    </Routes>
  );
}
