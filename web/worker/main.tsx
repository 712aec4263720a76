import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '@ui/i18n';
import { worker as zhCN } from './i18n/zh-CN';
import { worker as en } from './i18n/en';
import { App } from './app';
import './styles.css';

initI18n('worker', { 'zh-CN': zhCN, en });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
