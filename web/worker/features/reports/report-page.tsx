import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, Dialog, Image, ImageViewer, TextArea, Toast } from 'antd-mobile';
import { CheckCircleFill, EnvironmentOutline, StarFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { ReportEvent, ReportPhoto, WorkerReport } from '@contracts/reports';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { formatDateTime } from '@ui/format';
import { errorMessage } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { useCategories, useFeedback, useReport, useUnfollow } from './api';
import { DeadlineClock, StatusTag } from './bits';
import { clockRuns, nameOfCategory } from './format';

/** One report as its reporter (or a follower) sees it: photos, where, who has it, the clock, the timeline. */
export function ReportPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const report = useReport(id);
  return (
    <SubPage title={t('reports.detail.title')} back="/reports">
      {report.isPending ? (
        <PageSkeleton rows={3} />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ReportDetail report={report.data} />
      )}
    </SubPage>
  );
}

function ReportDetail({ report: r }: { report: WorkerReport }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const before = r.photos.filter((p) => p.kind === 'before');
  const after = r.photos.filter((p) => p.kind === 'after');
  return (
    <div className="ya-report-detail" data-testid="report-detail" data-status={r.status} data-code={r.code}>
      <section className="ya-card">
        <div className="ya-report-row-head">
          <h2 className="ya-report-detail-title">{nameOfCategory(categories.data, r.category)}</h2>
          <StatusTag status={r.status} outcome={r.outcome} />
        </div>
        <p className="ya-muted ya-report-small" data-testid="report-code">
          {t('reports.detail.code', { code: r.code })} · {formatDateTime(r.submittedAt)}
        </p>
        {r.description && <p className="ya-report-detail-text">{r.description}</p>}
        {r.tags.length > 0 && (
          <div className="ya-report-tags">
            {r.tags.map((tag) => (
              <span key={tag} className="ya-report-tag static">
                #{tag}
              </span>
            ))}
          </div>
        )}
        <Photos photos={before} label={t('reports.detail.before')} />
        <p className="ya-report-where-line">
          <EnvironmentOutline aria-hidden="true" /> {r.address || r.areaName}
          {r.address && r.areaName ? <span className="ya-muted"> · {r.areaName}</span> : null}
          {r.locationSource === 'map' && <span className="ya-muted"> · {t('reports.detail.mapPicked')}</span>}
        </p>
        <dl className="ya-kv">
          <dt>{t('reports.detail.department')}</dt>
          <dd data-testid="report-department">{r.departmentName ?? t('reports.detail.noDepartment')}</dd>
          {r.followerCount > 0 && (
            <>
              <dt>{t('reports.detail.followers')}</dt>
              <dd>{t('reports.detail.followerCount', { count: r.followerCount })}</dd>
            </>
          )}
        </dl>
        {clockRuns(r.status) && r.deadlineAt && (
          <div className="ya-report-deadline">
            <DeadlineClock deadlineAt={r.deadlineAt} />
          </div>
        )}
        {!r.mine && <FollowerNote report={r} />}
      </section>

      {r.mergedInto && (
        <section className="ya-card ya-report-note" data-testid="report-merged">
          {t('reports.detail.merged', { code: r.mergedInto.code })}
        </section>
      )}
      {r.campaign && (
        <section className="ya-card ya-report-note" data-testid="report-campaign">
          {t('reports.detail.campaign', { title: r.campaign.title })}
        </section>
      )}

      {r.pointsGranted > 0 && (
        <section className="ya-card ya-report-points" data-testid="report-points">
          <StarFill aria-hidden="true" /> {t('reports.points.earnedLong', { points: r.pointsGranted })}
        </section>
      )}

      {after.length > 0 && (
        <section className="ya-card">
          <Photos photos={after} label={t('reports.detail.after')} />
        </section>
      )}

      {(r.canFeedback || r.feedback) && <FeedbackCard report={r} />}

      <section className="ya-card" data-testid="report-timeline">
        <h2 className="ya-card-title">{t('reports.detail.timeline')}</h2>
        <ol className="ya-report-timeline">
          {[...r.timeline].reverse().map((e, i) => (
            <li key={e.id} className={`ya-report-event${i === 0 ? ' latest' : ''}`} data-testid="timeline-event" data-type={e.type}>
              <span className="ya-report-event-dot" aria-hidden="true" />
              <div>
                <p className="ya-report-event-text">{eventText(t, e)}</p>
                <p className="ya-muted ya-report-small">
                  {formatDateTime(e.at)}
                  {e.actor.name && e.actor.kind === 'staff' ? ` · ${e.actor.name}` : ''}
                </p>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

type T = ReturnType<typeof useTranslation>['t'];
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A timeline line in the rider's words, with what the event carries. */
function eventText(t: T, e: ReportEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'routed':
      return t('reports.events.routed', { department: str(d.departmentName) || e.actor.name || '' });
    case 'acknowledged':
      return e.actor.name ? t('reports.events.acknowledgedBy', { department: e.actor.name }) : t('reports.events.acknowledged');
    case 'returned':
      return t('reports.events.returned', { reason: str(d.reason) });
    case 'extension_decided':
      return d.approved ? t('reports.events.extended', { date: formatDateTime(str(d.deadlineAt)) }) : t('reports.events.extensionRejected');
    case 'handled':
      return t('reports.events.handled', { result: str(d.result) });
    case 'verified': {
      const verdict = str(d.verdict);
      const base = t(`reports.verdicts.${verdict}`, { defaultValue: t('reports.events.verified') });
      return d.note ? `${base}：${str(d.note)}` : base;
    }
    case 'merged':
      return t('reports.events.merged', { code: str(d.intoCode) });
    case 'closed': {
      const outcome = str(d.outcome);
      const base = t('reports.events.closed', { outcome: t(`reports.outcome.${outcome}`, { defaultValue: '' }) });
      return d.onTime === true ? `${base} · ${t('reports.events.onTime')}` : base;
    }
    case 'disputed':
      return t('reports.events.disputed', { reason: str(d.reason) });
    case 'points_awarded':
      return t('reports.events.points', { points: str(d.points) });
    case 'campaign_added':
      return t('reports.events.campaign', { title: str(d.campaignTitle) });
    default:
      return t(`reports.events.${e.type}`, { defaultValue: t('reports.events.other') });
  }
}

function Photos({ photos, label }: { photos: ReportPhoto[]; label: string }) {
  const [open, setOpen] = useState<number>();
  if (!photos.length) return null;
  return (
    <div className="ya-report-photos" data-testid="report-photos" aria-label={label}>
      <h3 className="ya-report-photos-label">{label}</h3>
      <div className="ya-report-photos-row">
        {photos.map((p, i) => (
          <button type="button" key={p.id} className="ya-report-photo-btn" onClick={() => setOpen(i)} aria-label={`${label} ${i + 1}`}>
            <Image src={p.url} width={96} height={96} fit="cover" lazy alt="" />
          </button>
        ))}
      </div>
      <ImageViewer.Multi key={open ?? -1} images={photos.map((p) => p.url)} visible={open !== undefined} defaultIndex={open ?? 0} onClose={() => setOpen(undefined)} />
    </div>
  );
}

/** A follower may stop following (it leaves their list). */
function FollowerNote({ report: r }: { report: WorkerReport }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const unfollow = useUnfollow();
  return (
    <div className="ya-report-follower" data-testid="report-following">
      <span>
        <CheckCircleFill aria-hidden="true" /> {t('reports.detail.youFollow')}
      </span>
      {r.status !== 'closed' && (
        <Button
          size="mini"
          shape="rounded"
          loading={unfollow.isPending}
          onClick={() =>
            void unfollow.mutateAsync({ id: r.id }).then(
              () => navigate('/reports', { replace: true }),
              (e: unknown) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
            )
          }
        >
          {t('reports.detail.unfollow')}
        </Button>
      )}
    </div>
  );
}

/** Closed as fixed: the reporter confirms, or disputes (it reopens), within 7 days. */
function FeedbackCard({ report: r }: { report: WorkerReport }) {
  const { t } = useTranslation();
  const feedback = useFeedback(r.id);
  const key = useRef<string>();
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState('');

  async function send(kind: 'confirmed' | 'disputed') {
    key.current ??= newIdempotencyKey();
    try {
      await feedback.mutateAsync({ body: kind === 'disputed' ? { feedback: kind, reason: reason.trim() } : { feedback: kind }, key: key.current });
      key.current = undefined;
      setDisputing(false);
      Toast.show({ icon: 'success', content: t(kind === 'confirmed' ? 'reports.feedback.confirmedToast' : 'reports.feedback.disputedToast') });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) key.current = undefined;
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  }

  if (r.feedback)
    return (
      <section className="ya-card ya-report-note" data-testid="report-feedback-done">
        {t(`reports.feedback.given.${r.feedback}`)}
      </section>
    );
  return (
    <section className="ya-card ya-report-feedback" data-testid="report-feedback">
      <h2 className="ya-card-title">{t('reports.feedback.title')}</h2>
      <p className="ya-muted ya-report-small">{t('reports.feedback.until', { date: formatDateTime(r.feedbackDeadline) })}</p>
      <div className="ya-report-feedback-actions">
        <Button color="primary" shape="rounded" loading={feedback.isPending && !disputing} onClick={() => void send('confirmed')} data-testid="feedback-confirm">
          {t('reports.feedback.confirm')}
        </Button>
        <Button shape="rounded" onClick={() => setDisputing(true)} data-testid="feedback-dispute">
          {t('reports.feedback.dispute')}
        </Button>
      </div>
      <Dialog
        visible={disputing}
        title={t('reports.feedback.disputeTitle')}
        content={
          <>
            <label htmlFor="report-dispute-reason" className="ya-report-label">
              {t('reports.feedback.reason')}
            </label>
            <TextArea id="report-dispute-reason" value={reason} onChange={setReason} maxLength={500} autoSize={{ minRows: 3, maxRows: 6 }} placeholder={t('reports.feedback.reasonPlaceholder')} />
          </>
        }
        onClose={() => setDisputing(false)}
        actions={[
          [
            { key: 'cancel', text: t('reports.capture.cancel'), onClick: () => setDisputing(false) },
            { key: 'send', text: t('reports.feedback.disputeSend'), bold: true, disabled: reason.trim().length < 2 || feedback.isPending, onClick: () => void send('disputed') },
          ],
        ]}
      />
    </section>
  );
}
