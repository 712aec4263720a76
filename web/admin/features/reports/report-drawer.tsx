import { useState } from 'react';
import { App, Button, Card, Descriptions, Divider, Drawer, Empty, Image, Popconfirm, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { AdminReport, ReportEvent, ReportPhoto, WorkOrder } from '@contracts/reports';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { useReport, useReportAction } from './api';
import { ActionModal, JoinCampaignModal, type ModalAction } from './action-modal';
import { DeadlineClock, FlagTags, formatTime, StatusTag, useCategoryNames, useLabel, useRoutingRuleLabel } from './shared';

/** The report's detail: what was reported, photos before and after, work orders, the whole timeline, and what this member of staff may do now. */
export function ReportDrawer({ id, onClose, onOpen }: { id: string | undefined; onClose(): void; onOpen(id: string): void }) {
  const { t } = useTranslation();
  const q = useReport(id);
  const r = q.data && q.data.id === id ? q.data : undefined;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={760}
      title={
        r ? (
          <Space>
            <span>{t('reports.detail.title', { code: r.code })}</span>
            <StatusTag status={r.status} outcome={r.outcome} />
          </Space>
        ) : (
          t('reports.title')
        )
      }
      extra={r ? <ActionButtons report={r} /> : undefined}
      destroyOnHidden
      data-testid="report-drawer"
    >
      {q.isError && !r ? <ErrorResult error={q.error} onRetry={() => void q.refetch()} /> : !r ? <Skeleton active /> : <Detail report={r} onOpen={onOpen} />}
    </Drawer>
  );
}

function ActionButtons({ report }: { report: AdminReport }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const [modal, setModal] = useState<ModalAction>();
  const [joining, setJoining] = useState(false);
  const mutation = useReportAction(report.id);
  const primary = new Set(['triage', 'acknowledge', 'handle', 'verify']);
  // operators put a report that is in no campaign (and not merged away) into an open one; the server checks scope and category
  const mayJoin = staff.role === 'operator' && report.campaignId === null && report.mergedInto === null;

  async function acknowledge() {
    try {
      await mutation.mutateAsync({ kind: 'acknowledge' });
      void message.success(t('reports.modals.done'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <>
      <Space wrap data-testid="report-actions">
        {report.actions.map((a) =>
          a === 'acknowledge' ? (
            <Popconfirm key={a} title={t('reports.modals.acknowledgeConfirm')} okText={t('reports.actions.acknowledge')} cancelText={t('common:actions.cancel')} onConfirm={() => acknowledge()}>
              <Button type="primary" loading={mutation.isPending} data-testid="action-acknowledge">
                {t('reports.actions.acknowledge')}
              </Button>
            </Popconfirm>
          ) : (
            <Button key={a} type={primary.has(a) ? 'primary' : 'default'} danger={a === 'clawback'} onClick={() => setModal(a)} data-testid={`action-${a}`}>
              {t(`reports.actions.${a}`)}
            </Button>
          ),
        )}
        {mayJoin && (
          <Button onClick={() => setJoining(true)} data-testid="action-join-campaign">
            {t('reports.campaigns.join')}
          </Button>
        )}
      </Space>
      <ActionModal report={report} action={modal} onClose={() => setModal(undefined)} />
      {mayJoin && <JoinCampaignModal report={report} open={joining} onClose={() => setJoining(false)} />}
    </>
  );
}

function Detail({ report: r, onOpen }: { report: AdminReport; onOpen(id: string): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const { name: categoryName } = useCategoryNames();
  const before = r.photos.filter((p) => p.kind === 'before');
  // the campaign's title as its latest "added to a campaign" event recorded it
  const joined = [...r.timeline].reverse().find((e) => e.type === 'campaign_added' && e.data.campaignId === r.campaignId);
  const campaignTitle = joined && typeof joined.data.campaignTitle === 'string' ? joined.data.campaignTitle : t('reports.campaigns.viewCampaign');
  const after = r.photos.filter((p) => p.kind === 'after');
  const link = (x: { id: string; code: string }) => (
    <Typography.Link key={x.id} onClick={() => onOpen(x.id)} style={{ fontFamily: 'monospace', marginRight: 8 }}>
      {x.code}
    </Typography.Link>
  );

  return (
    <div data-testid="report-detail" data-status={r.status}>
      <Descriptions size="small" column={2} bordered items={[
        { key: 'category', label: t('reports.detail.category'), children: categoryName(r.category) },
        { key: 'source', label: t('reports.detail.source'), children: label('sources', r.source) },
        { key: 'description', label: t('reports.columns.description'), span: 2, children: r.description || <Typography.Text type="secondary">{t('reports.noDescription')}</Typography.Text> },
        {
          key: 'address',
          label: t('reports.detail.address'),
          span: 2,
          children: (
            <Space orientation="vertical" size={0}>
              <span>{r.address || '—'}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.areaName} · {r.lon.toFixed(6)}, {r.lat.toFixed(6)} · {label('locationSources', r.locationSource)}
                {r.accuracyM !== null ? ` · ${t('reports.detail.accuracy', { m: Math.round(r.accuracyM) })}` : ''}
              </Typography.Text>
            </Space>
          ),
        },
        { key: 'department', label: t('reports.detail.department'), children: r.departmentName ?? '—' },
        { key: 'deadline', label: t('reports.detail.deadline'), children: <DeadlineClock deadlineAt={r.deadlineAt} closedAt={r.closedAt} status={r.status} /> },
        { key: 'reporter', label: t('reports.detail.reporter'), children: r.reporterMasked ?? '—' },
        { key: 'followers', label: t('reports.detail.followers'), children: r.followerCount },
        { key: 'submitted', label: t('reports.columns.submittedAt'), children: formatTime(r.submittedAt) },
        {
          key: 'points',
          label: t('reports.detail.points'),
          children: r.pointsGranted ? (
            <Space size={4}>
              <span data-testid="report-points">{t('reports.detail.pointsGranted', { points: r.pointsGranted })}</span>
              {r.clawedBack && <Tag color="red">{t('reports.detail.clawedBack')}</Tag>}
            </Space>
          ) : (
            '—'
          ),
        },
        ...(r.tags.length ? [{ key: 'tags', label: t('reports.detail.tags'), span: 2, children: r.tags.map((x) => <Tag key={x}>{x}</Tag>) }] : []),
        ...(r.flags.length ? [{ key: 'flags', label: t('reports.detail.flags'), span: 2, children: <FlagTags flags={r.flags} /> }] : []),
        ...(r.feedback ? [{ key: 'feedback', label: t('reports.detail.feedback'), children: t(`reports.detail.feedbacks.${r.feedback}`) }] : []),
        ...(r.mergedInto ? [{ key: 'merged', label: t('reports.detail.mergedInto'), children: link(r.mergedInto) }] : []),
        ...(r.campaignId
          ? [
              {
                key: 'campaign',
                label: t('reports.campaigns.inCampaign'),
                span: 2,
                children: (
                  <Typography.Link data-testid="report-campaign" onClick={() => navigate({ pathname: '/reports', search: `?tab=campaigns&campaign=${encodeURIComponent(r.campaignId!)}` })}>
                    {campaignTitle}
                  </Typography.Link>
                ),
              },
            ]
          : []),
        ...(r.duplicates.length ? [{ key: 'dups', label: t('reports.detail.duplicates'), span: 2, children: r.duplicates.map(link) }] : []),
      ]} />

      <Divider titlePlacement="start">{t('reports.detail.photosBefore')}</Divider>
      <Photos photos={before} kind={t('reports.detail.photosBefore')} testId="photos-before" />
      {(after.length > 0 || r.status === 'handled' || r.status === 'closed') && (
        <>
          <Divider titlePlacement="start">{t('reports.detail.photosAfter')}</Divider>
          <Photos photos={after} kind={t('reports.detail.photosAfter')} testId="photos-after" />
        </>
      )}

      {r.orders.length > 0 && (
        <>
          <Divider titlePlacement="start">{t('reports.detail.orders')}</Divider>
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="report-orders">
            {r.orders.map((o) => (
              <Order key={o.id} order={o} />
            ))}
          </Space>
        </>
      )}

      <Divider titlePlacement="start">{t('reports.detail.timeline')}</Divider>
      <Timeline
        data-testid="report-timeline"
        items={r.timeline.map((e) => ({
          key: e.id,
          color: eventColor(e.type),
          children: <EventLine event={e} />,
        }))}
      />
    </div>
  );
}

function Photos({ photos, kind, testId }: { photos: ReportPhoto[]; kind: string; testId: string }) {
  const { t } = useTranslation();
  if (!photos.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.detail.noPhotos')} />;
  return (
    <Image.PreviewGroup>
      <Space wrap size={12} data-testid={testId}>
        {photos.map((p, i) => (
          <Image key={p.id} src={p.url} width={160} height={120} style={{ objectFit: 'cover', borderRadius: 6 }} alt={t('reports.detail.photoAlt', { kind, n: i + 1 })} />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

function Order({ order: o }: { order: WorkOrder }) {
  const { t } = useTranslation();
  const label = useLabel();
  const times = [
    t('reports.detail.dispatchedAt', { time: formatTime(o.dispatchedAt) }),
    o.acknowledgedAt && t('reports.detail.acknowledgedAt', { time: formatTime(o.acknowledgedAt) }),
    o.handledAt && t('reports.detail.handledAt', { time: formatTime(o.handledAt) }),
    o.returnedAt && t('reports.detail.returnedAt', { time: formatTime(o.returnedAt) }),
    t('reports.detail.orderDeadline', { time: formatTime(o.deadlineAt) }),
  ].filter(Boolean);
  return (
    <Card size="small" title={<Space>{o.departmentName}{o.current && <Tag color="blue">{t('reports.detail.current')}</Tag>}</Space>} extra={<Tag>{label('orderStatuses', o.status)}</Tag>} data-testid="work-order">
      <Space orientation="vertical" size={2}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {times.join(' · ')}
        </Typography.Text>
        {o.streetName && <span>{t('reports.detail.street', { name: o.streetName })}</span>}
        {o.coDepartments.length > 0 && <span>{t('reports.detail.co', { names: o.coDepartments.map((d) => d.name).join('、') })}</span>}
        {o.extension && <span>{t('reports.detail.extension', { days: o.extension.days, status: label('extensionStatuses', o.extension.status), reason: o.extension.reason })}</span>}
        {o.returnReason && <span>{t('reports.eventData.reason', { reason: o.returnReason })}</span>}
        {o.result && <span>{t('reports.eventData.result', { result: o.result })}</span>}
      </Space>
    </Card>
  );
}

function eventColor(type: string): string {
  if (['closed', 'points_awarded', 'confirmed', 'handled'].includes(type)) return 'green';
  if (['returned', 'escalated', 'disputed', 'points_clawed_back', 'triage_needed'].includes(type)) return 'red';
  if (['reminded', 'extension_requested', 'reopened'].includes(type)) return 'orange';
  return 'blue';
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** What an event's data says, in a line (only the fields the timeline's readers need). */
function useEventSummary() {
  const { t } = useTranslation();
  const label = useLabel();
  const ruleLabel = useRoutingRuleLabel();
  return (e: ReportEvent): string[] => {
    const d = e.data;
    const out: (string | undefined | false)[] = [];
    switch (e.type) {
      case 'routed':
        out.push(str(d.departmentName), d.by === 'staff' ? t('reports.eventData.byStaff') : str(d.ruleId) && t('reports.eventData.rule', { id: ruleLabel(str(d.ruleId)!) }));
        break;
      case 'returned':
      case 'disputed':
        out.push(str(d.reason) && t('reports.eventData.reason', { reason: str(d.reason) }));
        break;
      case 'extension_requested':
        out.push(str(d.days) && t('reports.eventData.days', { days: str(d.days) }), str(d.reason) && t('reports.eventData.reason', { reason: str(d.reason) }));
        break;
      case 'extension_decided':
        out.push(d.approved ? t('reports.eventData.approved') : t('reports.eventData.rejected'), str(d.deadlineAt) && t('reports.eventData.deadline', { time: formatTime(str(d.deadlineAt)) }));
        break;
      case 'co_handlers_added':
        out.push(Array.isArray(d.departmentNames) ? (d.departmentNames as string[]).join('、') : Array.isArray(d.departmentIds) && t('reports.eventData.departments', { count: d.departmentIds.length }));
        break;
      case 'handled':
        out.push(str(d.result) && t('reports.eventData.result', { result: str(d.result) }));
        break;
      case 'verified':
        out.push(str(d.verdict) && label('verdicts', str(d.verdict)), str(d.note) && t('reports.eventData.note', { note: str(d.note) }));
        break;
      case 'merged':
        out.push(str(d.intoCode) && t('reports.eventData.into', { code: str(d.intoCode) }));
        break;
      case 'duplicate_merged_in':
        out.push(str(d.fromCode) && t('reports.eventData.from', { code: str(d.fromCode) }));
        break;
      case 'closed':
        out.push(str(d.outcome) && label('outcomes', str(d.outcome)), d.onTime === true ? t('reports.eventData.onTime') : d.onTime === false && t('reports.eventData.late'));
        break;
      case 'points_awarded':
      case 'points_clawed_back':
        out.push(str(d.points) && t('reports.eventData.points', { points: str(d.points) }), str(d.reason) && t('reports.eventData.reason', { reason: str(d.reason) }));
        break;
      case 'reminded':
      case 'escalated':
        out.push(str(d.deadlineAt) && t('reports.eventData.deadline', { time: formatTime(str(d.deadlineAt)) }));
        break;
      case 'campaign_added':
        out.push(str(d.campaignTitle) && t('reports.eventData.campaign', { title: str(d.campaignTitle) }));
        break;
      case 'note':
        out.push(str(d.note));
        break;
    }
    if (e.type !== 'verified' && e.type !== 'note' && str(d.note)) out.push(t('reports.eventData.note', { note: str(d.note) }));
    return out.filter((x): x is string => typeof x === 'string' && x.length > 0);
  };
}

function EventLine({ event: e }: { event: ReportEvent }) {
  const { t } = useTranslation();
  const label = useLabel();
  const summary = useEventSummary()(e);
  return (
    <div data-testid="timeline-event" data-type={e.type}>
      <Space size={6} wrap>
        <Typography.Text strong>{label('events', e.type)}</Typography.Text>
        {!e.public && <Tag>{t('reports.eventPrivate')}</Tag>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatTime(e.at)} · {e.actor.name ?? label('actors', e.actor.kind)}
        </Typography.Text>
      </Space>
      {summary.map((s, i) => (
        <div key={i}>
          <Typography.Text type="secondary">{s}</Typography.Text>
        </div>
      ))}
    </div>
  );
}
