import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Statistic, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { transactionKinds, type LedgerTransaction, type TransactionKind, type TransactionsQuery } from '@contracts/points';
import { errorMessage } from '@ui/i18n';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { mono } from '../../shared/format';
import { ledgerXlsxUrl, useClawback, useDrift, useSummary, useTransactions } from './api';
import { downloadFile } from './download';
import { formatMonth, formatPoints, formatTime, ReasonModal, shanghaiMonth } from './shared';

const kindColors: Record<TransactionKind, string> = { award: 'green', budget: 'blue', redeem: 'orange', refund: 'cyan', clawback: 'red', expire: 'default', adjust: 'purple' };

interface FilterValues {
  month?: Dayjs;
  kind?: TransactionKind;
  workerPhone?: string;
}

/** 积分台账: a month's totals, the drift check, its transactions (with clawback) and the XLSX export. */
export function LedgerTab({ canClawBack }: { canClawBack: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const thisMonth = shanghaiMonth();
  const [filter, setFilter] = useState<TransactionsQuery>({ month: thisMonth, page: 1, pageSize: 20 });
  const month = filter.month ?? thisMonth;
  const list = useTransactions(filter);
  const summary = useSummary(month);
  const clawback = useClawback();
  const [clawing, setClawing] = useState<LedgerTransaction>();
  const [exporting, setExporting] = useState(false);

  async function exportXlsx() {
    setExporting(true);
    try {
      await downloadFile(ledgerXlsxUrl(month), `points-ledger-${month}.xlsx`);
      void message.success(t('points.ledger.exported'));
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  const sourceLabel = (type: string) => t(`points.sources.${type}`, { defaultValue: type });
  const shortId = (id: string) => (id.length > 12 ? id.slice(0, 8) : id);

  const columns: TableColumnsType<LedgerTransaction> = [
    { title: t('points.ledger.columns.at'), dataIndex: 'at', width: 130, render: (v: string) => formatTime(v) },
    { title: t('points.ledger.columns.id'), dataIndex: 'id', width: 90, render: (v: string) => <span style={{ ...mono, fontSize: 12 }} title={v}>{v.slice(0, 8)}</span> },
    {
      title: t('points.ledger.columns.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (v: TransactionKind, tx) => (
        <>
          <Tag color={kindColors[v]}>{t(`points.kinds.${v}`)}</Tag>
          {tx.reversedBy && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('points.ledger.reversedBy')}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    { title: t('points.ledger.columns.amount'), dataIndex: 'amount', width: 80, align: 'right', render: (v: number) => <Typography.Text strong>{formatPoints(v)}</Typography.Text> },
    {
      title: t('points.ledger.columns.reason'),
      key: 'reason',
      width: 220,
      render: (_, tx) => (
        <>
          <div>{tx.reason}</div>
          {tx.source && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {sourceLabel(tx.source.type)} · <span style={mono}>{shortId(tx.source.id)}</span>
            </Typography.Text>
          )}
          {tx.reverses && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('points.ledger.reverses', { id: tx.reverses.slice(0, 8) })}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    {
      title: t('points.ledger.columns.entries'),
      key: 'entries',
      width: 260,
      render: (_, tx) => (
        <div style={{ fontSize: 12 }}>
          {tx.entries.map((e, i) => (
            <div key={i} style={{ display: 'flex', justifyContent: 'space-between', gap: 12 }}>
              <span title={t(`points.accountKinds.${e.account.kind}`)}>{e.account.label}</span>
              <span style={{ ...mono, color: e.amount < 0 ? '#cf1322' : '#389e0d' }}>{e.amount > 0 ? `+${e.amount}` : e.amount}</span>
            </div>
          ))}
        </div>
      ),
    },
    ...(canClawBack
      ? [
          {
            title: t('points.ledger.columns.actions'),
            key: 'actions',
            width: 70,
            fixed: 'right' as const,
            render: (_: unknown, tx: LedgerTransaction) =>
              tx.canClawBack ? (
                <Button type="link" size="small" danger onClick={() => setClawing(tx)} aria-label={`${t('points.ledger.clawback')} ${tx.reason}`}>
                  {t('points.ledger.clawback')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <DriftStatus />
      <Card
        size="small"
        title={t('points.ledger.summary', { month: formatMonth(month, i18n.language) })}
        extra={
          <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="export-ledger">
            {month === thisMonth ? t('points.ledger.export') : t('points.ledger.exportMonth', { month: formatMonth(month, i18n.language) })}
          </Button>
        }
        loading={summary.isPending}
      >
        {summary.data ? (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: 16 }} data-testid="ledger-summary">
            {(['issued', 'redeemed', 'refunded', 'clawedBack', 'expired', 'budgeted', 'transactions', 'workerBalances', 'sponsorBalances'] as const).map((k) => (
              <Statistic key={k} title={t(`points.ledger.${k}`)} value={summary.data[k]} formatter={(v) => formatPoints(Number(v))} />
            ))}
          </div>
        ) : summary.isError ? (
          <Typography.Text type="danger">{errorMessage(summary.error)}</Typography.Text>
        ) : null}
      </Card>
      <div>
        <Form<FilterValues>
          layout="inline"
          style={{ marginBottom: 16, rowGap: 12 }}
          initialValues={{ month: dayjs(`${thisMonth}-01`) }}
          onFinish={(v) =>
            setFilter((f) => ({
              page: 1,
              pageSize: f.pageSize,
              month: v.month ? v.month.format('YYYY-MM') : thisMonth,
              kind: v.kind,
              workerPhone: v.workerPhone?.replace(/\s/g, '') || undefined,
            }))
          }
        >
          <Form.Item name="month" label={t('points.ledger.month')}>
            <DatePicker picker="month" allowClear={false} disabledDate={(d) => d.format('YYYY-MM') > thisMonth} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('points.ledger.kind')}>
            <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={transactionKinds.map((k) => ({ value: k, label: t(`points.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="workerPhone" label={t('points.ledger.workerPhone')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('points.honours.phoneInvalid') }]}>
            <Input allowClear placeholder={t('points.ledger.workerPhonePlaceholder')} maxLength={11} style={{ width: 150 }} />
          </Form.Item>
          <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter((f) => ({ page: 1, pageSize: f.pageSize, month: thisMonth }))} onRefresh={() => void list.refetch()} />
        </Form>
        <PagedTable query={list} filter={filter} setFilter={setFilter} rowKey="id" data-testid="points-ledger-table" columns={columns} scroll={{ x: 1000 }} locale={{ emptyText: t('points.ledger.empty') }} />
      </div>
      <ReasonModal
        open={!!clawing}
        title={t('points.ledger.clawbackTitle')}
        body={clawing ? t('points.ledger.clawbackBody', { reason: clawing.reason, amount: clawing.amount }) : undefined}
        okText={t('points.ledger.clawback')}
        danger
        pending={clawback.isPending}
        onSubmit={async (reason) => {
          const r = await clawback.mutateAsync({ id: clawing!.id, reason });
          if (r.shortfall > 0) void message.warning(t('points.ledger.clawedBackShort', { points: r.clawedBack, shortfall: r.shortfall }));
          else void message.success(t('points.ledger.clawedBackDone', { points: r.clawedBack }));
        }}
        onClose={() => setClawing(undefined)}
      />
    </Space>
  );
}

function DriftStatus() {
  const { t } = useTranslation();
  const drift = useDrift();
  const recheck = (
    <Button size="small" icon={<ReloadOutlined />} loading={drift.isFetching} onClick={() => void drift.refetch()}>
      {t('points.ledger.recheck')}
    </Button>
  );
  if (drift.isError) return <Alert type="warning" showIcon title={errorMessage(drift.error)} action={recheck} />;
  if (!drift.data) return <Alert type="info" showIcon title={t('common:states.loading')} />;
  const d = drift.data;
  return (
    <Alert
      data-testid="drift-status"
      data-ok={d.ok ? 'true' : 'false'}
      type={d.ok ? 'success' : 'error'}
      showIcon
      title={
        d.ok
          ? t('points.ledger.driftOk', { accounts: d.checkedAccounts, entries: d.checkedEntries })
          : t('points.ledger.driftBad', { accounts: d.accounts.length, transactions: d.unbalancedTransactions.length })
      }
      description={t('points.ledger.driftChecked', { time: formatTime(d.checkedAt) })}
      action={recheck}
    />
  );
}
