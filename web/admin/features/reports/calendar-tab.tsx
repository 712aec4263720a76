import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Input, InputNumber, Modal, Row, Skeleton, Space, Table, Tag, Typography, theme } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CalendarDay } from '@contracts/reports';
import { ErrorResult } from '../../shared/query-state';
import { useCalendarYear, useSaveCalendarYear } from './api';
import { parseCalendarDays } from './calendar-days';
import { formatTime, useLabel } from './shared';
import { errorMessage } from '@ui/i18n';

const sourceColors: Record<string, string> = { bundled: 'blue', operator: 'green', weekends_only: 'orange' };

function thisYear(): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

/** 工作日历: the year's holidays and make-up working days (调休) the deadlines count with, and loading a year. */
export function CalendarTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [year, setYear] = useState(thisYear);
  const [loading, setLoading] = useState(false);
  const q = useCalendarYear(year);
  const cal = q.data?.year === year ? q.data : undefined;

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <span>{t('reports.calendar.year')}</span>
        <InputNumber value={year} min={2000} max={2100} precision={0} onChange={(v) => v && setYear(v)} aria-label={t('reports.calendar.year')} data-testid="calendar-year" />
        {cal && (
          <Tag color={sourceColors[cal.source]} data-testid="calendar-source" data-source={cal.source}>
            {label('calendar.sources', cal.source)}
          </Tag>
        )}
        {cal?.loadedAt && <Typography.Text type="secondary">{t('reports.calendar.loadedAt', { time: formatTime(cal.loadedAt) })}</Typography.Text>}
        {canEdit && (
          <Button icon={<UploadOutlined />} onClick={() => setLoading(true)} data-testid="calendar-load">
            {t('reports.calendar.load')}
          </Button>
        )}
      </Space>
      {q.isError && !cal ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : !cal ? (
        <Skeleton active />
      ) : (
        <>
          {cal.source === 'weekends_only' && <Alert type="warning" showIcon message={t('reports.calendar.weekendsOnly')} style={{ marginBottom: 16 }} />}
          <YearGrid year={year} days={cal.days} />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('reports.calendar.days')}
          </Typography.Title>
          <Table
            rowKey="date"
            size="small"
            data-testid="calendar-days"
            dataSource={cal.days}
            pagination={false}
            columns={[
              { title: t('reports.calendar.date'), dataIndex: 'date', width: 140 },
              { title: t('reports.calendar.kind'), dataIndex: 'kind', width: 140, render: (k: string) => <Tag color={k === 'holiday' ? 'red' : 'blue'}>{label('calendar.kinds', k)}</Tag> },
              { title: t('reports.calendar.name'), dataIndex: 'name' },
            ]}
          />
        </>
      )}
      <LoadModal open={loading} year={year} onClose={() => setLoading(false)} />
    </>
  );
}

/** Twelve small months: holidays in red (休), make-up working days in blue (班), weekends greyed. */
function YearGrid({ year, days }: { year: number; days: CalendarDay[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const weekdays = [...t('reports.calendar.weekdays')];
  return (
    <>
      <Space size={16} style={{ marginBottom: 8, fontSize: 12 }}>
        <span><Tag color="red">{t('reports.calendar.holiday')}</Tag>{t('reports.calendar.legendHoliday')}</span>
        <span><Tag color="blue">{t('reports.calendar.workday')}</Tag>{t('reports.calendar.legendWorkday')}</span>
        <span style={{ color: token.colorTextTertiary }}>{t('reports.calendar.legendWeekend')}</span>
      </Space>
      <Row gutter={[12, 12]} data-testid="calendar-grid">
        {Array.from({ length: 12 }, (_, m) => {
          const first = new Date(Date.UTC(year, m, 1));
          const lead = (first.getUTCDay() + 6) % 7; // Monday first
          const count = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
          const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: count }, (_, i) => i + 1)];
          return (
            <Col key={m} xs={24} sm={12} md={8} xl={6}>
              <Card size="small" title={t('reports.calendar.monthTitle', { month: m + 1 })}>
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, textAlign: 'center', fontSize: 12 }}>
                  {weekdays.map((w, i) => (
                    <div key={`h${i}`} style={{ color: token.colorTextTertiary }}>{w}</div>
                  ))}
                  {cells.map((d, i) => {
                    if (d === null) return <div key={`e${i}`} />;
                    const date = `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
                    const special = byDate.get(date);
                    const weekend = i % 7 >= 5;
                    const bg = special?.kind === 'holiday' ? token.colorErrorBg : special?.kind === 'workday' ? token.colorInfoBg : undefined;
                    const color = special?.kind === 'holiday' ? token.colorError : special?.kind === 'workday' ? token.colorInfo : weekend ? token.colorTextTertiary : undefined;
                    return (
                      <div key={date} title={special ? `${date} ${special.name}` : date} data-date={date} data-kind={special?.kind} style={{ background: bg, color, borderRadius: 4, padding: '2px 0', fontWeight: special ? 600 : undefined }}>
                        {d}
                      </div>
                    );
                  })}
                </div>
              </Card>
            </Col>
          );
        })}
      </Row>
    </>
  );
}

function LoadModal({ open, year, onClose }: { open: boolean; year: number; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const save = useSaveCalendarYear();
  const parsed = text.trim() ? parseCalendarDays(text, year) : undefined;

  async function submit() {
    if (!parsed?.ok) return;
    try {
      await save.mutateAsync({ year, body: { days: parsed.days } });
      void message.success(t('reports.calendar.saved'));
      setText('');
      onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Modal
      open={open}
      title={t('reports.calendar.loadTitle', { year })}
      okText={t('reports.calendar.load')}
      okButtonProps={{ disabled: !parsed?.ok, loading: save.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('reports.calendar.loadHint')}</Typography.Paragraph>
      <Input.TextArea rows={10} value={text} onChange={(e) => setText(e.target.value)} style={{ fontFamily: 'monospace' }} aria-label={t('reports.calendar.loadTitle', { year })} data-testid="calendar-paste" />
      {parsed && (
        <div style={{ marginTop: 8 }} data-testid="calendar-preview">
          {parsed.ok ? (
            <Typography.Text type="success">
              {t('reports.calendar.preview', { holidays: parsed.days.filter((d) => d.kind === 'holiday').length, workdays: parsed.days.filter((d) => d.kind === 'workday').length })}
            </Typography.Text>
          ) : (
            <Typography.Text type="danger">{t(parsed.error.key, parsed.error.params)}</Typography.Text>
          )}
        </div>
      )}
    </Modal>
  );
}
