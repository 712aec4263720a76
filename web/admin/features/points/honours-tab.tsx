import { useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Tabs, Tag, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { storyStatuses, type AdminHonoursQuery, type AdminStory, type StoryStatus } from '@contracts/points';
import { newIdempotencyKey } from '@ui/api';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { useStories, useStoryMutations } from './api';
import { formatTime, ReasonModal } from './shared';

const statusColors: Record<StoryStatus, string> = { pending: 'blue', approved: 'green', rejected: 'red' };

/** 微光榜审核: nominated good deeds; approving one shows it on the roll and awards the honour points. */
export function HonoursTab({ canDecide, canNominate }: { canDecide: boolean; canNominate: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<AdminHonoursQuery>({ status: 'pending', page: 1, pageSize: 20 });
  const list = useStories(filter);
  const { approve, reject } = useStoryMutations();
  const [deciding, setDeciding] = useState<{ story: AdminStory; kind: 'approve' | 'reject' }>();
  const [nominating, setNominating] = useState(false);

  const columns: TableColumnsType<AdminStory> = [
    {
      title: t('points.honours.columns.story'),
      key: 'story',
      width: 360,
      render: (_, s) => (
        <>
          <Typography.Text strong>{s.title}</Typography.Text>
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: 'collapsible' }} style={{ marginBottom: 0, fontSize: 13 }}>
            {s.story}
          </Typography.Paragraph>
        </>
      ),
    },
    {
      title: t('points.honours.columns.worker'),
      key: 'worker',
      width: 140,
      render: (_, s) => (
        <>
          <div>{s.workerNameMasked}</div>
          <span style={{ ...mono, fontSize: 12 }}>{s.workerPhoneMasked}</span>
        </>
      ),
    },
    { title: t('points.honours.columns.area'), dataIndex: 'areaName', width: 150, render: (v: string | null) => v ?? '—' },
    {
      title: t('points.honours.columns.nominatedBy'),
      key: 'by',
      width: 150,
      render: (_, s) => (s.nominatedBy.kind === 'staff' ? t('points.honours.byStaff', { name: s.nominatedBy.label }) : t('points.honours.byWorker', { name: s.nominatedBy.label })),
    },
    { title: t('points.honours.columns.createdAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatTime(v) },
    {
      title: filter.status === 'pending' ? t('points.honours.columns.status') : t('points.honours.columns.decision'),
      key: 'status',
      width: 200,
      render: (_, s) => (
        <>
          <Tag color={statusColors[s.status]}>{t(`points.storyStatuses.${s.status}`)}</Tag>
          {s.points !== null && s.status === 'approved' && <Typography.Text type="success">{t('points.honours.awarded', { points: s.points })}</Typography.Text>}
          {s.decidedAt && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('points.honours.decidedBy', { name: s.decidedBy ?? '—', date: formatTime(s.decidedAt) })}
              </Typography.Text>
            </div>
          )}
          {s.decisionNote && <div style={{ fontSize: 12 }}>{s.decisionNote}</div>}
        </>
      ),
    },
    ...(canDecide
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 130,
            render: (_: unknown, s: AdminStory) =>
              s.status === 'pending' ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDeciding({ story: s, kind: 'approve' })} aria-label={`${t('points.honours.approve')} ${s.title}`}>
                    {t('points.honours.approve')}
                  </Button>
                  <Button type="link" size="small" danger onClick={() => setDeciding({ story: s, kind: 'reject' })} aria-label={`${t('points.honours.reject')} ${s.title}`}>
                    {t('points.honours.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, flexWrap: 'wrap' }}>
        <Typography.Text type="secondary" style={{ maxWidth: 720 }}>
          {t('points.honours.intro')}
        </Typography.Text>
        {canNominate && (
          <Button icon={<PlusOutlined />} onClick={() => setNominating(true)}>
            {t('points.honours.nominate')}
          </Button>
        )}
      </div>
      <Tabs
        size="small"
        activeKey={filter.status}
        onChange={(key) => setFilter((f) => ({ ...f, status: key as StoryStatus, page: 1 }))}
        items={storyStatuses.map((s) => ({ key: s, label: t(`points.storyStatuses.${s}`) }))}
      />
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="points-honours-table"
        columns={columns}
        scroll={{ x: 1250 }}
        locale={filter.status === 'pending' ? { emptyText: t('points.honours.empty') } : undefined}
      />
      {deciding && (
        <ReasonModal
          open
          title={deciding.kind === 'approve' ? t('points.honours.approveTitle') : t('points.honours.rejectTitle')}
          body={deciding.kind === 'approve' ? t('points.honours.approveBody', { title: deciding.story.title, worker: deciding.story.workerNameMasked }) : deciding.story.title}
          label={deciding.kind === 'approve' ? t('points.honours.approveNote') : t('points.honours.rejectReason')}
          okText={deciding.kind === 'approve' ? t('points.honours.approve') : t('points.honours.reject')}
          danger={deciding.kind === 'reject'}
          optional={deciding.kind === 'approve'}
          pending={approve.isPending || reject.isPending}
          onSubmit={async (reason) => {
            if (deciding.kind === 'approve') {
              await approve.mutateAsync({ id: deciding.story.id, note: reason || undefined });
              void message.success(t('points.honours.approved'));
            } else {
              await reject.mutateAsync({ id: deciding.story.id, reason });
              void message.success(t('points.honours.rejected'));
            }
          }}
          onClose={() => setDeciding(undefined)}
        />
      )}
      {nominating && <NominateModal onClose={() => setNominating(false)} />}
    </>
  );
}

interface NominateValues {
  workerPhone: string;
  title: string;
  story: string;
}

function NominateModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<NominateValues>>(null);
  const { nominate } = useStoryMutations();
  const [key] = useState(newIdempotencyKey);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!v) return;
    try {
      await nominate.mutateAsync({ body: { workerPhone: v.workerPhone.replace(/\s/g, ''), title: v.title.trim(), story: v.story.trim() }, key });
      void message.success(t('points.honours.nominated'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'points.worker_not_found': 'workerPhone', 'workers.not_found': 'workerPhone', 'areas.out_of_scope': 'workerPhone' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={t('points.honours.nominateTitle')}
      okText={t('common:actions.submit')}
      okButtonProps={{ loading: nominate.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<NominateValues> ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="workerPhone" label={t('points.honours.phone')} rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, transform: (v: string) => v?.replace(/\s/g, ''), message: t('points.honours.phoneInvalid') }]}>
          <Input maxLength={13} inputMode="tel" autoComplete="off" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="title" label={t('points.honours.storyTitle')} rules={[{ required: true, whitespace: true, min: 2, max: 60, message: t('points.honours.storyTitleInvalid') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="story" label={t('points.honours.story')} rules={[{ required: true, whitespace: true, min: 10, message: t('points.honours.storyInvalid') }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
