import { useState } from 'react';
import { Alert, Button, Card, Col, Empty, Form, Progress, Row, Skeleton, Statistic, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import type { ServiceCircleRow } from '@contracts/places';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { useServiceCircle } from './api';
import { GapsMap } from './gaps-map';

type Row = Static<typeof ServiceCircleRow>;

/** Red under 60 %, orange under 80 %, green above: the share of compounds within 15 minutes of a station. */
export const shareColor = (share: number) => (share < 0.6 ? '#cf1322' : share < 0.8 ? '#fa8c16' : '#52c41a');
const pct = (share: number) => Math.round(share * 1000) / 10;

/** 15分钟服务圈: for an area, the share of its compounds with a station in reach, per child area, and the gaps on a map. */
export function ServiceCircleTab() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [areaCode, setAreaCode] = useState<string>(staff.areaCode);
  const report = useServiceCircle(areaCode);
  const r = report.data;
  // Child areas can be drilled into down to streets (their rows are communities).
  const canDrill = (code: string) => code.length <= 9;

  const columns: TableColumnsType<Row> = [
    {
      title: t('places.circle.area'),
      dataIndex: 'areaName',
      render: (v: string, row) =>
        canDrill(row.areaCode) ? (
          <Tooltip title={t('places.circle.drill')}>
            <Typography.Link onClick={() => setAreaCode(row.areaCode)}>{v}</Typography.Link>
          </Tooltip>
        ) : (
          v
        ),
    },
    { title: t('places.circle.compounds'), dataIndex: 'compounds', width: 100, align: 'right', sorter: (a, b) => a.compounds - b.compounds },
    { title: t('places.circle.covered'), dataIndex: 'covered', width: 100, align: 'right', sorter: (a, b) => a.covered - b.covered },
    {
      title: t('places.circle.share'),
      dataIndex: 'share',
      width: 200,
      // Areas without compounds have nothing to cover: they sort after the worst-covered.
      sorter: (a, b) => (a.compounds ? a.share : 2) - (b.compounds ? b.share : 2),
      defaultSortOrder: 'ascend',
      render: (v: number, row) =>
        row.compounds ? (
          <Progress percent={pct(v)} strokeColor={shareColor(v)} size="small" aria-label={t('places.circle.shareOf', { name: row.areaName, share: pct(v) })} />
        ) : (
          <Typography.Text type="secondary">{t('places.circle.noCompounds')}</Typography.Text>
        ),
    },
  ];

  return (
    <>
      <Alert type="info" showIcon title={t('places.circle.intro')} style={{ marginBottom: 16 }} />
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item label={t('places.circle.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} value={areaCode} onChange={(c) => setAreaCode(c ?? staff.areaCode)} maxLength={12} allowClear={false} style={{ width: 300 }} />
        </Form.Item>
        <Form.Item>
          <Button icon={<ReloadOutlined />} onClick={() => void report.refetch()} aria-label={t('common:actions.refresh')} />
        </Form.Item>
        {areaCode !== staff.areaCode && (
          <Form.Item>
            <Button icon={<RollbackOutlined />} onClick={() => setAreaCode(areaCode.length > 9 ? areaCode.slice(0, 9) : areaCode.length > 6 ? areaCode.slice(0, 6) : staff.areaCode)}>
              {t('places.circle.up')}
            </Button>
          </Form.Item>
        )}
      </Form>
      {report.isError && !r ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : !r ? (
        <Skeleton active />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="circle-summary">
            <Col xs={24} md={8}>
              <Card size="small">
                <Statistic title={t('places.circle.overall', { area: r.areaName })} value={pct(r.share)} suffix="%" styles={{ content: { color: shareColor(r.share) } }} />
                <Progress percent={pct(r.share)} strokeColor={shareColor(r.share)} showInfo={false} aria-hidden />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card size="small">
                <Statistic title={t('places.circle.coveredOf')} value={r.covered} suffix={`/ ${r.compounds}`} />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card size="small">
                <Statistic title={t('places.circle.reach')} value={(r.reachM / 1000).toFixed(1)} suffix={t('places.circle.km')} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('places.circle.reachHint')}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Table<Row>
                rowKey="areaCode"
                size="small"
                data-testid="circle-table"
                columns={columns}
                dataSource={r.rows}
                loading={report.isFetching}
                pagination={r.rows.length > 15 ? { pageSize: 15, showSizeChanger: false } : false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.circle.noRows')} /> }}
              />
            </Col>
            <Col xs={24} xl={12}>
              <Typography.Text strong>{t('places.circle.gapsTitle', { count: r.gaps.length })}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <GapsMap gaps={r.gaps} height={460} label={t('places.circle.mapLabel', { area: r.areaName })} />
              </div>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
