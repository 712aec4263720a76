import { useState } from 'react';
import { Alert, App, Button, Checkbox, Modal, Space, Table, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportRowError } from '@contracts/places';
import { errorMessage, i18n } from '@ui/i18n';
import { downloadTemplate, formatOf, importRowErrors, useImportPlaces, type ImportOutcome, type SpreadsheetFormat } from './api';
import { saveBlob, toCsv } from '../../shared/raw-request';

/** A row error's message in the reader's language, by its code; the server's English wording otherwise. */
function rowMessage(e: ImportRowError): string {
  const key = `common:errors.${e.code}`;
  return i18n.exists(key) ? i18n.t(key) : e.message;
}

type Outcome = { kind: 'ok'; result: ImportOutcome } | { kind: 'rows'; rows: ImportRowError[]; dryRun: boolean } | { kind: 'error'; message: string };

/**
 * Import from a spreadsheet (CSV or XLSX): check first (dry run), then import. Any bad row refuses the
 * whole file and shows a row-by-row report; nothing is half-imported.
 */
export function ImportModal({ open, onClose, mayActivate }: { open: boolean; onClose(): void; mayActivate: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File>();
  const [activate, setActivate] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const importer = useImportPlaces();
  const format = file ? formatOf(file) : undefined;

  function reset() {
    setFile(undefined);
    setActivate(false);
    setOutcome(undefined);
    importer.reset();
  }

  async function run(dryRun: boolean) {
    if (!file || !format) return;
    setOutcome(undefined);
    try {
      const result = await importer.mutateAsync({ file, format, dryRun, activate: mayActivate && activate });
      setOutcome({ kind: 'ok', result });
      if (!result.dryRun) void message.success(t('places.import.imported', { count: result.imported }));
    } catch (e) {
      const rows = importRowErrors(e);
      setOutcome(rows ? { kind: 'rows', rows, dryRun } : { kind: 'error', message: errorMessage(e) });
    }
  }

  function downloadReport(rows: ImportRowError[]) {
    const header = [t('places.import.columns.row'), t('places.import.columns.column'), t('places.import.columns.code'), t('places.import.columns.message'), t('places.import.columns.detail')];
    const csv = toCsv(header, rows.map((r) => [r.row, r.column, r.code, rowMessage(r), r.message]));
    const base = file?.name.replace(/\.[^.]+$/, '') ?? 'places';
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${base}-${t('places.import.reportSuffix')}.csv`);
  }

  const columns: TableColumnsType<ImportRowError> = [
    { title: t('places.import.columns.row'), dataIndex: 'row', width: 70, sorter: (a, b) => a.row - b.row, defaultSortOrder: 'ascend' },
    { title: t('places.import.columns.column'), dataIndex: 'column', width: 120, render: (v: string) => <code>{v}</code> },
    {
      title: t('places.import.columns.message'),
      key: 'message',
      render: (_, r) => (
        <div>
          <div>{rowMessage(r)}</div>
          {r.message && rowMessage(r) !== r.message && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.message}
            </Typography.Text>
          )}
        </div>
      ),
    },
  ];

  const done = outcome?.kind === 'ok' && !outcome.result.dryRun;

  return (
    <Modal
      open={open}
      title={t('places.import.title')}
      width={780}
      onCancel={onClose}
      afterClose={reset}
      destroyOnHidden
      footer={
        done
          ? [
              <Button key="close" type="primary" onClick={onClose}>
                {t('common:actions.close')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>,
              <Button key="check" disabled={!format} loading={importer.isPending && importer.variables?.dryRun} onClick={() => void run(true)}>
                {t('places.import.dryRun')}
              </Button>,
              <Button key="import" type="primary" disabled={!format} loading={importer.isPending && importer.variables?.dryRun === false} onClick={() => void run(false)}>
                {t('places.import.submit')}
              </Button>,
            ]
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('places.import.intro')}{' '}
          <TemplateLinks />
        </Typography.Paragraph>
        {!done && (
          <Upload.Dragger
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              setFile(f);
              setOutcome(undefined);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{file ? file.name : t('places.import.choose')}</p>
            <p className="ant-upload-hint">{file && !format ? <Typography.Text type="danger">{t('places.import.wrongFormat')}</Typography.Text> : t('places.import.chooseHint')}</p>
          </Upload.Dragger>
        )}
        {mayActivate && !done && (
          <Checkbox checked={activate} onChange={(e) => setActivate(e.target.checked)}>
            {t('places.import.activate')}
          </Checkbox>
        )}
        {outcome?.kind === 'ok' && (
          <Alert
            type="success"
            showIcon
            role="status"
            title={outcome.result.dryRun ? t('places.import.checked', { count: outcome.result.imported }) : t('places.import.imported', { count: outcome.result.imported })}
            description={outcome.result.dryRun ? t('places.import.checkedHint') : undefined}
          />
        )}
        {outcome?.kind === 'error' && <Alert type="error" showIcon role="alert" title={outcome.message} description={t('places.import.nothingImported')} />}
        {outcome?.kind === 'rows' && (
          <>
            <Alert
              type="error"
              showIcon
              role="alert"
              title={t('places.import.rejected', { count: outcome.rows.length })}
              description={outcome.dryRun ? t('places.import.checkFailedHint') : t('places.import.nothingImported')}
              action={
                <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadReport(outcome.rows)}>
                  {t('places.import.downloadReport')}
                </Button>
              }
            />
            <Table<ImportRowError>
              size="small"
              rowKey={(r) => `${r.row}:${r.column}:${r.code}`}
              columns={columns}
              dataSource={outcome.rows}
              pagination={outcome.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              aria-label={t('places.import.reportTitle')}
              data-testid="import-report"
            />
          </>
        )}
      </Space>
    </Modal>
  );
}

/** 下载模板 CSV · XLSX, inline. */
export function TemplateLinks() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const get = (format: SpreadsheetFormat) => () => void downloadTemplate(format).catch((e: unknown) => void message.error(errorMessage(e)));
  return (
    <Space size={4}>
      <span>{t('places.import.templates')}</span>
      <Button type="link" size="small" style={{ padding: 0 }} onClick={get('csv')}>
        CSV
      </Button>
      <span>·</span>
      <Button type="link" size="small" style={{ padding: 0 }} onClick={get('xlsx')}>
        XLSX
      </Button>
    </Space>
  );
}
