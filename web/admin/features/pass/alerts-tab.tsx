import { useState } from 'react';
import { App, Button, Segmented, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PassAlert } from '@contracts/pass';
import { errorMessage } from '@ui/i18n';
import { PagedTable } from '../../shared/paged-table';
import { formatTime } from '../../shared/format';
import { useAlerts, useCloseAlert, type AlertFilter } from './api';

/** Copy alerts: one token seen at two places. Staff check and close them. */
export function AlertsTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<AlertFilter>({ status: 'open', page: 1, pageSize: 20 });
  const alerts = useAlerts(filter);
  const close = useCloseAlert();

  const confirmClose = (a: PassAlert) =>
    modal.confirm({
      title: t('pass.alerts.closeTitle'),
      content: t('pass.alerts.closeBody'),
      okText: t('pass.alerts.close'),
      cancelText: t('common:actions.cancel'),
      onOk: () =>
        close.mutateAsync(a.id).then(
          () => void message.success(t('pass.alerts.closedToast')),
          (e: unknown) => void message.error(errorMessage(e)),
        ),
    });

  const columns: TableColumnsType<PassAlert> = [
    { title: t('pass.alerts.worker'), key: 'worker', width: 120, render: (_, a) => a.nameMasked ?? '—' },
    {
      title: t('pass.alerts.places'),
      key: 'places',
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          {a.places.map((p, i) => (
            <span key={`${p.id}-${i}`}>
              {p.name ?? p.id}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(p.scannedAt)}
              </Typography.Text>
            </span>
          ))}
        </Space>
      ),
    },
    { title: t('pass.alerts.detectedAt'), dataIndex: 'detectedAt', width: 160, render: (v: string) => formatTime(v) },
    {
      title: t('pass.alerts.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: PassAlert['status']) => <Tag color={v === 'open' ? 'red' : 'default'}>{t(`pass.alerts.${v}`)}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, a) =>
        a.status === 'open' ? (
          <Button type="link" size="small" onClick={() => void confirmClose(a)}>
            {t('pass.alerts.close')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('pass.alerts.hint')}</Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 16 }}
        value={filter.status}
        onChange={(v) => setFilter((f) => ({ ...f, status: v as AlertFilter['status'], page: 1 }))}
        options={(['open', 'closed'] as const).map((s) => ({ value: s, label: t(`pass.alerts.${s}`) }))}
      />
      <PagedTable
        query={alerts}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="alerts-table"
        columns={columns}
        scroll={{ x: 800 }}
        locale={filter.status === 'open' ? { emptyText: t('pass.alerts.empty') } : undefined}
      />
    </>
  );
}
