import { Tabs, Typography } from 'antd';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { QueueTab } from './queue-tab';
import { ReportDrawer } from './report-drawer';
import { CategoriesTab } from './categories-tab';
import { RoutingTab } from './routing-tab';
import { Open311Tab } from './open311-tab';
import { CalendarTab } from './calendar-tab';
import { CampaignsTab } from './campaigns-tab';
import { MetricsTab } from './metrics-tab';

type TabKey = 'queue' | 'triage' | 'campaigns' | 'metrics' | 'categories' | 'routing' | 'open311' | 'calendar';

/**
 * What a member of staff may use (the server decides again on every call): operators run the whole
 * loop and its configuration; grid workers verify, follow campaigns and read the metrics; handlers
 * work their queue and follow the campaigns of their area, closing the ones they own.
 */
export function permissionsFor(staff: { role: string; areaCode: string }) {
  const operator = staff.role === 'operator';
  const cityOperator = operator && staff.areaCode.length === 4;
  const tabs: TabKey[] = ['queue'];
  if (operator) tabs.push('triage');
  // handlers follow the campaigns in their area and close the ones they own (the drawer shows what each may do)
  if (operator || staff.role === 'grid_worker' || staff.role === 'handler') tabs.push('campaigns');
  if (operator || staff.role === 'grid_worker') tabs.push('metrics');
  if (operator) tabs.push('categories', 'routing', 'open311', 'calendar');
  return {
    tabs,
    bulkAcknowledge: operator || staff.role === 'handler',
    bulkDispatch: operator,
    configure: cityOperator,
    editRouting: operator,
    startCampaigns: operator,
  };
}

/** 随手拍: the work queue and the triage queue, campaigns, metrics and the configuration. `/reports/<id>` opens a report. */
export function ReportsPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const openId = useParams()['*'] || undefined;
  const p = permissionsFor(staff);
  const asked = params.get('tab') as TabKey | null;
  const active = asked && p.tabs.includes(asked) ? asked : p.tabs[0];

  const open = (id: string) => navigate({ pathname: `/reports/${encodeURIComponent(id)}`, search: location.search });
  const close = () => navigate({ pathname: '/reports', search: location.search });

  const render = (key: TabKey) => {
    switch (key) {
      case 'queue':
        return <QueueTab onOpen={open} canBulkAcknowledge={p.bulkAcknowledge} canBulkDispatch={p.bulkDispatch} />;
      case 'triage':
        return <QueueTab triage onOpen={open} canBulkAcknowledge={false} canBulkDispatch={p.bulkDispatch} />;
      case 'campaigns':
        return <CampaignsTab onOpen={open} canStart={p.startCampaigns} />;
      case 'metrics':
        return <MetricsTab />;
      case 'categories':
        return <CategoriesTab canEdit={p.configure} />;
      case 'routing':
        return <RoutingTab canEdit={p.editRouting} />;
      case 'open311':
        return <Open311Tab canEdit={p.configure} />;
      case 'calendar':
        return <CalendarTab canEdit={p.configure} />;
    }
  };

  return (
    <Page title={t('reports.title')} extra={<Typography.Text type="secondary">{t('reports.subtitle')}</Typography.Text>}>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams(key === p.tabs[0] ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={p.tabs.map((key) => ({ key, label: t(`reports.tabs.${key}`), children: render(key) }))}
      />
      <ReportDrawer id={openId} onClose={close} onOpen={open} />
    </Page>
  );
}
