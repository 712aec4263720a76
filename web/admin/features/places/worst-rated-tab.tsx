import { useState } from 'react';
import { Alert, Button, Empty, Form, Progress, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { labelOf } from '../../shared/format';
import { useWorstRated, type WorstRatedItem } from './api';
import { PlaceTypeTag } from './place-tags';

export const scoreColor = (score: number) => (score < 40 ? '#cf1322' : score < 60 ? '#fa8c16' : score < 80 ? '#fadb14' : '#52c41a');

/** 差评场所: the compounds and buildings riders rate worst in the staff member's area (friendliness score). */
export function WorstRatedTab({ onOpen }: { onOpen(id: string): void }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const [areaCode, setAreaCode] = useState<string>(staff.areaCode);
  const list = useWorstRated(areaCode);

  const columns: TableColumnsType<WorstRatedItem> = [
    { title: t('places.worst.rank'), key: 'rank', width: 60, render: (_, __, i) => i + 1 },
    { title: t('places.fields.name'), dataIndex: 'name', ellipsis: true, render: (v: string, r) => <Typography.Link onClick={() => onOpen(r.id)}>{v}</Typography.Link> },
    { title: t('places.fields.type'), dataIndex: 'type', width: 100, render: (v: string) => <PlaceTypeTag type={v} /> },
    { title: t('places.fields.area'), dataIndex: 'areaName', width: 200, ellipsis: true },
    {
      title: t('places.worst.score'),
      key: 'score',
      width: 200,
      sorter: (a, b) => a.friendliness.score - b.friendliness.score,
      render: (_, r) => (
        <Progress
          percent={r.friendliness.score}
          strokeColor={scoreColor(r.friendliness.score)}
          format={(p) => `${p}`}
          size="small"
          aria-label={t('places.worst.scoreOf', { name: r.name, score: r.friendliness.score })}
        />
      ),
    },
    { title: t('places.worst.ratings'), key: 'ratings', width: 90, align: 'right', sorter: (a, b) => a.friendliness.ratings - b.friendliness.ratings, render: (_, r) => r.friendliness.ratings },
    { title: t('places.worst.letIn'), key: 'letIn', width: 100, align: 'right', render: (_, r) => `${Math.round(r.friendliness.letInRate * 100)}%` },
    { title: t('places.worst.typicalEntry'), key: 'entry', width: 120, render: (_, r) => labelOf('entryBuckets', r.friendliness.typicalEntry) },
  ];

  return (
    <>
      <Alert type="info" showIcon title={t('places.worst.intro')} style={{ marginBottom: 16 }} />
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item label={t('places.fields.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} value={areaCode} onChange={(c) => setAreaCode(c ?? staff.areaCode)} style={{ width: 280 }} allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common:actions.refresh')} />
        </Form.Item>
      </Form>
      {list.isError && !list.data ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<WorstRatedItem>
          rowKey="id"
          data-testid="worst-rated-table"
          columns={columns}
          dataSource={list.data}
          loading={list.isFetching}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.worst.empty')} /> }}
        />
      )}
    </>
  );
}
