import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Empty, Form, Input, List, Modal, Popconfirm, Select, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { evidenceKinds, type EvidenceKind, type StaffAppealView } from '@contracts/appeals';
import { errorMessage } from '@ui/i18n';
import { useSession, useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { downloadFile } from '../../shared/raw-request';
import { mono } from '../../shared/format';
import { documentUrl, DOCUMENT_KINDS, evidenceUrl, useAppeal, useAppealAction, useRemoveAssignee, useUploadEvidence } from './api';
import { applyServerErrors } from '../../shared/form-errors';
import { ActionModal, type FormAction } from './action-modal';
import { DeadlineClock, formatTime, StatusTag, useLabel, Yuan } from './shared';

type OneClick = 'acknowledge' | 'start' | 'mediation/start';

/** Which buttons the appeal's state allows (the server checks again). */
function actionsFor(a: StaffAppealView): { oneClick: OneClick[]; forms: FormAction[] } {
  const s = a.status;
  const oneClick: OneClick[] = [];
  const forms: FormAction[] = [];
  if (s === 'submitted') oneClick.push('acknowledge');
  if (s === 'acknowledged') oneClick.push('start');
  if (s === 'acknowledged' || s === 'in_progress') oneClick.push('mediation/start');
  if (s === 'mediating') forms.push('mediationEnd');
  if (s === 'acknowledged' || s === 'in_progress' || s === 'mediating') forms.push('session', 'agreement');
  if (s !== 'submitted' && s !== 'closed') forms.push('payment');
  if (s === 'acknowledged' || s === 'in_progress' || s === 'mediating') forms.push('resolve', 'refer');
  if (s === 'resolved') forms.push('returnVisit');
  if (s === 'closed' && a.satisfaction === 'dissatisfied') forms.push('reopen');
  forms.push('note');
  return { oneClick, forms };
}

const oneClickKey: Record<OneClick, string> = { acknowledge: 'appeals.actions.acknowledge', start: 'appeals.actions.start', 'mediation/start': 'appeals.actions.mediationStart' };
const formKey: Partial<Record<FormAction, string>> = {
  mediationEnd: 'appeals.actions.mediationEnd',
  session: 'appeals.actions.session',
  agreement: 'appeals.actions.agreement',
  payment: 'appeals.actions.payment',
  resolve: 'appeals.actions.resolve',
  refer: 'appeals.actions.refer',
  returnVisit: 'appeals.actions.returnVisit',
  reopen: 'appeals.actions.reopen',
  note: 'appeals.actions.note',
};
const testId = (k: string) => `action-${k.replace('/', '-')}`;

/** One appeal: the facts, its people, deadlines, evidence, mediation, the timeline and what may be done next. */
export function AppealDrawer({ id, onClose, onOpenCase }: { id: string | undefined; onClose(): void; onOpenCase(id: string): void }) {
  const { t } = useTranslation();
  const q = useAppeal(id);
  const a = q.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={820}
      destroyOnHidden
      data-testid="appeal-drawer"
      title={
        a ? (
          <Space wrap>
            <span>{t('appeals.drawer.title', { code: a.code })}</span>
            <StatusTag status={a.status} outcome={a.outcome} />
          </Space>
        ) : (
          t('appeals.title')
        )
      }
    >
      {q.isLoading && <Skeleton active />}
      {q.isError && !a && <ErrorResult error={q.error} onRetry={() => void q.refetch()} />}
      {a && <AppealBody appeal={a} onOpenCase={onOpenCase} />}
    </Drawer>
  );
}

function AppealBody({ appeal: a, onOpenCase }: { appeal: StaffAppealView; onOpenCase(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const staff = useStaff();
  const { session } = useSession();
  const [form, setForm] = useState<FormAction | null>(null);
  const [uploading, setUploading] = useState(false);
  const action = useAppealAction(a.id);
  const remove = useRemoveAssignee(a.id);
  const mayWork = staff.role === 'operator' || a.assignees.some((x) => x.staffId === session?.id);
  const { oneClick, forms } = actionsFor(a);

  async function run(kind: OneClick) {
    try {
      await action.mutateAsync({ kind });
      void message.success(t('appeals.actions.done'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function download(evidenceId: string, name: string) {
    try {
      await downloadFile(evidenceUrl(a.id, evidenceId), name);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function downloadDocument(kind: (typeof DOCUMENT_KINDS)[number]) {
    try {
      await downloadFile(documentUrl(a.id, kind), `${a.code}-${kind}.pdf`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const agreement = a.mediation.agreement;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {mayWork && (
        <Space wrap data-testid="appeal-actions">
          {oneClick.map((k) => (
            <Button key={k} type="primary" loading={action.isPending && action.variables?.kind === k} onClick={() => void run(k)} data-testid={testId(k)}>
              {t(oneClickKey[k])}
            </Button>
          ))}
          {forms.map((k) => (
            <Button key={k} onClick={() => setForm(k)} data-testid={testId(k)}>
              {t(formKey[k]!)}
            </Button>
          ))}
        </Space>
      )}

      <Descriptions title={t('appeals.drawer.facts')} bordered size="small" column={2} data-testid="appeal-facts">
        <Descriptions.Item label={t('appeals.columns.type')}>{label('types', a.type)}</Descriptions.Item>
        <Descriptions.Item label={t('appeals.columns.channel')}>{label('channels', a.channel)}</Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.contact')}>
          <Space orientation="vertical" size={0}>
            <span>
              {a.contact.nameMasked ?? '—'} <span style={mono}>{a.contact.phoneMasked ?? ''}</span>
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.workerId ? t('appeals.drawer.workerLinked') : t('appeals.drawer.workerNotLinked')}
            </Typography.Text>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.respondent')}>
          {a.respondent.name} <Tag>{label('respondentKinds', a.respondent.kind)}</Tag>
          {a.respondent.uscc && <div style={mono}>{a.respondent.uscc}</div>}
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.amountClaimed')}>
          <Yuan fen={a.amountClaimedFen} />
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.recovered')}>
          <span data-testid="appeal-recovered">
            <Yuan fen={a.recoveredFen} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.area')}>
          <span data-testid="appeal-area">{a.areaName}</span>{' '}
          <Typography.Text type="secondary" style={{ ...mono, fontSize: 12 }}>
            {a.areaCode}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.submittedAt')}>{formatTime(a.submittedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.acknowledgeBy')}>{formatTime(a.deadlines.acknowledgeBy)}</Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.resolveBy')}>
          <DeadlineClock status={a.status} deadlines={a.deadlines} />
        </Descriptions.Item>
        <Descriptions.Item label={t('appeals.drawer.description')} span={2}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.description}</Typography.Paragraph>
        </Descriptions.Item>
        {a.resolution && (
          <Descriptions.Item label={t('appeals.drawer.resolution')} span={2}>
            {a.resolution}
          </Descriptions.Item>
        )}
        {a.referral && (
          <Descriptions.Item label={t('appeals.drawer.referral')} span={2}>
            {label('referralKinds', a.referral.kind)} · {a.referral.reference}
          </Descriptions.Item>
        )}
        {a.satisfaction && (
          <Descriptions.Item label={t('appeals.drawer.satisfaction')} span={2}>
            <span data-testid="appeal-satisfaction">{label('satisfaction', a.satisfaction)}</span>
            {a.satisfactionReason ? ` · ${a.satisfactionReason}` : ''}
            {a.reopenCount > 0 && <Tag style={{ marginLeft: 8 }}>{t('appeals.drawer.reopenCount', { count: a.reopenCount })}</Tag>}
          </Descriptions.Item>
        )}
        {a.caseId && (
          <Descriptions.Item label={t('appeals.drawer.case')} span={2}>
            <Button type="link" style={{ padding: 0 }} onClick={() => onOpenCase(a.caseId!)}>
              {t('appeals.drawer.openCase')}
            </Button>
          </Descriptions.Item>
        )}
      </Descriptions>

      <section aria-label={t('appeals.drawer.people')}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('appeals.drawer.people')}
          </Typography.Title>
          {staff.role === 'operator' && a.status !== 'closed' && (
            <Button size="small" onClick={() => setForm('assignee')} data-testid="action-assignee">
              {t('appeals.drawer.addPerson')}
            </Button>
          )}
        </Space>
        <List
          size="small"
          data-testid="appeal-people"
          locale={{ emptyText: t('appeals.drawer.noPeople') }}
          dataSource={a.assignees}
          renderItem={(p) => (
            <List.Item
              actions={
                mayWork && a.status !== 'closed'
                  ? [
                      <Popconfirm key="rm" title={t('appeals.drawer.removeConfirm')} okText={t('common:actions.confirm')} cancelText={t('common:actions.cancel')} onConfirm={() => remove.mutateAsync({ staffId: p.staffId, role: p.role }).catch((e) => void message.error(errorMessage(e)))}>
                        <Button size="small" type="link" danger>
                          {t('appeals.drawer.remove')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space>
                <Tag color="blue">{label('roles', p.role)}</Tag>
                <span>{p.displayName}</span>
              </Space>
            </List.Item>
          )}
        />
      </section>

      <section aria-label={t('appeals.drawer.evidence')}>
        <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('appeals.drawer.evidence')}
          </Typography.Title>
          {mayWork && a.status !== 'closed' && (
            <Button size="small" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="evidence-upload">
              {t('appeals.drawer.uploadEvidence')}
            </Button>
          )}
        </Space>
        <List
          size="small"
          data-testid="appeal-evidence"
          locale={{ emptyText: t('appeals.drawer.noEvidence') }}
          dataSource={a.evidence}
          renderItem={(e) => (
            <List.Item
              actions={[
                <Button key="dl" size="small" icon={<DownloadOutlined />} onClick={() => void download(e.id, `${a.code}-${e.id.slice(0, 8)}`)}>
                  {t('appeals.drawer.download')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space>
                    <Tag>{label('evidenceKinds', e.kind)}</Tag>
                    <span>{e.note || e.contentType}</span>
                  </Space>
                }
                description={
                  <span>
                    {formatTime(e.takenAt ?? e.uploadedAt)} · {Math.ceil(e.sizeBytes / 1024)} KB · {e.uploadedBy !== null ? t('appeals.drawer.uploadedBy', { name: e.uploadedBy || label('actors', 'staff') }) : t('appeals.drawer.uploadedByWorker')} ·{' '}
                    <span style={mono} title={e.sha256} data-testid="evidence-sha">
                      SHA-256 {e.sha256.slice(0, 12)}…
                    </span>
                  </span>
                }
              />
            </List.Item>
          )}
        />
      </section>

      <section aria-label={t('appeals.drawer.documents')} data-testid="appeal-documents">
        <Typography.Title level={5}>{t('appeals.drawer.documents')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('appeals.drawer.documentsHelp')}</Typography.Paragraph>
        <Space wrap>
          {DOCUMENT_KINDS.map((kind) => (
            <Button key={kind} size="small" icon={<DownloadOutlined />} onClick={() => void downloadDocument(kind)}>
              {t(`appeals.documents.${kind}`)}
            </Button>
          ))}
        </Space>
      </section>

      <section aria-label={t('appeals.drawer.mediation')} data-testid="appeal-mediation">
        <Typography.Title level={5}>{t('appeals.drawer.mediation')}</Typography.Title>
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('appeals.drawer.sessions')}>
            {a.mediation.sessions.length === 0
              ? t('appeals.drawer.noSessions')
              : a.mediation.sessions.map((s) => (
                  <div key={s.id}>
                    {formatTime(s.heldAt)} · {s.place} · {s.participants.join('、')}
                    {s.notes && <Typography.Text type="secondary"> — {s.notes}</Typography.Text>}
                  </div>
                ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('appeals.drawer.agreement')}>
            {agreement ? (
              <div data-testid="appeal-agreement">
                <Yuan fen={agreement.totalFen} /> · {agreement.signedOn}
                {agreement.instalments.map((i, n) => (
                  <div key={n}>
                    <Typography.Text type="secondary">{t('appeals.drawer.instalment', { date: i.dueDate, amount: `¥${(i.amountFen / 100).toFixed(2)}` })}</Typography.Text>
                  </div>
                ))}
                {agreement.terms && <div>{agreement.terms}</div>}
              </div>
            ) : (
              t('appeals.drawer.noAgreement')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('appeals.drawer.payments')}>
            {a.mediation.payments.length === 0
              ? t('appeals.drawer.noPayments')
              : a.mediation.payments.map((p) => (
                  <div key={p.id}>
                    {p.paidOn} · <Yuan fen={p.amountFen} />
                    {p.note && ` · ${p.note}`}
                  </div>
                ))}
          </Descriptions.Item>
        </Descriptions>
      </section>

      <section aria-label={t('appeals.drawer.timeline')}>
        <Typography.Title level={5}>{t('appeals.drawer.timeline')}</Typography.Title>
        {a.timeline.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Timeline
            data-testid="appeal-timeline"
            items={[...a.timeline].reverse().map((e) => ({
              key: e.id,
              children: (
                <div>
                  <Typography.Text strong>{label('events', e.type)}</Typography.Text>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(e.at)} · {label('actors', e.actorKind)}
                  </Typography.Text>
                  <EventData data={e.data} />
                </div>
              ),
            }))}
          />
        )}
      </section>

      <ActionModal kind={form} appeal={a} onClose={() => setForm(null)} />
      <EvidenceModal open={uploading} appealId={a.id} onClose={() => setUploading(false)} />
    </Space>
  );
}

/** Staff add a file to the evidence locker: kind, note, the file; the answer shows its SHA-256. */
function EvidenceModal({ open, appealId, onClose }: { open: boolean; appealId: string; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const upload = useUploadEvidence(appealId);
  const [form] = Form.useForm<{ kind: EvidenceKind; note?: string; file?: File }>();
  const [file, setFile] = useState<File | null>(null);
  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v || !file) return;
    try {
      const e = await upload.mutateAsync({ file, kind: v.kind, note: v.note });
      void message.success(t('appeals.drawer.evidenceUploaded', { sha: e.sha256.slice(0, 16) }));
      setFile(null);
      onClose();
    } catch (err) {
      const rest = applyServerErrors(form, err, { 'storage.unsupported_type': 'file', 'storage.too_large': 'file' });
      if (rest) void message.error(rest);
    }
  }
  return (
    <Modal open={open} title={t('appeals.drawer.uploadEvidence')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ loading: upload.isPending, 'data-testid': 'evidence-upload-confirm' } as never} okText={t('appeals.drawer.uploadEvidence')} cancelText={t('common:actions.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} data-testid="evidence-form">
        <Form.Item name="kind" label={t('appeals.drawer.evidenceKind')} rules={[{ required: true, message: t('appeals.drawer.evidenceKindRequired') }]}>
          <Select options={evidenceKinds.map((k) => ({ value: k, label: label('evidenceKinds', k) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('appeals.drawer.evidenceNote')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="file" label={t('appeals.drawer.evidenceFile')} rules={[{ validator: () => (file ? Promise.resolve() : Promise.reject(new Error(t('appeals.drawer.evidenceFileRequired')))) }]}>
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp,application/pdf"
            data-testid="evidence-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              form.setFields([{ name: 'file', errors: [] }]);
            }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The few event details a reader needs (a note, a reason, an amount, a role), never raw ids. */
function EventData({ data }: { data: Record<string, unknown> }) {
  const label = useLabel();
  const parts: string[] = [];
  for (const k of ['note', 'reason', 'resolution', 'reference', 'place']) if (typeof data[k] === 'string' && data[k]) parts.push(String(data[k]));
  if (typeof data.role === 'string') parts.push(label('roles', data.role));
  if (typeof data.satisfaction === 'string') parts.push(label('satisfaction', data.satisfaction));
  if (typeof data.outcome === 'string') parts.push(label('outcomes', data.outcome));
  if (typeof data.amountFen === 'number') parts.push(`¥${(data.amountFen / 100).toFixed(2)}`);
  if (typeof data.totalFen === 'number') parts.push(`¥${(data.totalFen / 100).toFixed(2)}`);
  if (!parts.length) return null;
  return (
    <div>
      <Typography.Text type="secondary">{parts.join(' · ')}</Typography.Text>
    </div>
  );
}
