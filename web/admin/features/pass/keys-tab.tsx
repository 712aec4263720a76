import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { SyncOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { PassKeyItem } from '@contracts/pass';
import { ApiError } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { formatTime, mono } from '../../shared/format';
import { useKeys, useRotateKeys } from './api';

const statusColors: Record<PassKeyItem['status'], string> = { next: 'blue', active: 'green', retired: 'default', revoked: 'red' };

/** The city's signing keys; rotation (the 25 h publication wait can be forced when a key is compromised). */
export function KeysTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const staff = useStaff();
  const keys = useKeys(true);
  const rotate = useRotateKeys();
  const [forcing, setForcing] = useState(false);
  const cityWide = staff.role === 'operator' && staff.areaCode.length === 4;

  const run = async (force: boolean) => {
    try {
      await rotate.mutateAsync(force);
      void message.success(t('pass.keys.rotated'));
      return true;
    } catch (e) {
      if (!force && e instanceof ApiError && e.code === 'pass.key_not_ready') setForcing(true);
      else void message.error(errorMessage(e));
      return false;
    }
  };

  const confirmRotate = () =>
    modal.confirm({
      title: t('pass.keys.rotateTitle'),
      content: t('pass.keys.rotateBody'),
      okText: t('pass.keys.rotate'),
      cancelText: t('common:actions.cancel'),
      onOk: () => run(false).then(() => undefined),
    });

  const columns: TableColumnsType<PassKeyItem> = [
    { title: t('pass.keys.kid'), dataIndex: 'kid', render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('pass.keys.alg'), dataIndex: 'alg', width: 90 },
    { title: t('pass.keys.status'), dataIndex: 'status', width: 200, render: (v: PassKeyItem['status']) => <Tag color={statusColors[v]}>{t(`pass.keys.statuses.${v}`)}</Tag> },
    { title: t('pass.keys.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v) },
    { title: t('pass.keys.activatedAt'), dataIndex: 'activatedAt', width: 160, render: (v: string | null) => formatTime(v) },
    { title: t('pass.keys.retiredAt'), dataIndex: 'retiredAt', width: 160, render: (v: string | null) => formatTime(v) },
  ];

  if (keys.isError) return <ErrorResult error={keys.error} onRetry={() => void keys.refetch()} />;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Text type="secondary">{t('pass.keys.hint')}</Typography.Text>
        <Tooltip title={cityWide ? undefined : t('pass.keys.cityOnly')}>
          <Button icon={<SyncOutlined />} disabled={!cityWide} loading={rotate.isPending && !forcing} onClick={() => void confirmRotate()} data-testid="rotate-keys">
            {t('pass.keys.rotate')}
          </Button>
        </Tooltip>
      </Space>
      <Table<PassKeyItem> rowKey="kid" size="middle" data-testid="keys-table" loading={keys.isFetching} dataSource={keys.data} columns={columns} pagination={false} scroll={{ x: 900 }} />
      {forcing && <ForceModal onClose={() => setForcing(false)} onForce={() => run(true)} pending={rotate.isPending} />}
    </>
  );
}

/** Offered only after a normal rotation was refused for the publication wait; the operator types a word to confirm. */
function ForceModal({ onClose, onForce, pending }: { onClose(): void; onForce(): Promise<boolean>; pending: boolean }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [touched, setTouched] = useState(false);
  const ok = typed.trim() === t('pass.keys.forceWord');
  return (
    <Modal
      open
      title={
        <Space>
          <WarningOutlined style={{ color: '#d4380d' }} />
          {t('pass.keys.forceTitle')}
        </Space>
      }
      okText={t('pass.keys.force')}
      okButtonProps={{ danger: true, loading: pending, disabled: !ok }}
      cancelText={t('common:actions.cancel')}
      onCancel={onClose}
      onOk={() => {
        setTouched(true);
        if (ok) void onForce().then((done) => done && onClose());
      }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('pass.keys.notReady')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>{t('pass.keys.forceBody')}</Typography.Paragraph>
      <Input
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onBlur={() => setTouched(true)}
        status={touched && !ok ? 'error' : undefined}
        placeholder={t('pass.keys.forceWord')}
        aria-label={t('pass.keys.forceWord')}
        data-testid="force-word"
      />
      {touched && !ok && <Typography.Text type="danger">{t('pass.keys.forceMismatch')}</Typography.Text>}
    </Modal>
  );
}
