import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Tag } from 'antd-mobile';
import { CheckCircleFill, ClockCircleOutline, ExclamationCircleFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { ReportOutcome, ReportStatus } from '@contracts/reports';
import { formatDateTime } from '@ui/format';
import { i18n } from '@ui/i18n';
import { deadlineLeft, statusColor, useNow } from './format';
import { discardItem, retryItem, type OutboxItem } from './outbox';

/** Only verified workers report: say so, with the way to verification. */
export function NeedVerify() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className="ya-card ya-report-need-verify" data-testid="reports-need-verify">
      <ExclamationCircleFill className="ya-report-need-verify-icon" aria-hidden="true" />
      <h2 className="ya-card-title">{t('reports.needVerify.title')}</h2>
      <p className="ya-muted">{t('reports.needVerify.body')}</p>
      <Button color="primary" shape="rounded" onClick={() => navigate('/verify')} data-testid="reports-verify-cta">
        {t('reports.needVerify.action')}
      </Button>
    </section>
  );
}

/** 处理中 / 已办结 · 已解决 … */
export function StatusTag({ status, outcome }: { status: ReportStatus; outcome: ReportOutcome | null }) {
  const { t } = useTranslation();
  const closedColor = outcome === 'fixed' ? 'success' : 'default';
  return (
    <Tag color={status === 'closed' ? closedColor : statusColor[status]} fill="outline" data-testid="report-status" data-status={status}>
      {status === 'closed' && outcome ? t(`reports.outcome.${outcome}`) : t(`reports.status.${status}`)}
    </Tag>
  );
}

/** 剩余 2 天 5 小时 / 已超期 1 天 3 小时, ticking. */
export function DeadlineClock({ deadlineAt, compact }: { deadlineAt: string; compact?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const left = deadlineLeft(deadlineAt, now);
  const text =
    left.days > 0
      ? t(left.overdue ? 'reports.deadline.overdueDays' : 'reports.deadline.leftDays', { days: left.days, hours: left.hours })
      : t(left.overdue ? 'reports.deadline.overdueHours' : 'reports.deadline.leftHours', { hours: left.hours, minutes: left.minutes });
  return (
    <span className={`ya-report-clock${left.overdue ? ' overdue' : ''}`} data-testid="deadline-clock" data-overdue={left.overdue}>
      <ClockCircleOutline aria-hidden="true" /> {text}
      {!compact && <span className="ya-muted"> · {t('reports.deadline.at', { date: formatDateTime(deadlineAt) })}</span>}
    </span>
  );
}

/** An outbox error in the rider's words. */
export function outboxError(code: string | undefined): string {
  if (!code) return i18n.t('worker:reports.outbox.failed');
  const key = `common:errors.${code}`;
  return i18n.exists(key) ? i18n.t(key) : i18n.t('worker:reports.outbox.failed');
}

/** A report's first photo, or a grey tile (none, or it cannot be shown). */
export function ReportThumb({ url, className = 'ya-report-thumb' }: { url: string | null; className?: string }) {
  const [failed, setFailed] = useState(false);
  return url && !failed ? <img src={url} alt="" className={className} onError={() => setFailed(true)} /> : <div className={`${className} empty`} />;
}

function Thumb({ blob }: { blob: Blob | undefined }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) {
      setUrl(undefined);
      return;
    }
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? <img src={url} alt="" className="ya-report-thumb" /> : <div className="ya-report-thumb empty" />;
}

/** Reports still on the phone: 待发送, failed (with why, retry or drop), and just sent. */
export function OutboxCard({ items }: { items: OutboxItem[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (!items.length) return null;
  const pending = items.filter((i) => i.state !== 'sent').length;
  return (
    <section className="ya-card ya-report-outbox" data-testid="report-outbox">
      <h2 className="ya-card-title">
        {pending ? (
          <span data-testid="outbox-pending">{t('reports.outbox.pending', { count: pending })}</span>
        ) : (
          <span data-testid="outbox-all-sent">{t('reports.outbox.allSent')}</span>
        )}
      </h2>
      {pending > 0 && <p className="ya-muted ya-report-small">{t('reports.outbox.hint')}</p>}
      {items.map((i) => (
        <article key={i.clientId} className="ya-report-outbox-item" data-testid="outbox-item" data-state={i.state}>
          <Thumb blob={i.photos[0]} />
          <div className="ya-report-outbox-body">
            <p className="ya-report-outbox-text">{i.input.description || t('reports.noDescription')}</p>
            <p className="ya-muted ya-report-small">{t('reports.outbox.filedAt', { date: formatDateTime(i.createdAt) })}</p>
            {i.state === 'queued' && (
              <p className="ya-report-small ya-report-queued">
                <ClockCircleOutline aria-hidden="true" /> {t('reports.outbox.queued')}
              </p>
            )}
            {i.state === 'failed' && <p className="ya-report-small ya-report-warn">{outboxError(i.error)}</p>}
            {i.state === 'sent' && i.report && (
              <p className="ya-report-small ya-report-sent" data-testid="outbox-sent">
                <CheckCircleFill aria-hidden="true" /> {t('reports.outbox.sent', { code: i.report.code })}
              </p>
            )}
          </div>
          <div className="ya-report-outbox-actions">
            {i.state === 'sent' && i.report && (
              <Button size="mini" shape="rounded" onClick={() => navigate(`/reports/${i.report!.id}`)}>
                {t('reports.outbox.view')}
              </Button>
            )}
            {i.state === 'failed' && (
              <>
                <Button size="mini" color="primary" shape="rounded" onClick={() => void retryItem(i.clientId)}>
                  {t('reports.outbox.retry')}
                </Button>
                <Button size="mini" shape="rounded" onClick={() => void discardItem(i.clientId)}>
                  {t('reports.outbox.discard')}
                </Button>
              </>
            )}
          </div>
        </article>
      ))}
    </section>
  );
}

export function ListEnd({ text }: { text: string }) {
  return <span className="ya-report-end">{text}</span>;
}
