import { useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Open311Client, Open311ClientCreated } from '@contracts/reports';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { applyServerErrors } from '../../shared/form-errors';
import { ErrorResult } from '../../shared/query-state';
import { useOpen311Clients, useOpen311Mutations } from './api';
import { formatTime } from './shared';

/** Where a civic client starts (the console is served by the API's own server, so its origin is the API's). */
const discoveryUrl = `${window.location.origin}/open311/v2/discovery.json`;

/** Open311 clients: each client system has its own API key, shown once when it is created. */
export function Open311Tab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useOpen311Clients();
  const { create, disable } = useOpen311Mutations();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Open311ClientCreated>();
  const [form] = Form.useForm<{ name: string }>();
  // One key per opening of the form: a retried click must not make two clients.
  const key = useRef(newIdempotencyKey());

  if (q.isError && !q.data) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      const c = await create.mutateAsync({ name: v.name.trim(), key: key.current });
      setAdding(false);
      setCreated(c);
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  const columns: TableColumnsType<Open311Client> = [
    { title: t('reports.open311.name'), dataIndex: 'name' },
    { title: t('reports.open311.keyPrefix'), dataIndex: 'keyPrefix', render: (v: string) => <code>{v}…</code> },
    { title: t('reports.open311.active'), dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">{t('reports.open311.activeYes')}</Tag> : <Tag>{t('reports.open311.activeNo')}</Tag>) },
    { title: t('reports.open311.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
    { title: t('reports.open311.lastUsedAt'), dataIndex: 'lastUsedAt', width: 150, render: (v: string | null) => (v ? formatTime(v) : '—') },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, c: Open311Client) =>
              c.active && (
                <Popconfirm
                  title={t('reports.open311.disableConfirm')}
                  okText={t('reports.open311.disable')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common:actions.cancel')}
                  onConfirm={async () => {
                    try {
                      await disable.mutateAsync(c.id);
                      void message.success(t('reports.open311.disabled'));
                    } catch (e) {
                      void message.error(errorMessage(e));
                    }
                  }}
                >
                  <Button type="link" size="small" danger>
                    {t('reports.open311.disable')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Alert type="info" showIcon message={t('reports.open311.intro')} style={{ marginBottom: 12 }} />
      {canEdit && (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              key.current = newIdempotencyKey();
              setAdding(true);
            }}
          >
            {t('reports.open311.add')}
          </Button>
        </div>
      )}
      <Table rowKey="id" data-testid="open311-table" columns={columns} dataSource={q.data} loading={q.isFetching} pagination={false} />
      <Modal
        open={adding}
        title={t('reports.open311.add')}
        okText={t('common:actions.create')}
        okButtonProps={{ loading: create.isPending }}
        cancelText={t('common:actions.cancel')}
        onOk={() => void submit()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label={t('reports.open311.name')} rules={[{ required: true, whitespace: true, message: t('reports.open311.nameRequired') }]}>
            <Input maxLength={80} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!created}
        title={t('reports.open311.createdTitle')}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setCreated(undefined)}>
            {t('reports.open311.close')}
          </Button>
        }
      >
        <Typography.Paragraph type="warning">{t('reports.open311.createdBody')}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('reports.open311.apiKey')}</Typography.Text>
        <Typography.Paragraph copyable code data-testid="open311-key" style={{ wordBreak: 'break-all' }}>
          {created?.apiKey}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('reports.open311.endpoint')}</Typography.Text>
        <Typography.Paragraph copyable code data-testid="open311-endpoint" style={{ wordBreak: 'break-all' }}>
          {discoveryUrl}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
