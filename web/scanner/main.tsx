import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '@ui/i18n';
import { scanner as zhCN } from './i18n/zh-CN';
import { scanner as en } from './i18n/en';
import { ScannerApp } from './app';

initI18n('scanner', { 'zh-CN': zhCN, en });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ScannerApp />
  </StrictMode>,
);
