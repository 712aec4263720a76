import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Empty, Form, Input, Modal, Popconfirm, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { assigneeRoles, type AppealSummary, type CollectiveCase } from '@contracts/appeals';
import { errorMessage } from '@ui/i18n';
import { useSession, useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { useAppeals, useCase, useCaseChange } from './api';
import { StaffSelect } from './staff-select';
import { DeadlineClock, formatTime, formatYuan, StatusTag, useLabel, Yuan } from './shared';

/** A collective case (专班): its task force, and each member appeal with its own status and outcome; the lead, its creator and operators change it. */
export function CaseDrawer({ id, onClose, onOpen }: { id: string | undefined; onClose(): void; onOpen(appealId: string): void }) {
  const { t } = useTranslation();
  const q = useCase(id);
  const c = q.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={960}
      destroyOnHidden
      data-testid="case-drawer"
      title={
        c ? (
          <Space>
            <span>{t('appeals.case.title', { code: c.code })}</span>
            <Tag color={c.status === 'open' ? 'processing' : 'default'} data-testid="case-status" data-status={c.status}>
              {t(`appeals.cases.statuses.${c.status}`)}
            </Tag>
          </Space>
        ) : (
          t('appeals.createCase')
        )
      }
    >
      {q.isLoading && <Skeleton active />}
      {q.isError && !c && <ErrorResult error={q.error} onRetry={() => void q.refetch()} />}
      {c && <CaseBody c={c} onOpen={onOpen} />}
    </Drawer>
  );
}

type Dialog = 'add' | 'member' | 'close' | null;

function CaseBody({ c, onOpen }: { c: CollectiveCase; onOpen(appealId: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const staff = useStaff();
  const { session } = useSession();
  const change = useCaseChange(c.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  // the server decides again: the lead, the creator (not known here) and operators over the area
  const mayManage = c.status === 'open' && (c.leadStaffId === session?.id || staff.role === 'operator');

  const run = async (p: Promise<unknown>, done: string) => {
    try {
      await p;
      void message.success(done);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {mayManage && (
        <Space wrap data-testid="case-actions">
          <Button icon={<PlusOutlined />} onClick={() => setDialog('add')} data-testid="case-add-appeals">
            {t('appeals.case.addAppeals')}
          </Button>
          <Button icon={<TeamOutlined />} onClick={() => setDialog('member')} data-testid="case-add-member">
            {t('appeals.case.addMember')}
          </Button>
          <Button danger onClick={() => setDialog('close')} data-testid="case-close">
            {t('appeals.case.close')}
          </Button>
        </Space>
      )}
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('appeals.forms.caseTitle')}>{c.title}</Descriptions.Item>
        <Descriptions.Item label={t('appeals.case.respondent')}>
          {c.respondentName}
          {c.respondentUscc && <span style={{ ...mono, marginLeft: 8 }}>{c.respondentUscc}</span>}
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.case.members')}>
          {c.members.length ? (
            <Space wrap data-testid="case-members">
              {c.members.map((m) => (
                <Tag
                  key={m.staffId}
                  color="blue"
                  closable={mayManage && m.staffId !== c.leadStaffId}
                  closeIcon={mayManage && m.staffId !== c.leadStaffId ? undefined : false}
                  onClose={(e) => {
                    e.preventDefault();
                    Modal.confirm({
                      title: t('appeals.case.removeMemberConfirm'),
                      okText: t('common:actions.confirm'),
                      cancelText: t('common:actions.cancel'),
                      onOk: () => run(change.mutateAsync({ kind: 'unmember', staffId: m.staffId }), t('appeals.actions.done')),
                    });
                  }}
                >
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
        <Descriptions.Item label={t('appeals.case.createdAt')}>{formatTime(c.createdAt)}</Descriptions.Item>
        {c.closedAt && <Descriptions.Item label={t('appeals.case.closedAt')}>{formatTime(c.closedAt)}</Descriptions.Item>}
        {c.summary && (
          <Descriptions.Item label={t('appeals.case.summary')}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="case-summary">
              {c.summary}
            </Typography.Paragraph>
          </Descriptions.Item>
        )}
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
            ...(mayManage
              ? [
                  {
                    title: '',
                    key: 'remove',
                    width: 80,
                    render: (_: unknown, r: AppealSummary) => (
                      <span onClick={(e) => e.stopPropagation()}>
                        <Popconfirm
                          title={t('appeals.case.removeAppealConfirm')}
                          okText={t('common:actions.confirm')}
                          cancelText={t('common:actions.cancel')}
                          onConfirm={() => run(change.mutateAsync({ kind: 'remove', appealId: r.id }), t('appeals.case.removed'))}
                        >
                          <Button size="small" type="link" danger data-testid={`case-remove-${r.code}`}>
                            {t('appeals.case.removeAppeal')}
                          </Button>
                        </Popconfirm>
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </div>
      <AddAppealsModal open={dialog === 'add'} c={c} onClose={() => setDialog(null)} />
      <MemberModal open={dialog === 'member'} c={c} onClose={() => setDialog(null)} />
      <CloseModal open={dialog === 'close'} c={c} onClose={() => setDialog(null)} />
    </Space>
  );
}

/** Appeals in the queue against the same respondent, not in a case yet, to add to this one. */
function AddAppealsModal({ open, c, onClose }: { open: boolean; c: CollectiveCase; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [q, setQ] = useState(c.respondentName);
  const [selected, setSelected] = useState<string[]>([]);
  const list = useAppeals({ page: 1, pageSize: 100, q: q.trim() || undefined });
  const change = useCaseChange(c.id);
  const candidates = (list.data?.items ?? []).filter((a) => !a.caseId && a.status !== 'closed');

  async function submit() {
    try {
      await change.mutateAsync({ kind: 'add', appealIds: selected });
      void message.success(t('appeals.case.added', { count: selected.length }));
      setSelected([]);
      onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Modal
      open={open}
      title={t('appeals.case.addAppeals')}
      width={820}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('appeals.case.addSelected', { count: selected.length })}
      okButtonProps={{ disabled: !selected.length, loading: change.isPending, 'data-testid': 'case-add-confirm' } as never}
      cancelText={t('common:actions.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('appeals.case.addAppealsHelp')}</Typography.Paragraph>
      <Input.Search defaultValue={c.respondentName} placeholder={t('appeals.case.search')} aria-label={t('appeals.case.search')} enterButton={<SearchOutlined />} onSearch={(v) => setQ(v)} style={{ marginBottom: 12 }} allowClear />
      <Table<AppealSummary>
        rowKey="id"
        size="small"
        data-testid="case-candidates"
        loading={list.isFetching}
        dataSource={candidates}
        pagination={false}
        scroll={{ y: 360 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.case.noCandidates')} /> }}
        columns={[
          { title: t('appeals.columns.code'), dataIndex: 'code', render: (v: string) => <span style={mono}>{v}</span> },
          { title: t('appeals.columns.type'), dataIndex: 'type', render: (v: string) => label('types', v) },
          { title: t('appeals.columns.respondent'), dataIndex: 'respondentName', ellipsis: true },
          { title: t('appeals.columns.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('appeals.columns.amount'), dataIndex: 'amountClaimedFen', align: 'right', render: (v: number) => <Yuan fen={v} /> },
        ]}
      />
    </Modal>
  );
}

function MemberModal({ open, c, onClose }: { open: boolean; c: CollectiveCase; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [form] = Form.useForm<{ staffId: string; role: (typeof assigneeRoles)[number] }>();
  const change = useCaseChange(c.id);
  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      await change.mutateAsync({ kind: 'member', body: v });
      void message.success(t('appeals.actions.done'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'appeals.staff_not_found': 'staffId' });
      if (rest) void message.error(rest);
    }
  }
  return (
    <Modal open={open} title={t('appeals.case.addMember')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ loading: change.isPending }} okText={t('common:actions.confirm')} cancelText={t('common:actions.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} data-testid="case-member-form">
        <Form.Item name="staffId" label={t('appeals.forms.staff')} rules={[{ required: true, message: t('appeals.forms.staffRequired') }]}>
          <StaffSelect />
        </Form.Item>
        <Form.Item name="role" label={t('appeals.forms.role')} rules={[{ required: true, message: t('appeals.forms.roleRequired') }]}>
          <Select options={assigneeRoles.map((r) => ({ value: r, label: label('roles', r) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseModal({ open, c, onClose }: { open: boolean; c: CollectiveCase; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ summary: string }>();
  const change = useCaseChange(c.id);
  // closing the case does not close its appeals: say which are still being worked on
  const unfinished = c.appeals.filter((a) => a.status !== 'resolved' && a.status !== 'closed');
  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      await change.mutateAsync({ kind: 'close', summary: v.summary.trim() });
      void message.success(t('appeals.case.closedDone'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }
  return (
    <Modal open={open} title={t('appeals.case.close')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ danger: true, loading: change.isPending, 'data-testid': 'case-close-confirm' } as never} okText={t('appeals.case.close')} cancelText={t('common:actions.cancel')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('appeals.case.closeHelp')}</Typography.Paragraph>
      {unfinished.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="case-close-unfinished"
          message={t('appeals.case.closeUnfinished', { count: unfinished.length, codes: unfinished.map((a) => a.code).join('、') })}
        />
      )}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="summary" label={t('appeals.case.summary')} rules={[{ required: true, whitespace: true, min: 2, message: t('appeals.case.summaryRequired') }]}>
          <Input.TextArea rows={5} maxLength={4000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
