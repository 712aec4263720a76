import { useRef, useState } from 'react';
import { App, Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowLeftOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { appealTypes, type AppealType } from '@contracts/appeals';
import type { LibraryAdminView, LibraryContent, LibraryKind, LibraryRevisionContent, LibraryRevisionSummary, LibraryStatus } from '@contracts/library';
import { formatDateTime } from '@ui/format';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { Page } from '../../shell/layout';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { applyServerErrors } from '../../shared/form-errors';
import { ErrorResult } from '../../shared/query-state';
import { useArchive, useCreateEntry, useDiscardDraft, useLibraryEntry, usePublish, useRevision, useRevisions, useSaveDraft } from './api';
import { statusColor } from './library-page';

/** The form's shape: paragraphs are edited as text, one paragraph per line. */
interface Values {
  title: string;
  summary: string;
  appealTypes: AppealType[];
  areaCode?: string;
  facts?: string;
  resolution?: string;
  legalBasis?: string;
  amountYuan?: number | null;
  issuer?: string;
  versionLabel?: string;
  effectiveOn?: string;
  sections?: { heading: string; paragraphs: string }[];
  checklist?: string;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const joined = (xs: string[] | undefined) => (xs ?? []).join('\n');

function toContent(kind: LibraryKind, v: Values): LibraryContent {
  const common = { title: v.title, summary: v.summary, appealTypes: v.appealTypes ?? [], areaCode: v.areaCode || null };
  if (kind === 'typical_case') {
    return {
      ...common,
      typicalCase: {
        facts: lines(v.facts),
        resolution: lines(v.resolution),
        legalBasis: lines(v.legalBasis),
        amountRecoveredFen: v.amountYuan === undefined || v.amountYuan === null ? null : Math.round(v.amountYuan * 100),
      },
    };
  }
  return {
    ...common,
    modelContract: {
      issuer: v.issuer ?? '',
      versionLabel: v.versionLabel ?? '',
      effectiveOn: v.effectiveOn ?? '',
      sections: (v.sections ?? []).map((s) => ({ heading: s.heading, paragraphs: lines(s.paragraphs) })),
      checklist: lines(v.checklist),
    },
  };
}

function fromRevision(r: LibraryRevisionContent | null): Values {
  if (!r) return { title: '', summary: '', appealTypes: [], sections: [{ heading: '', paragraphs: '' }] };
  return {
    title: r.title,
    summary: r.summary,
    appealTypes: r.appealTypes,
    areaCode: r.areaCode ?? undefined,
    facts: joined(r.typicalCase?.facts),
    resolution: joined(r.typicalCase?.resolution),
    legalBasis: joined(r.typicalCase?.legalBasis),
    amountYuan: r.typicalCase?.amountRecoveredFen != null ? r.typicalCase.amountRecoveredFen / 100 : undefined,
    issuer: r.modelContract?.issuer,
    versionLabel: r.modelContract?.versionLabel,
    effectiveOn: r.modelContract?.effectiveOn,
    sections: r.modelContract?.sections.map((s) => ({ heading: s.heading, paragraphs: joined(s.paragraphs) })) ?? [{ heading: '', paragraphs: '' }],
    checklist: joined(r.modelContract?.checklist),
  };
}

/** Create (no id) or edit an entry; below the form, its revision history. */
export function EntryEditor({ id }: { id: string | undefined }) {
  const { t } = useTranslation();
  const entry = useLibraryEntry(id);
  const [params] = useSearchParams();
  if (id && entry.isPending) return <Page title={t('library.title')}>{null}</Page>;
  if (id && entry.isError) return <ErrorResult error={entry.error} onRetry={() => void entry.refetch()} />;
  const kind: LibraryKind = entry.data?.kind ?? (params.get('kind') === 'model_contract' ? 'model_contract' : 'typical_case');
  return <EditorForm key={`${id ?? 'new'}-${entry.data?.version ?? 0}`} kind={kind} view={entry.data} />;
}

function EditorForm({ kind, view }: { kind: LibraryKind; view: LibraryAdminView | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const staff = useStaff();
  const [form] = Form.useForm<Values>();
  const id = view?.id ?? '';
  const create = useCreateEntry();
  const createKey = useRef(newIdempotencyKey());
  const save = useSaveDraft(id);
  const publish = usePublish();
  const archive = useArchive(id);
  const discard = useDiscardDraft(id);
  const busy = create.isPending || save.isPending || publish.isPending || archive.isPending || discard.isPending;
  const required = [{ required: true, whitespace: true, message: t('library.editor.required') }];

  const fail = (err: unknown) => {
    const toast = applyServerErrors(form, err);
    if (toast) void message.error(toast);
  };

  /** Saves the form (creating the entry first time); returns the entry. */
  const persist = async (): Promise<LibraryAdminView> => {
    const values = await form.validateFields();
    const content = toContent(kind, values);
    if (!view) {
      try {
        return await create.mutateAsync({ body: { kind, ...content }, key: createKey.current });
      } catch (err) {
        // refused (not lost): the next attempt is a new request with a new key
        if (err instanceof ApiError && err.status > 0) createKey.current = newIdempotencyKey();
        throw err;
      }
    }
    return save.mutateAsync({ ...content, expectedVersion: view.version });
  };

  const onSave = async () => {
    try {
      const saved = await persist();
      void message.success(t('library.editor.saved'));
      if (!view) navigate(`/library/${saved.id}`, { replace: true });
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return; // shown on the form
      fail(err);
    }
  };

  const onPublish = async () => {
    try {
      const needsSave = !view || !!view.draft || form.isFieldsTouched();
      const current = needsSave ? await persist() : view;
      const done = await publish.mutateAsync({ id: current.id, expectedVersion: current.version });
      void message.success(t('library.editor.published'));
      navigate(`/library/${done.id}`, { replace: true });
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return;
      fail(err);
    }
  };

  const onDiscard = async () => {
    try {
      const done = await discard.mutateAsync(view!.version);
      // back to what readers see
      form.resetFields();
      form.setFieldsValue(fromRevision(done.published));
      void message.success(t('library.editor.discarded', { n: done.published?.number ?? '' }));
    } catch (err) {
      fail(err);
    }
  };

  const onArchive = async () => {
    try {
      await archive.mutateAsync(view!.version);
      void message.success(t('library.editor.archived'));
    } catch (err) {
      fail(err);
    }
  };

  const kindName = t(`library.kinds.${kind}`);
  const status: LibraryStatus | undefined = view?.status;
  const canPublish = !view || !!view.draft || view.status === 'archived';

  return (
    <Page
      title={view ? t('library.editor.editTitle', { kind: kindName }) : t('library.editor.createTitle', { kind: kindName })}
      extra={
        <Space>
          {status && (
            <Tag color={statusColor[status]} data-testid="library-status">
              {t(`library.statuses.${status}`)}
            </Tag>
          )}
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/library')}>
            {t('library.editor.back')}
          </Button>
        </Space>
      }
    >
      {view?.published && view.draft && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('library.editor.publishedNote', { n: view.published.number })} />}
      <Form<Values> form={form} layout="vertical" initialValues={fromRevision(view?.draft ?? view?.published ?? null)} disabled={busy} style={{ maxWidth: 880 }}>
        <Form.Item name="title" label={t('library.editor.title')} rules={required}>
          <Input maxLength={120} showCount data-testid="library-title" />
        </Form.Item>
        <Form.Item name="summary" label={t('library.editor.summary')} rules={required}>
          <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 5 }} data-testid="library-summary" />
        </Form.Item>
        <Space wrap align="start" size="large">
          <Form.Item name="appealTypes" label={t('library.editor.appealTypes')} style={{ minWidth: 320 }}>
            <Select mode="multiple" allowClear options={appealTypes.map((a) => ({ value: a, label: t(`appeals.types.${a}`) }))} data-testid="library-types" />
          </Form.Item>
          <Form.Item name="areaCode" label={t('library.editor.area')}>
            <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} maxLength={9} style={{ width: 260 }} />
          </Form.Item>
        </Space>
        {kind === 'typical_case' ? (
          <>
            {(['facts', 'resolution', 'legalBasis'] as const).map((f) => (
              <Form.Item key={f} name={f} label={t(`library.editor.${f}`)} extra={t('library.editor.linesHelp')} rules={required}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} data-testid={`library-${f}`} />
              </Form.Item>
            ))}
            <Form.Item name="amountYuan" label={t('library.editor.amount')}>
              <InputNumber min={0} max={1_000_000_000} precision={2} style={{ width: 200 }} data-testid="library-amount" />
            </Form.Item>
          </>
        ) : (
          <>
            <Space wrap align="start" size="large">
              <Form.Item name="issuer" label={t('library.editor.issuer')} rules={required} style={{ minWidth: 360 }}>
                <Input maxLength={120} />
              </Form.Item>
              <Form.Item name="versionLabel" label={t('library.editor.versionLabel')} rules={required}>
                <Input maxLength={40} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item
                name="effectiveOn"
                label={t('library.editor.effectiveOn')}
                rules={[...required, { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('library.editor.dateInvalid') }]}
              >
                <Input placeholder="2026-01-01" style={{ width: 160 }} />
              </Form.Item>
            </Space>
            <Typography.Title level={5}>{t('library.editor.sections')}</Typography.Title>
            <Form.List name="sections">
              {(fields, { add, remove, move }) => (
                <>
                  {fields.map((field, i) => (
                    <Card
                      key={field.key}
                      size="small"
                      style={{ marginBottom: 12 }}
                      data-testid="library-section"
                      extra={
                        <Space size={0}>
                          <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('library.editor.moveUp')} />
                          <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label={t('library.editor.moveDown')} />
                          <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(field.name)} aria-label={t('library.editor.remove')} />
                        </Space>
                      }
                      title={`${i + 1}`}
                    >
                      <Form.Item name={[field.name, 'heading']} label={t('library.editor.heading')} rules={required}>
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'paragraphs']} label={t('library.editor.paragraphs')} extra={t('library.editor.linesHelp')} rules={required} style={{ marginBottom: 0 }}>
                        <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} />
                      </Form.Item>
                    </Card>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ heading: '', paragraphs: '' })} block style={{ marginBottom: 16 }}>
                    {t('library.editor.addSection')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="checklist" label={t('library.editor.checklist')} extra={t('library.editor.linesHelp')} rules={required}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
          </>
        )}
        <Space>
          <Button onClick={() => void onSave()} loading={create.isPending || save.isPending} data-testid="library-save">
            {t('library.editor.save')}
          </Button>
          {canPublish && (
            <Button type="primary" onClick={() => void onPublish()} loading={publish.isPending} data-testid="library-publish">
              {view?.status === 'archived' && !view.draft ? t('library.editor.republish') : t('library.editor.publish')}
            </Button>
          )}
          {view?.draft && view.published && (
            <Popconfirm title={t('library.editor.discardConfirm', { n: view.published.number })} onConfirm={() => void onDiscard()}>
              <Button loading={discard.isPending} data-testid="library-discard">
                {t('library.editor.discard')}
              </Button>
            </Popconfirm>
          )}
          {view && view.status !== 'archived' && (
            <Popconfirm title={t('library.editor.archiveConfirm')} onConfirm={() => void onArchive()}>
              <Button danger loading={archive.isPending} data-testid="library-archive">
                {t('library.editor.archive')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
      {view && <Revisions id={view.id} />}
    </Page>
  );
}

function Revisions({ id }: { id: string }) {
  const { t } = useTranslation();
  const revisions = useRevisions(id);
  const [open, setOpen] = useState<number>();
  return (
    <Card title={t('library.revisions.title')} size="small" style={{ marginTop: 24, maxWidth: 880 }} data-testid="library-revisions">
      <Table<LibraryRevisionSummary>
        rowKey="id"
        size="small"
        pagination={false}
        loading={revisions.isFetching}
        dataSource={revisions.data}
        columns={[
          { title: t('library.columns.revision'), dataIndex: 'number', width: 90, render: (n: number) => t('library.revisionN', { n }) },
          { title: t('library.columns.status'), dataIndex: 'status', width: 100, render: (s: LibraryRevisionSummary['status']) => t(`library.revisionStatuses.${s}`) },
          { title: t('library.columns.title'), dataIndex: 'title' },
          { title: t('library.revisions.created'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
          { title: t('library.revisions.publishedAt'), dataIndex: 'publishedAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
          {
            key: 'view',
            width: 70,
            render: (_: unknown, r) => (
              <Button type="link" size="small" onClick={() => setOpen(r.number)}>
                {t('library.revisions.view')}
              </Button>
            ),
          },
        ]}
      />
      <RevisionModal id={id} number={open} onClose={() => setOpen(undefined)} />
    </Card>
  );
}

/** One revision, read-only, as text. */
function RevisionModal({ id, number, onClose }: { id: string; number: number | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const r = useRevision(id, number);
  const paras = (xs: string[]) => xs.map((p, i) => <Typography.Paragraph key={i}>{p}</Typography.Paragraph>);
  return (
    <Modal open={number !== undefined} onCancel={onClose} footer={null} width={720} title={number ? t('library.revisionN', { n: number }) : ''}>
      {r.data && (
        <div data-testid="library-revision">
          <Typography.Title level={5}>{r.data.title}</Typography.Title>
          <Typography.Paragraph type="secondary">{r.data.summary}</Typography.Paragraph>
          {r.data.typicalCase && (
            <>
              <Typography.Text strong>{t('library.editor.facts')}</Typography.Text>
              {paras(r.data.typicalCase.facts)}
              <Typography.Text strong>{t('library.editor.resolution')}</Typography.Text>
              {paras(r.data.typicalCase.resolution)}
              <Typography.Text strong>{t('library.editor.legalBasis')}</Typography.Text>
              {paras(r.data.typicalCase.legalBasis)}
            </>
          )}
          {r.data.modelContract?.sections.map((s, i) => (
            <div key={i}>
              <Typography.Text strong>{s.heading}</Typography.Text>
              {paras(s.paragraphs)}
            </div>
          ))}
        </div>
      )}
    </Modal>
  );
}
