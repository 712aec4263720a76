import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '@ui/api';
import { initI18n } from '@ui/i18n';
import { admin as zhCN } from './i18n/zh-CN';
import { admin as en } from './i18n/en';
import { AdminApp } from './app';

initI18n('admin', { 'zh-CN': zhCN, en });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refused or missing record will not change by asking again; a flaky network might.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/admin">
        <AdminApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
