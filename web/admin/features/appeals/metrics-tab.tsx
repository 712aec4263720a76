import { useState } from 'react';
import { Empty, Segmented, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { metricDimensions, type MetricsRow } from '@contracts/appeals';
import { ErrorResult } from '../../shared/query-state';
import { useMetrics } from './api';
import { useLabel, Yuan } from './shared';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** 统计: received, closed, closed on time, satisfaction and amount recovered, by type, department, area or month. */
export function MetricsTab() {
  const { t } = useTranslation();
  const label = useLabel();
  const [by, setBy] = useState<(typeof metricDimensions)[number]>('type');
  const q = useMetrics({ by });
  const keyText = (k: string | null) => (k === null ? '—' : by === 'type' ? label('types', k) : k);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>{t('appeals.metrics.by')}</Typography.Text>
        <Segmented value={by} onChange={(v) => setBy(v as typeof by)} options={metricDimensions.map((d) => ({ value: d, label: t(`appeals.metrics.bys.${d}`) }))} />
      </Space>
      {q.isError && !q.data ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<MetricsRow>
          rowKey={(r) => r.key ?? '—'}
          size="small"
          loading={q.isFetching}
          dataSource={q.data}
          pagination={false}
          data-testid="appeal-metrics"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:states.empty')} /> }}
          columns={[
            { title: t('appeals.metrics.key'), dataIndex: 'key', render: (k: string | null) => keyText(k) },
            { title: t('appeals.metrics.received'), dataIndex: 'received', align: 'right' },
            { title: t('appeals.metrics.closed'), dataIndex: 'closed', align: 'right' },
            { title: t('appeals.metrics.closedOnTime'), dataIndex: 'closedOnTime', align: 'right' },
            { title: t('appeals.metrics.satisfactionRate'), dataIndex: 'satisfactionRate', align: 'right', render: pct },
            { title: t('appeals.metrics.recovered'), dataIndex: 'recoveredFen', align: 'right', render: (v: number) => <Yuan fen={v} /> },
          ]}
        />
      )}
    </Space>
  );
}
