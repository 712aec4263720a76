import { lazy, Suspense, type ReactNode } from 'react';
import { Result, Spin, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { passTabsFor, type PassTab } from './api';

const PassesTab = lazy(() => import('./passes-tab').then((m) => ({ default: m.PassesTab })));
const PoliciesTab = lazy(() => import('./policies-tab').then((m) => ({ default: m.PoliciesTab })));
const ScannersTab = lazy(() => import('./scanners-tab').then((m) => ({ default: m.ScannersTab })));
const AlertsTab = lazy(() => import('./alerts-tab').then((m) => ({ default: m.AlertsTab })));
const VisitsTab = lazy(() => import('./visits-tab').then((m) => ({ default: m.VisitsTab })));
const KeysTab = lazy(() => import('./keys-tab').then((m) => ({ default: m.KeysTab })));

const screens: Record<PassTab, () => ReactNode> = {
  passes: () => <PassesTab />,
  policies: () => <PoliciesTab />,
  scanners: () => <ScannersTab />,
  alerts: () => <AlertsTab />,
  visits: () => <VisitsTab />,
  keys: () => <KeysTab />,
};

/** 甬爱码: passes, place policies, scanner accounts, copy alerts, station visits and signing keys. The tab is in the URL (?tab=). */
export function PassPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [params, setParams] = useSearchParams();
  const tabs = passTabsFor(staff.role);
  if (tabs.length === 0) return <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbiddenBody')} />;
  const asked = params.get('tab') as PassTab | null;
  const active: PassTab = asked && tabs.includes(asked) ? asked : tabs[0];
  return (
    <Page title={t('pass.title')} extra={<Typography.Text type="secondary">{t('pass.subtitle')}</Typography.Text>}>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        destroyOnHidden
        items={tabs.map((k) => ({
          key: k,
          label: t(`pass.tabs.${k}`),
          children: (
            <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
              <div data-testid={`pass-tab-${k}`}>{screens[k]()}</div>
            </Suspense>
          ),
        }))}
      />
    </Page>
  );
}
