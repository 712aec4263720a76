import { useState } from 'react';
import { Badge, Button, Input, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { appealTypes, type AppealType } from '@contracts/appeals';
import { libraryKinds, libraryStatuses, type LibraryAdminSummary, type LibraryKind, type LibraryStatus } from '@contracts/library';
import { formatDateTime } from '@ui/format';
import { Page } from '../../shell/layout';
import { PagedTable } from '../../shared/paged-table';
import { useLibraryAdminList } from './api';
import { EntryEditor } from './entry-editor';

interface Filter {
  q?: string;
  kind?: LibraryKind;
  appealType?: AppealType;
  status?: LibraryStatus;
  page: number;
  pageSize: number;
}

export const statusColor: Record<LibraryStatus, string> = { draft: 'default', published: 'green', archived: 'orange' };

/** 典型案例与示范合同: the list; `/library/new?kind=…` creates, `/library/<id>` edits. */
export function LibraryPage() {
  const rest = useParams()['*'] || '';
  if (rest) return <EntryEditor id={rest === 'new' ? undefined : rest} />;
  return <LibraryList />;
}

function LibraryList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>({ page: 1, pageSize: 20 });
  const list = useLibraryAdminList(filter);
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));

  return (
    <Page
      title={t('library.title')}
      extra={
        <Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/library/new?kind=typical_case')} data-testid="library-new-case">
            {t('library.newCase')}
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => navigate('/library/new?kind=model_contract')} data-testid="library-new-contract">
            {t('library.newContract')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('library.subtitle')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('library.search')} maxLength={50} style={{ width: 260 }} onSearch={(v) => set({ q: v.trim() || undefined })} aria-label={t('library.search')} />
        <Select
          allowClear
          placeholder={t('library.filters.kind')}
          aria-label={t('library.filters.kind')}
          style={{ width: 140 }}
          value={filter.kind}
          onChange={(v) => set({ kind: v })}
          options={libraryKinds.map((k) => ({ value: k, label: t(`library.kinds.${k}`) }))}
        />
        <Select
          allowClear
          placeholder={t('library.filters.appealType')}
          aria-label={t('library.filters.appealType')}
          style={{ width: 160 }}
          value={filter.appealType}
          onChange={(v) => set({ appealType: v })}
          options={appealTypes.map((a) => ({ value: a, label: t(`appeals.types.${a}`) }))}
        />
        <Select
          allowClear
          placeholder={t('library.filters.status')}
          aria-label={t('library.filters.status')}
          style={{ width: 120 }}
          value={filter.status}
          onChange={(v) => set({ status: v })}
          options={libraryStatuses.map((s) => ({ value: s, label: t(`library.statuses.${s}`) }))}
        />
      </Space>
      <PagedTable<LibraryAdminSummary, Filter>
        rowKey="id"
        query={list}
        filter={filter}
        setFilter={setFilter}
        onRow={(r) => ({ onClick: () => navigate(`/library/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('library.columns.title'),
            dataIndex: 'title',
            render: (title: string, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Link data-testid="library-row">{title}</Typography.Link>
                {r.hasDraft && r.status !== 'draft' && <Badge status="processing" text={t('library.pendingDraft')} />}
              </Space>
            ),
          },
          { title: t('library.columns.kind'), dataIndex: 'kind', width: 120, render: (k: LibraryKind) => t(`library.kinds.${k}`) },
          { title: t('library.columns.status'), dataIndex: 'status', width: 100, render: (s: LibraryStatus) => <Tag color={statusColor[s]}>{t(`library.statuses.${s}`)}</Tag> },
          { title: t('library.columns.appealTypes'), dataIndex: 'appealTypes', render: (xs: AppealType[]) => xs.map((a) => <Tag key={a}>{t(`appeals.types.${a}`)}</Tag>) },
          { title: t('library.columns.revision'), dataIndex: 'revision', width: 90, render: (n: number) => t('library.revisionN', { n }) },
          { title: t('library.columns.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatDateTime(v) },
        ]}
      />
    </Page>
  );
}
