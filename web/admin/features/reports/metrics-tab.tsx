import { useState } from 'react';
import { Button, DatePicker, Empty, Segmented, Space, Table, theme, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { metricsGroupings, type MetricsGrouping, type MetricsRow } from '@contracts/reports';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { useMetrics } from './api';
import { saveBlob, toCsv } from '../../shared/raw-request';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** 统计: received, valid share, median time to close and on-time share per category, department, street or month. */
export function MetricsTab() {
  const { t } = useTranslation();
  const staff = useStaff();
  const { token } = theme.useToken();
  const [groupBy, setGroupBy] = useState<MetricsGrouping>('category');
  // no range picked: the server's default, the 12 months up to today in Shanghai (the browser's own
  // "today" may still be yesterday there, which would leave out the latest reports)
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [areaCode, setAreaCode] = useState<string>();
  const q = useMetrics({
    groupBy,
    from: range?.[0].format('YYYY-MM-DD'),
    to: range?.[1].format('YYYY-MM-DD'),
    areaCode: areaCode && areaCode !== staff.areaCode ? areaCode : undefined,
  });
  const data = q.data;
  const shown: [Dayjs, Dayjs] | null = range ?? (data ? [dayjs(data.from), dayjs(data.to)] : null);
  const max = Math.max(1, ...(data?.rows ?? []).map((r) => r.received));

  const bar = (value: number, color: string) => (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
      <div style={{ flex: 1, minWidth: 60, background: token.colorFillSecondary, borderRadius: 3, height: 10 }}>
        <div style={{ width: `${(value / max) * 100}%`, background: color, height: '100%', borderRadius: 3 }} />
      </div>
      <span style={{ minWidth: 36, textAlign: 'right' }}>{value}</span>
    </div>
  );

  const columns: TableColumnsType<MetricsRow> = [
    { title: t(`reports.metrics.groups.${groupBy}`), dataIndex: 'label', width: 200, ellipsis: true },
    { title: t('reports.metrics.columns.received'), dataIndex: 'received', width: 200, render: (v: number) => bar(v, token.colorPrimary) },
    { title: t('reports.metrics.columns.closed'), dataIndex: 'closed', width: 200, render: (v: number) => bar(v, token.colorSuccess) },
    { title: t('reports.metrics.columns.valid'), dataIndex: 'valid', width: 80, align: 'right' },
    { title: t('reports.metrics.columns.validShare'), dataIndex: 'validShare', width: 100, align: 'right', render: pct },
    { title: t('reports.metrics.columns.medianHours'), dataIndex: 'medianHoursToClose', width: 140, align: 'right', render: (v: number | null) => (v === null ? '—' : t('reports.metrics.hours', { hours: v.toFixed(1) })) },
    { title: t('reports.metrics.columns.onTime'), dataIndex: 'closedOnTime', width: 100, align: 'right' },
    { title: t('reports.metrics.columns.onTimeShare'), dataIndex: 'onTimeShare', width: 100, align: 'right', render: pct },
  ];

  function exportCsv() {
    if (!data) return;
    const header = [t(`reports.metrics.groups.${groupBy}`), ...(['received', 'closed', 'valid', 'validShare', 'medianHours', 'onTime', 'onTimeShare'] as const).map((k) => t(`reports.metrics.columns.${k}`))];
    const line = (r: MetricsRow) => [r.label, r.received, r.closed, r.valid, r.validShare, r.medianHoursToClose, r.closedOnTime, r.onTimeShare];
    const csv = toCsv(header, [...data.rows.map(line), line({ ...data.total, label: t('reports.metrics.total') })]);
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `reports-metrics-${groupBy}-${data.from}-${data.to}.csv`);
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented value={groupBy} onChange={(v) => setGroupBy(v as MetricsGrouping)} options={metricsGroupings.map((g) => ({ value: g, label: t(`reports.metrics.groups.${g}`) }))} data-testid="metrics-group" />
        <DatePicker.RangePicker value={shown} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} aria-label={t('reports.metrics.range')} />
        <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} value={areaCode} onChange={setAreaCode} style={{ width: 240 }} />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!data} data-testid="metrics-csv">
          {t('reports.metrics.exportCsv')}
        </Button>
      </Space>
      {q.isError && !data ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table
          rowKey="key"
          data-testid="metrics-table"
          columns={columns}
          dataSource={data?.rows}
          loading={q.isFetching}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.metrics.empty')} /> }}
          summary={() =>
            data && data.rows.length > 0 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <Typography.Text strong>{t('reports.metrics.total')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1}>{data.total.received}</Table.Summary.Cell>
                <Table.Summary.Cell index={2}>{data.total.closed}</Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">{data.total.valid}</Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">{pct(data.total.validShare)}</Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">{data.total.medianHoursToClose === null ? '—' : t('reports.metrics.hours', { hours: data.total.medianHoursToClose.toFixed(1) })}</Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">{data.total.closedOnTime}</Table.Summary.Cell>
                <Table.Summary.Cell index={7} align="right">{pct(data.total.onTimeShare)}</Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      )}
    </>
  );
}
