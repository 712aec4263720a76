import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PointsPermissions } from '@contracts/points';
import { Page } from '../../shell/layout';
import { ErrorResult } from '../../shared/query-state';
import { usePermissions } from './api';
import { RulesTab } from './rules-tab';
import { RewardsTab } from './rewards-tab';
import { SponsorsTab } from './sponsors-tab';
import { HonoursTab } from './honours-tab';
import { PartnersTab } from './partners-tab';
import { LedgerTab } from './ledger-tab';

type TabKey = 'rules' | 'rewards' | 'sponsors' | 'honours' | 'partners' | 'ledger';

/**
 * Which tabs a member of staff sees: every member reads rules, rewards, sponsors, stories and partners
 * (within their area); the ledger is the city's books. The buttons inside follow what they may do.
 */
function tabsFor(p: PointsPermissions): TabKey[] {
  const tabs: TabKey[] = ['rules', 'rewards', 'sponsors', 'honours', 'partners'];
  if (p.readLedger) tabs.push('ledger');
  return tabs;
}

/** 积分与荣誉: rules, rewards, sponsors, the 微光榜 queue, city partners and the ledger. */
export function PointsPage() {
  const { t } = useTranslation();
  const permissions = usePermissions();
  const [params, setParams] = useSearchParams();

  if (permissions.isError) {
    return (
      <Page title={t('points.title')}>
        <ErrorResult error={permissions.error} onRetry={() => void permissions.refetch()} />
      </Page>
    );
  }
  const p = permissions.data;
  const tabs = p ? tabsFor(p) : [];
  const asked = params.get('tab') as TabKey | null;
  const active = asked && tabs.includes(asked) ? asked : tabs[0];

  const render = (key: TabKey, p: PointsPermissions) => {
    switch (key) {
      case 'rules':
        return <RulesTab canConfigure={p.configure} />;
      case 'rewards':
        return <RewardsTab canManage={p.manageRewards} />;
      case 'sponsors':
        return <SponsorsTab canConfigure={p.configure} />;
      case 'honours':
        return <HonoursTab canDecide={p.decideHonours} canNominate={p.nominate} />;
      case 'partners':
        return <PartnersTab canConfigure={p.configure} canRevoke={p.decideHonours} />;
      case 'ledger':
        return <LedgerTab canClawBack={p.configure} />;
    }
  };

  return (
    <Page title={t('points.title')} extra={<Typography.Text type="secondary">{t('points.subtitle')}</Typography.Text>}>
      {!p ? (
        <Tabs items={[]} />
      ) : (
        <Tabs
          activeKey={active}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={tabs.map((key) => ({ key, label: t(`points.tabs.${key}`), children: render(key, p) }))}
        />
      )}
    </Page>
  );
}
