import { Descriptions, Drawer, Empty, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppealSummary } from '@contracts/appeals';
import { ErrorResult } from '../../shared/query-state';
import { mono } from '../../shared/format';
import { useCase } from './api';
import { DeadlineClock, formatYuan, StatusTag, useLabel, Yuan } from './shared';

/** A collective case (专班): its task force, and each member appeal with its own status and outcome. */
export function CaseDrawer({ id, onClose, onOpen }: { id: string | undefined; onClose(): void; onOpen(appealId: string): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const q = useCase(id);
  const c = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={900} destroyOnHidden data-testid="case-drawer" title={c ? t('appeals.case.title', { code: c.code }) : t('appeals.createCase')}>
      {q.isLoading && <Skeleton active />}
      {q.isError && !c && <ErrorResult error={q.error} onRetry={() => void q.refetch()} />}
      {c && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t('appeals.forms.caseTitle')}>{c.title}</Descriptions.Item>
            <Descriptions.Item label={t('appeals.case.respondent')}>
              {c.respondentName}
              {c.respondentUscc && <span style={{ ...mono, marginLeft: 8 }}>{c.respondentUscc}</span>}
            </Descriptions.Item>
            <Descriptions.Item label={t('appeals.case.members')}>
              {c.members.length ? (
                <Space wrap>
                  {c.members.map((m) => (
                    <Tag key={`${m.staffId}-${m.role}`} color="blue">
                      {label('roles', m.role)} · {m.displayName}
                    </Tag>
                  ))}
                </Space>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('appeals.columns.amount')}>
              <span data-testid="case-totals">{t('appeals.case.totals', { claimed: `¥${formatYuan(c.amountClaimedFen)}`, recovered: `¥${formatYuan(c.recoveredFen)}` })}</span>
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('appeals.case.appeals')}</Typography.Title>
            <Table<AppealSummary>
              rowKey="id"
              size="small"
              data-testid="case-appeals"
              dataSource={c.appeals}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('appeals.columns.code'), dataIndex: 'code', render: (v: string) => <span style={mono}>{v}</span> },
                { title: t('appeals.columns.type'), dataIndex: 'type', render: (v: string) => label('types', v) },
                { title: t('appeals.columns.contact'), dataIndex: 'nameMasked', render: (_: unknown, r) => `${r.nameMasked ?? ''} ${r.phoneMasked ?? ''}`.trim() || '—' },
                { title: t('appeals.columns.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
                { title: t('appeals.columns.amount'), dataIndex: 'amountClaimedFen', align: 'right', render: (v: number) => <Yuan fen={v} /> },
                { title: t('appeals.drawer.recovered'), dataIndex: 'recoveredFen', align: 'right', render: (v: number) => <Yuan fen={v} /> },
                { title: t('appeals.columns.deadline'), dataIndex: 'deadlines', render: (_: unknown, r) => <DeadlineClock status={r.status} deadlines={r.deadlines} /> },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
