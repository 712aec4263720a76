import { useCallback, useRef, useState } from 'react';
import { Button, ProgressBar, Selector, Tag } from 'antd-mobile';
import { CheckCircleFill, ClockCircleOutline, CloseCircleFill, FileOutline } from 'antd-mobile-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { evidenceKinds, type AppealStatus, type AppealSummary, type Evidence, type EvidenceKind } from '@contracts/appeals';
import { formatDateTime } from '@ui/format';
import { errorMessage } from '@ui/i18n';
import { deadlineLeft, useNow } from '../reports/format';
import { appealsKey, evidenceKindOf, evidenceProblem, uploadEvidence } from './api';
import { shortHash } from './format';

export { formatFen, shortHash } from './format';

const statusColor: Record<AppealStatus, 'primary' | 'warning' | 'success' | 'default'> = {
  submitted: 'warning',
  acknowledged: 'primary',
  in_progress: 'primary',
  mediating: 'primary',
  resolved: 'success',
  closed: 'default',
};

export function AppealStatusTag({ status }: { status: AppealStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColor[status] ?? 'default'} fill="outline" data-testid="appeal-status" data-status={status}>
      {t(`appeals.status.${status}`)}
    </Tag>
  );
}

/** The step whose clock runs: acknowledgement while submitted, resolution while being handled; none once resolved. */
export function runningDeadline(status: string, deadlines: AppealSummary['deadlines']): { step: 'ack' | 'resolve'; at: string } | undefined {
  if (status === 'submitted')
    // as the server counts it: the earlier of the two (a short resolve deadline can come first)
    return Date.parse(deadlines.resolveBy) < Date.parse(deadlines.acknowledgeBy) ? { step: 'resolve', at: deadlines.resolveBy } : { step: 'ack', at: deadlines.acknowledgeBy };
  if (status === 'acknowledged' || status === 'in_progress' || status === 'mediating') return { step: 'resolve', at: deadlines.resolveBy };
  return undefined;
}

/** 签收时限 · 剩余 20 小时 5 分 / 已超期 1 天 3 小时 (red), ticking. */
export function AppealClock({ status, deadlines, compact }: { status: string; deadlines: AppealSummary['deadlines']; compact?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const running = runningDeadline(status, deadlines);
  if (!running) return null;
  const left = deadlineLeft(running.at, now);
  const overdue = left.overdue || deadlines.overdue;
  const text =
    left.days > 0
      ? t(left.overdue ? 'appeals.deadline.overdueDays' : 'appeals.deadline.leftDays', { days: left.days, hours: left.hours })
      : t(left.overdue ? 'appeals.deadline.overdueHours' : 'appeals.deadline.leftHours', { hours: left.hours, minutes: left.minutes });
  return (
    <span className={`ya-appeal-clock${overdue ? ' overdue' : ''}`} data-testid="appeal-clock" data-step={running.step} data-overdue={overdue}>
      <ClockCircleOutline aria-hidden="true" /> {t(`appeals.deadline.${running.step}`)} · {text}
      {!compact && <span className="ya-muted"> · {t('appeals.deadline.at', { date: formatDateTime(running.at) })}</span>}
    </span>
  );
}

export interface UploadItem {
  key: string;
  file: File;
  /** chosen by the worker; otherwise guessed from the file (PDF: document, picture: photo) */
  kind?: EvidenceKind;
  state: 'waiting' | 'uploading' | 'stored' | 'failed';
  progress: number;
  evidence?: Evidence;
  error?: string;
}

/**
 * Evidence files on their way to an appeal: each uploads with its own progress and, once stored, shows
 * its hash prefix. Each file keeps its Idempotency-Key, so a retry never stores it twice.
 */
export function useEvidenceUploads(keyPrefix: string) {
  const queryClient = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const counter = useRef(0);
  const patch = (key: string, p: Partial<UploadItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i)));

  const add = useCallback(
    (files: File[], kind?: EvidenceKind) => {
      const fresh = files.map((file) => {
        const problem = evidenceProblem(file);
        return { key: `${keyPrefix}-e${counter.current++}`, file, kind, state: problem ? 'failed' : 'waiting', progress: 0, error: problem } as UploadItem;
      });
      setItems((list) => [...list, ...fresh]);
      return fresh;
    },
    [keyPrefix],
  );

  const remove = (key: string) => setItems((list) => list.filter((i) => i.key !== key || i.state === 'uploading' || i.state === 'stored'));

  const send = async (appealId: string, list: UploadItem[]): Promise<boolean> => {
    let ok = true;
    // One at a time: a phone on a weak signal does better than with parallel uploads.
    for (const item of list) {
      if (item.state === 'stored' || item.error === 'tooLarge' || item.error === 'badType') {
        ok &&= item.state === 'stored';
        continue;
      }
      patch(item.key, { state: 'uploading', progress: 0, error: undefined });
      try {
        const evidence = await uploadEvidence(appealId, item.file, item.key, (f) => patch(item.key, { progress: Math.round(f * 100) }), item.kind);
        patch(item.key, { state: 'stored', progress: 100, evidence });
      } catch (e) {
        ok = false;
        patch(item.key, { state: 'failed', error: errorMessage(e) });
      }
    }
    void queryClient.invalidateQueries({ queryKey: appealsKey });
    return ok;
  };

  return { items, add, remove, send, setItems };
}

/** One file on its way: name, progress bar, then the stored hash prefix (or why it failed, with retry). */
export function UploadRow({ item, onRetry, onRemove }: { item: UploadItem; onRetry?: () => void; onRemove?: () => void }) {
  const { t } = useTranslation();
  const local = item.error === 'tooLarge' || item.error === 'badType';
  return (
    <div className="ya-appeal-upload" data-testid="upload-row" data-state={item.state} data-name={item.file.name}>
      <FileOutline className="ya-appeal-upload-icon" aria-hidden="true" />
      <div className="ya-appeal-upload-body">
        <p className="ya-appeal-upload-name">
          {item.file.name} <span className="ya-muted ya-appeal-small">· {t(`appeals.evidenceKinds.${item.kind ?? evidenceKindOf(item.file)}`)}</span>
        </p>
        {item.state === 'waiting' && <p className="ya-muted ya-appeal-small">{t('appeals.upload.waiting')}</p>}
        {item.state === 'uploading' && (
          <>
            <ProgressBar percent={item.progress} />
            <p className="ya-muted ya-appeal-small">{t('appeals.upload.uploading', { percent: item.progress })}</p>
          </>
        )}
        {item.state === 'stored' && item.evidence && (
          <p className="ya-appeal-small ya-appeal-ok" data-testid="upload-hash">
            <CheckCircleFill aria-hidden="true" /> {t('appeals.upload.stored', { hash: shortHash(item.evidence.sha256) })}
          </p>
        )}
        {item.state === 'failed' && (
          <p className="ya-appeal-small ya-appeal-warn" role="alert">
            <CloseCircleFill aria-hidden="true" /> {local ? t(`appeals.upload.${item.error}`) : `${t('appeals.upload.failed')}: ${item.error ?? ''}`}
          </p>
        )}
      </div>
      {item.state === 'failed' && !local && onRetry && (
        <Button size="mini" color="primary" shape="rounded" onClick={onRetry}>
          {t('appeals.upload.retry')}
        </Button>
      )}
      {(item.state === 'waiting' || (item.state === 'failed' && local)) && onRemove && (
        <Button size="mini" shape="rounded" onClick={onRemove}>
          {t('appeals.file.remove')}
        </Button>
      )}
    </div>
  );
}

/** What the next files are (optional: 截图, 排班记录, 考勤 …), then 拍照 or 选照片或 PDF. */
export function EvidencePicker({ onPick, disabled, testId = 'evidence-input' }: { onPick: (files: File[], kind?: EvidenceKind) => void; disabled?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const camera = useRef<HTMLInputElement>(null);
  const files = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<EvidenceKind>();
  const take = (e: React.ChangeEvent<HTMLInputElement>) => {
    const list = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (list.length) onPick(list, kind);
  };
  return (
    <>
      <p className="ya-muted ya-appeal-small">{t('appeals.file.kindHint')}</p>
      <Selector
        className="ya-appeal-selector ya-appeal-kinds"
        columns={4}
        options={evidenceKinds.map((k) => ({ value: k, label: t(`appeals.evidenceKinds.${k}`) }))}
        value={kind ? [kind] : []}
        onChange={(v) => setKind(v[0])}
      />
      <div className="ya-appeal-picker">
        <Button size="small" shape="rounded" disabled={disabled} onClick={() => camera.current?.click()}>
          {t('appeals.file.takePhoto')}
        </Button>
        <Button size="small" shape="rounded" disabled={disabled} onClick={() => files.current?.click()}>
          {t('appeals.file.pickFiles')}
        </Button>
        <input ref={camera} type="file" accept="image/*" capture="environment" hidden onChange={take} data-testid={`${testId}-camera`} />
        <input ref={files} type="file" accept="image/jpeg,image/png,image/webp,application/pdf" multiple hidden onChange={take} data-testid={testId} />
      </div>
    </>
  );
}
