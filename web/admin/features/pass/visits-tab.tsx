import { useState } from 'react';
import { Button, Card, Col, DatePicker, Form, Row, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { VisitsReport } from '@contracts/pass';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { useVisits } from './api';
import { downloadCsv, toCsv } from './csv';

/** This month on the Shanghai calendar (YYYY-MM). */
function shanghaiMonth(now = new Date()): string {
  const d = new Date(now.getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Station check-ins counted as service visits per street, station and month; CSV export. */
export function VisitsTab() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [month, setMonth] = useState(shanghaiMonth);
  const [areaCode, setAreaCode] = useState<string>();
  const visits = useVisits(month, areaCode);
  const report = visits.data;
  const streetName = new Map((report?.byStreet ?? []).map((s) => [s.areaCode, s.areaName]));

  function exportCsv(r: VisitsReport) {
    const rows: (string | number)[][] = [
      ...r.byStreet.map((s) => [t('pass.visits.sheetStreet'), s.areaName, s.areaCode, s.areaName, s.visits]),
      ...r.byStation.map((s) => [t('pass.visits.sheetStation'), s.name, s.areaCode, streetName.get(s.areaCode) ?? '', s.visits]),
    ];
    const header = (['kind', 'name', 'code', 'street', 'visits'] as const).map((k) => t(`pass.visits.csv.${k}`));
    downloadCsv(`${t('pass.visits.fileName')}-${r.month}.csv`, toCsv(header, rows));
  }

  return (
    <>
      <Typography.Paragraph type="secondary">{t('pass.visits.hint')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item label={t('pass.visits.month')}>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'month')}
            onChange={(d: Dayjs | null) => d && setMonth(d.format('YYYY-MM'))}
            data-testid="visits-month"
          />
        </Form.Item>
        <Form.Item label={t('pass.visits.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} maxLength={9} value={areaCode} onChange={setAreaCode} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item>
          <Button icon={<DownloadOutlined />} disabled={!report} onClick={() => report && exportCsv(report)} data-testid="visits-export">
            {t('pass.visits.export')}
          </Button>
        </Form.Item>
      </Form>
      {visits.isError && !report ? (
        <ErrorResult error={visits.error} onRetry={() => void visits.refetch()} />
      ) : (
        <>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Card loading={!report}>
                <Statistic title={t('pass.visits.total', { month })} value={report?.total ?? 0} data-testid="visits-total" />
              </Card>
            </Col>
            <Col xs={24} md={16}>
              <Card title={t('pass.visits.byMonth')} size="small" loading={!report}>
                <MonthBars data={report?.byMonth ?? []} />
              </Card>
            </Col>
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={10}>
              <Card title={t('pass.visits.byStreet')} size="small">
                <Table
                  rowKey="areaCode"
                  size="small"
                  loading={visits.isFetching}
                  dataSource={report?.byStreet}
                  pagination={false}
                  locale={{ emptyText: t('pass.visits.empty') }}
                  columns={[
                    { title: t('pass.visits.street'), dataIndex: 'areaName' },
                    { title: t('pass.visits.count'), dataIndex: 'visits', align: 'right', width: 120 },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title={t('pass.visits.byStation')} size="small">
                <Table
                  rowKey="placeId"
                  size="small"
                  loading={visits.isFetching}
                  dataSource={report?.byStation}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  locale={{ emptyText: t('pass.visits.empty') }}
                  columns={[
                    { title: t('pass.visits.station'), dataIndex: 'name' },
                    { title: t('pass.visits.street'), dataIndex: 'areaCode', render: (c: string) => streetName.get(c) ?? c },
                    { title: t('pass.visits.count'), dataIndex: 'visits', align: 'right', width: 120, sorter: (a, b) => a.visits - b.visits, defaultSortOrder: 'descend' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}

/** Twelve months as plain bars (no chart library needed for one series). */
function MonthBars({ data }: { data: VisitsReport['byMonth'] }) {
  const max = Math.max(1, ...data.map((d) => d.visits));
  return (
    <div style={{ display: 'flex', alignItems: 'flex-end', gap: 6, height: 120 }} role="list">
      {data.map((d) => (
        <div key={d.month} role="listitem" title={`${d.month}: ${d.visits}`} style={{ flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 4, height: '100%', justifyContent: 'flex-end' }}>
          <span style={{ fontSize: 11, color: '#8c8c8c' }}>{d.visits || ''}</span>
          <div style={{ width: '100%', height: `${Math.round((d.visits / max) * 80)}%`, minHeight: d.visits ? 2 : 0, background: '#d4380d', borderRadius: 2 }} />
          <span style={{ fontSize: 11, color: '#8c8c8c' }}>{d.month.slice(5)}</span>
        </div>
      ))}
    </div>
  );
}
