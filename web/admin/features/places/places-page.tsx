import { useState, type Dispatch, type SetStateAction } from 'react';
import { App, Button, Dropdown, Empty, Form, Input, Select, Space, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, FileExcelOutlined, PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { placeStatuses, placeTypes, type AdminPlace, type PlaceStatus, type PlaceType } from '@contracts/places';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { AreaCascader } from '../../shared/area-cascader';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { formatTime, labelOf } from '../../shared/format';
import { downloadTemplate, exportPlaces, usePlaces, type PlaceFilter, type SpreadsheetFormat } from './api';
import { PlaceStatusTag, PlaceTypeTag } from './place-tags';
import { mayEditPlaces, mayImportActive } from './place-rules';
import { PlaceDrawer } from './place-drawer';
import { PlaceFormDrawer, type PlaceEditing } from './place-form';
import { ImportModal } from './import-modal';
import { WorstRatedTab } from './worst-rated-tab';
import { ServiceCircleTab } from './service-circle-tab';

const tabs = ['list', 'worst', 'circle'] as const;
type TabKey = (typeof tabs)[number];

/** 场所: the registry (list, create, edit, lifecycle, import/export), the worst-rated, the 15-minute circle. */
export function PlacesPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = tabs.includes(params.get('tab') as TabKey) ? (params.get('tab') as TabKey) : 'list';
  const [openId, setOpenId] = useState<string>();
  const [opened, setOpened] = useState<AdminPlace>();
  const [editing, setEditing] = useState<PlaceEditing>();
  const [importing, setImporting] = useState(false);
  const [filter, setFilter] = useState<PlaceFilter>({ page: 1, pageSize: 20 });
  const editable = mayEditPlaces(staff.role);

  const open = (id: string, fallback?: AdminPlace) => {
    setOpened(fallback);
    setOpenId(id);
  };

  return (
    <Page title={t('places.title')} extra={tab === 'list' ? <Toolbar filter={filter} editable={editable} onCreate={() => setEditing({ mode: 'create' })} onImport={() => setImporting(true)} /> : undefined}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'list' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'list', label: t('places.tabs.list'), children: <PlaceList filter={filter} setFilter={setFilter} onOpen={open} onCreate={editable ? () => setEditing({ mode: 'create' }) : undefined} /> },
          { key: 'worst', label: t('places.tabs.worst'), children: <WorstRatedTab onOpen={(id) => open(id)} /> },
          { key: 'circle', label: t('places.tabs.circle'), children: <ServiceCircleTab /> },
        ]}
      />
      <PlaceDrawer
        id={openId}
        fallback={opened}
        editable={editable}
        onClose={() => setOpenId(undefined)}
        onEdit={(place) => setEditing({ mode: 'edit', place })}
      />
      <PlaceFormDrawer editing={editing} onClose={() => setEditing(undefined)} onSaved={(p) => editing?.mode === 'create' && open(p.id, p)} />
      <ImportModal open={importing} onClose={() => setImporting(false)} mayActivate={mayImportActive(staff.role)} />
    </Page>
  );
}

function Toolbar({ filter, editable, onCreate, onImport }: { filter: PlaceFilter; editable: boolean; onCreate(): void; onImport(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  // An export takes the list's filters, not its page.
  const { page: _page, pageSize: _pageSize, ...current } = filter;

  async function run(job: () => Promise<void>) {
    setBusy(true);
    try {
      await job();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const formats: { key: SpreadsheetFormat; label: string }[] = [
    { key: 'xlsx', label: 'Excel (XLSX)' },
    { key: 'csv', label: 'CSV' },
  ];

  return (
    <Space wrap>
      {editable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
          {t('places.toolbar.create')}
        </Button>
      )}
      {editable && (
        <Button icon={<UploadOutlined />} onClick={onImport}>
          {t('places.toolbar.import')}
        </Button>
      )}
      <Dropdown menu={{ items: formats, onClick: ({ key }) => void run(() => exportPlaces(key as SpreadsheetFormat, current)) }} trigger={['click']}>
        <Button icon={<DownloadOutlined />} loading={busy} title={t('places.toolbar.exportHint')}>
          {t('places.toolbar.export')}
        </Button>
      </Dropdown>
      {editable && (
        <Dropdown menu={{ items: formats, onClick: ({ key }) => void run(() => downloadTemplate(key as SpreadsheetFormat)) }} trigger={['click']}>
          <Button icon={<FileExcelOutlined />}>{t('places.toolbar.template')}</Button>
        </Dropdown>
      )}
    </Space>
  );
}

interface FilterValues {
  q?: string;
  type?: PlaceType;
  status?: PlaceStatus;
  areaCode?: string;
}

function PlaceList({ filter, setFilter, onOpen, onCreate }: { filter: PlaceFilter; setFilter: Dispatch<SetStateAction<PlaceFilter>>; onOpen(id: string, p: AdminPlace): void; onCreate?: () => void }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const list = usePlaces(filter);
  const filtered = !!(filter.q || filter.type || filter.status || filter.areaCode);

  const columns: TableColumnsType<AdminPlace> = [
    {
      title: t('places.fields.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, p) => (
        <div>
          <Typography.Link onClick={(e) => { e.stopPropagation(); onOpen(p.id, p); }}>{v}</Typography.Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {p.address}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('places.fields.type'), dataIndex: 'type', width: 110, render: (v: string) => <PlaceTypeTag type={v} /> },
    { title: t('places.fields.area'), dataIndex: 'areaName', width: 200, ellipsis: true },
    { title: t('places.fields.status'), dataIndex: 'status', width: 100, render: (v: string) => <PlaceStatusTag status={v} /> },
    { title: t('places.fields.hours'), dataIndex: 'hours', width: 210, ellipsis: true, render: (v: string | null) => (v ? <code style={{ fontSize: 12 }}>{v}</code> : '—') },
    { title: t('places.fields.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string) => formatTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 80,
      render: (_, p) => (
        <Button type="link" size="small" onClick={(e) => { e.stopPropagation(); onOpen(p.id, p); }} aria-label={t('places.list.detailOf', { name: p.name })}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter({ page: 1, pageSize: filter.pageSize, q: v.q?.trim() || undefined, type: v.type, status: v.status, areaCode: v.areaCode })}
      >
        <Form.Item name="q">
          <Input placeholder={t('places.list.searchPlaceholder')} aria-label={t('places.list.search')} allowClear style={{ width: 220 }} prefix={<SearchOutlined />} />
        </Form.Item>
        <Form.Item name="type" label={t('places.fields.type')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 130 }} options={placeTypes.map((p) => ({ value: p, label: labelOf('placeTypes', p) }))} />
        </Form.Item>
        <Form.Item name="status" label={t('places.fields.status')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 110 }} options={placeStatuses.map((s) => ({ value: s, label: labelOf('placeStatuses', s) }))} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('places.fields.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 260 }} />
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter({ page: 1, pageSize: filter.pageSize })} onRefresh={() => void list.refetch()} />
      </Form>
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="places-table"
        columns={columns}
        scroll={{ x: 1100 }}
        onRow={(p) => ({ onClick: () => onOpen(p.id, p), style: { cursor: 'pointer' } })}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? t('places.list.emptyFiltered') : t('places.list.empty')}
            >
              {!filtered && onCreate && (
                <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
                  {t('places.toolbar.create')}
                </Button>
              )}
            </Empty>
          ),
        }}
      />
    </>
  );
}
