import { useEffect, useState } from 'react';
import { App, Button, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScannerAccount } from '@contracts/pass';
import { errorMessage } from '@ui/i18n';
import { ErrorResult } from '../../shared/query-state';
import { labelOf } from '../../shared/format';
import { useBindScanner, usePlaceSearch, useScanners } from './api';

/** Scanner accounts in my area and the places each scans for; binding sets the list. */
export function ScannersTab() {
  const { t } = useTranslation();
  const scanners = useScanners();
  const [editing, setEditing] = useState<ScannerAccount>();

  const columns: TableColumnsType<ScannerAccount> = [
    {
      title: t('pass.scanners.account'),
      key: 'account',
      width: 220,
      render: (_, s) => (
        <>
          <div>{s.displayName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.username}
          </Typography.Text>
        </>
      ),
    },
    { title: t('pass.scanners.area'), dataIndex: 'areaName', width: 180 },
    {
      title: t('pass.scanners.places'),
      key: 'places',
      render: (_, s) =>
        s.places.length ? (
          <Space size={[4, 4]} wrap>
            {s.places.map((p) => (
              <Tag key={p.id}>
                {p.name} · {labelOf('placeTypes', p.type)}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('pass.scanners.none')}</Typography.Text>
        ),
    },
    {
      title: t('pass.scanners.status'),
      dataIndex: 'active',
      width: 80,
      render: (v: boolean) => (v ? <Tag color="green">{t('pass.scanners.active')}</Tag> : <Tag>{t('pass.scanners.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_, s) => (
        <Button type="link" size="small" onClick={() => setEditing(s)} aria-label={`${t('pass.scanners.bind')} ${s.displayName}`}>
          {t('pass.scanners.bind')}
        </Button>
      ),
    },
  ];

  if (scanners.isError) return <ErrorResult error={scanners.error} onRetry={() => void scanners.refetch()} />;
  return (
    <>
      <Table<ScannerAccount>
        rowKey="staffId"
        data-testid="scanners-table"
        loading={scanners.isFetching}
        dataSource={scanners.data}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('pass.scanners.empty') }}
        scroll={{ x: 900 }}
      />
      {editing && <BindModal key={editing.staffId} account={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}

function BindModal({ account, onClose }: { account: ScannerAccount; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const bind = useBindScanner();
  const [value, setValue] = useState<string[]>(account.places.map((p) => p.id));
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const places = usePlaceSearch(q);
  // Keep the names of places already bound even when the search shows others.
  const known = new Map<string, string>(account.places.map((p) => [p.id, `${p.name} · ${labelOf('placeTypes', p.type)}`]));
  for (const p of places.data?.items ?? []) known.set(p.id, `${p.name} · ${labelOf('placeTypes', p.type)} · ${p.areaName}`);

  async function submit() {
    try {
      await bind.mutateAsync({ staffId: account.staffId, placeIds: value });
      void message.success(t('pass.scanners.saved'));
      onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Modal
      open
      title={t('pass.scanners.bindTitle', { name: account.displayName })}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: bind.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      width={600}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('pass.scanners.bindHint')}</Typography.Paragraph>
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        value={value}
        onChange={(v: string[]) => setValue(v.slice(0, 50))}
        showSearch={{ filterOption: false, onSearch: setTyped }}
        placeholder={t('pass.scanners.placesPlaceholder')}
        loading={places.isFetching}
        options={[...known].map(([id, label]) => ({ value: id, label }))}
        data-testid="bind-places"
        aria-label={t('pass.scanners.places')}
      />
    </Modal>
  );
}
