import { Tabs, Typography } from 'antd';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { QueueTab } from './queue-tab';
import { IntakeTab } from './intake-tab';
import { AppealDrawer } from './appeal-drawer';
import { CaseDrawer } from './case-drawer';
import { MetricsTab } from './metrics-tab';
import { RulesTab } from './rules-tab';
import { CasesTab } from './cases-tab';

type TabKey = 'queue' | 'cases' | 'intake' | 'metrics' | 'rules';

/** What a member of staff may use here (the server decides again on every call). */
export function permissionsFor(staff: { role: string }) {
  const operator = staff.role === 'operator';
  const tabs: TabKey[] = ['queue'];
  if (staff.role !== 'hotline_agent') tabs.push('cases');
  if (['hotline_agent', 'operator', 'handler', 'mediator', 'grid_worker'].includes(staff.role)) tabs.push('intake');
  if (operator) tabs.push('metrics', 'rules');
  return { tabs, group: staff.role !== 'hotline_agent' };
}

/** 诉求: the queue, intake by phone or at the window, metrics and rules. `/appeals/<id>` opens an appeal, `/appeals/cases/<id>` a collective case. */
export function AppealsPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const rest = useParams()['*'] || '';
  const caseId = rest.startsWith('cases/') ? rest.slice('cases/'.length) || undefined : undefined;
  const openId = !caseId && rest ? rest : undefined;
  const p = permissionsFor(staff);
  const asked = params.get('tab') as TabKey | null;
  const active = asked && p.tabs.includes(asked) ? asked : p.tabs[0];

  const open = (id: string) => navigate({ pathname: `/appeals/${encodeURIComponent(id)}`, search: location.search });
  const openCase = (id: string) => navigate({ pathname: `/appeals/cases/${encodeURIComponent(id)}`, search: location.search });
  const close = () => navigate({ pathname: '/appeals', search: location.search });

  const render = (key: TabKey) => {
    switch (key) {
      case 'queue':
        return <QueueTab onOpen={open} onOpenCase={openCase} canGroup={p.group} />;
      case 'cases':
        return <CasesTab onOpenCase={openCase} />;
      case 'intake':
        // after saving: the queue, with the new appeal open
        return <IntakeTab onSaved={(id) => navigate({ pathname: `/appeals/${encodeURIComponent(id)}`, search: '' })} />;
      case 'metrics':
        return <MetricsTab />;
      case 'rules':
        return <RulesTab />;
    }
  };

  return (
    <Page title={t('appeals.title')} extra={<Typography.Text type="secondary">{t('appeals.subtitle')}</Typography.Text>}>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams(key === p.tabs[0] ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={p.tabs.map((key) => ({ key, label: t(`appeals.tabs.${key}`), children: render(key) }))}
      />
      <AppealDrawer id={openId} onClose={close} onOpenCase={openCase} />
      <CaseDrawer id={caseId} onClose={close} onOpen={open} />
    </Page>
  );
}
