import { useEffect, useState } from 'react';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdminReportSummary, ReportCategory } from '@contracts/reports';
import { useStaff } from '../../shell/session';
import { useCategories, useRoutingRules } from './api';

import { formatTime } from '../../shared/format';

export { formatTime };

const statusColors: Record<string, string> = { pending_triage: 'orange', dispatched: 'blue', acknowledged: 'processing', handled: 'cyan', closed: 'default' };
const outcomeColors: Record<string, string> = { fixed: 'green', invalid: 'default', duplicate: 'purple' };
const flagColors: Record<string, string> = { photo_reused: 'magenta', photo_unreadable: 'orange', fraud: 'red', reopened: 'gold', overdue: 'red', escalated: 'volcano', map_picked: 'default', low_accuracy: 'default' };

/** A translated label from the reports strings, or the code itself for a value the screens do not know yet. */
export function useLabel() {
  const { t, i18n } = useTranslation();
  return (group: string, code: string | null | undefined) => {
    if (!code) return '—';
    const key = `reports.${group}.${code}`;
    return i18n.exists(key) ? t(key) : code;
  };
}

export function StatusTag({ status, outcome }: { status: string; outcome?: string | null }) {
  const label = useLabel();
  return (
    <Space size={4} wrap={false}>
      <Tag color={statusColors[status] ?? 'default'} data-status={status}>
        {label('statuses', status)}
      </Tag>
      {outcome && <Tag color={outcomeColors[outcome] ?? 'default'}>{label('outcomes', outcome)}</Tag>}
    </Space>
  );
}

export function FlagTags({ flags }: { flags: string[] }) {
  const label = useLabel();
  if (!flags.length) return null;
  return (
    <Space size={[4, 4]} wrap>
      {flags.map((f) => (
        <Tag key={f} color={flagColors[f] ?? 'default'}>
          {label('flags', f)}
        </Tag>
      ))}
    </Space>
  );
}

/** Category names by code in the reader's language. */
export function useCategoryNames(): { name(code: string | null | undefined): string; categories: ReportCategory[] } {
  const { i18n } = useTranslation();
  const q = useCategories();
  const en = i18n.language === 'en';
  const categories = q.data ?? [];
  const byCode = new Map(categories.map((c) => [c.code, en ? c.nameEn : c.nameZh]));
  return { categories, name: (code) => (code ? (byCode.get(code) ?? code) : '—') };
}

/**
 * A routing rule in words — "路灯不亮 × 白鹤街道 → 住建局 · note" — for the timeline and the drawer; its id
 * when the rule is gone (deleted rules stay on the reports they routed) or not readable (only operators
 * read the rules).
 */
export function useRoutingRuleLabel(): (id: string) => string {
  const { t } = useTranslation();
  const staff = useStaff();
  const rules = useRoutingRules(staff.role === 'operator');
  const { name } = useCategoryNames();
  return (id) => {
    const r = rules.data?.find((x) => x.id === id);
    if (!r) return id;
    const what = t('reports.routing.ruleLabel', { category: r.category ? name(r.category) : t('reports.routing.anyCategory'), area: r.areaName, department: r.departmentName });
    return r.note ? `${what} · ${r.note}` : what;
  };
}

function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** The deadline clock: time left (剩余 X 天 Y 小时) or how long overdue, ticking every minute. */
export function DeadlineClock({ deadlineAt, closedAt, status }: { deadlineAt: string | null; closedAt?: string | null; status?: AdminReportSummary['status'] }) {
  const { t } = useTranslation();
  const now = useNow();
  if (!deadlineAt) return <Typography.Text type="secondary">{t('reports.deadline.none')}</Typography.Text>;
  if (status === 'closed' || status === 'handled') {
    const late = !!closedAt && Date.parse(closedAt) > Date.parse(deadlineAt);
    return <Typography.Text type={late ? 'danger' : 'secondary'}>{formatTime(deadlineAt)}</Typography.Text>;
  }
  const until = now - Date.parse(deadlineAt);
  const ms = Math.abs(until);
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  const overdue = until > 0;
  const text = overdue
    ? days
      ? t('reports.deadline.overdue', { days, hours: h })
      : t('reports.deadline.overdueHours', { hours: h })
    : days
      ? t('reports.deadline.left', { days, hours: h })
      : t('reports.deadline.leftHours', { hours: h });
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text type={overdue ? 'danger' : hours < 24 ? 'warning' : undefined} strong={overdue} data-testid="deadline-clock" data-overdue={overdue}>
        {text}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatTime(deadlineAt)}
      </Typography.Text>
    </Space>
  );
}
