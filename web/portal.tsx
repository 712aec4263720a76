import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { initI18n, languages, setLanguage } from '@ui/i18n';
import icon from './worker/icon.svg';

// The landing page at /: which app is for whom, in both languages. Deliberately tiny (no design system).
const zhCN = {
  title: '甬爱 · 宁波市新就业群体服务平台',
  lead: '为外卖骑手、快递员、网约车和货车司机、网络主播等新就业群体提供驿站、通行、诉求和关爱服务。',
  apps: {
    worker: { name: '新就业群体', desc: '手机号登录，实名认证，查看消息', cta: '进入' },
    admin: { name: '管理后台', desc: '实名审核、诉求办理、运营配置（工作人员）', cta: '进入' },
    scanner: { name: '扫码核验', desc: '小区、楼宇、驿站和商家核验甬爱码', cta: '进入' },
    docs: { name: '接口文档', desc: 'OpenAPI 接口说明，供开发对接', cta: '查看' },
  },
  footer: '宁波市委社会工作部 · 12345 政务服务热线（按4号键）',
};
const en: typeof zhCN = {
  title: "Yong'ai · Ningbo services for the new-employment workforce",
  lead: 'Stations, passes, appeals and community support for delivery riders, couriers, ride-hailing and truck drivers, live streamers and other platform workers.',
  apps: {
    worker: { name: 'Workers', desc: 'Sign in with your phone, verify your identity, read messages', cta: 'Open' },
    admin: { name: 'Admin console', desc: 'Verification review, appeals, configuration (staff)', cta: 'Open' },
    scanner: { name: 'Pass scanner', desc: 'Check passes at compounds, buildings, stations and merchants', cta: 'Open' },
    docs: { name: 'API documentation', desc: 'OpenAPI reference for integrators', cta: 'View' },
  },
  footer: 'Ningbo Social Work Department · 12345 hotline (press 4)',
};

initI18n('portal', { 'zh-CN': zhCN, en });

const apps = [
  // One-character badges rather than emoji: they render on every phone and kiosk font.
  { key: 'worker', href: '/worker/', icon: '新' },
  { key: 'admin', href: '/admin/', icon: '管' },
  { key: 'scanner', href: '/scanner/', icon: '扫' },
  { key: 'docs', href: '/docs', icon: 'API' },
] as const;

function Portal() {
  const { t, i18n } = useTranslation();
  document.title = t('title');
  return (
    <div className="portal">
      <header>
        <div className="top">
          <span className="brand">
            <img src={icon} alt="" />
            {t('common:app.name')}
          </span>
          <div className="lang" role="group" aria-label={t('common:language.label')}>
            {languages.map((l) => (
              <button key={l} type="button" aria-pressed={i18n.language === l} onClick={() => setLanguage(l)}>
                {t(`common:language.${l}`)}
              </button>
            ))}
          </div>
        </div>
        <h1>{t('title')}</h1>
        <p>{t('lead')}</p>
      </header>
      <main>
        {apps.map((a) => (
          <a key={a.key} className="app" href={a.href}>
            <span className="icon" aria-hidden>
              {a.icon}
            </span>
            <span className="text">
              <strong>{t(`apps.${a.key}.name`)}</strong>
              <small>{t(`apps.${a.key}.desc`)}</small>
            </span>
            <span className="cta">{t(`apps.${a.key}.cta`)} ›</span>
          </a>
        ))}
      </main>
      <footer>{t('footer')}</footer>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
