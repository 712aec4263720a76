import { useEffect, useState } from 'react';
import { Space, Tag, Typography, type FormInstance } from 'antd';
import { ApiError } from '@ui/api';
import { errorMessage, fieldErrorMessage } from '@ui/i18n';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../shared/format';

export { formatTime };

const statusColors: Record<string, string> = { submitted: 'orange', acknowledged: 'blue', in_progress: 'processing', mediating: 'purple', resolved: 'cyan', closed: 'default' };

/** A translated label from the appeals strings, or the code itself for a value the screens do not know yet. */
export function useLabel() {
  const { t, i18n } = useTranslation();
  return (group: string, code: string | null | undefined) => {
    if (!code) return '—';
    const key = `appeals.${group}.${code}`;
    return i18n.exists(key) ? t(key) : code;
  };
}

/** Integer fen → "12,000.00" yuan. */
export function formatYuan(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function Yuan({ fen }: { fen: number }) {
  const { t } = useTranslation();
  return <span style={{ whiteSpace: 'nowrap' }}>{t('appeals.yuan', { amount: formatYuan(fen) })}</span>;
}

export function StatusTag({ status, outcome }: { status: string; outcome?: string | null }) {
  const label = useLabel();
  return (
    <Space size={4} wrap={false}>
      <Tag color={statusColors[status] ?? 'default'} data-status={status}>
        {label('statuses', status)}
      </Tag>
      {outcome && <Tag color="green">{label('outcomes', outcome)}</Tag>}
    </Space>
  );
}

function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The clock of the step the appeal is on: acknowledge while submitted, resolve while open; overdue in red. */
export function DeadlineClock({ status, deadlines }: { status: string; deadlines: { acknowledgeBy: string; resolveBy: string; overdue: boolean } }) {
  const { t } = useTranslation();
  const now = useNow();
  if (status === 'resolved' || status === 'closed') return <Typography.Text type="secondary">{t('appeals.deadline.none')}</Typography.Text>;
  const at = status === 'submitted' && deadlines.acknowledgeBy < deadlines.resolveBy ? deadlines.acknowledgeBy : deadlines.resolveBy;
  const until = now - Date.parse(at);
  const overdue = deadlines.overdue || until > 0;
  const ms = Math.abs(until);
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  const text = until > 0 ? (days ? t('appeals.deadline.overdue', { days, hours: h }) : t('appeals.deadline.overdueHours', { hours: h })) : days ? t('appeals.deadline.left', { days, hours: h }) : t('appeals.deadline.leftHours', { hours: h });
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text type={overdue ? 'danger' : hours < 24 ? 'warning' : undefined} strong={overdue} data-testid="appeal-deadline" data-overdue={overdue}>
        {text}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatTime(at)}
      </Typography.Text>
    </Space>
  );
}

/**
 * A server rejection on a form whose field names differ from the body's paths (respondent.name →
 * respondentName, amountClaimedFen → amount): `paths` maps the body path (its first one or two segments)
 * to the form field. Returns what could not be put on a field, for a toast.
 */
export function applyMappedErrors(form: FormInstance, err: unknown, paths: Record<string, string> = {}, codeToField: Record<string, string> = {}): string | undefined {
  if (!(err instanceof ApiError)) return errorMessage(err);
  const fieldNames = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields: { name: string; errors: string[] }[] = [];
  for (const [raw, fe] of Object.entries(err.fieldErrors())) {
    const segs = raw.replace(/^\/?(body[./])?/, '').split(/[./]/).filter(Boolean);
    const name = paths[segs.slice(0, 2).join('.')] ?? paths[segs[0] ?? ''] ?? segs[0];
    if (name && (fieldNames.has(name) || Object.values(paths).includes(name))) fields.push({ name, errors: [err.code === 'request.invalid' ? fieldErrorMessage(fe) : errorMessage(err)] });
  }
  const byCode = codeToField[err.code];
  if (byCode) fields.push({ name: byCode, errors: [errorMessage(err)] });
  if (fields.length) {
    form.setFields(fields);
    return undefined;
  }
  return errorMessage(err);
}
