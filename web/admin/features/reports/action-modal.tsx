import { useState } from 'react';
import { App, Button, Empty, Form, Image, Input, InputNumber, Modal, Radio, Select, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AdminReport, UploadedPhoto, VerifyVerdict } from '@contracts/reports';
import { verifyVerdicts } from '@contracts/reports';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { useDepartments } from '../../shared/departments-query';
import { applyServerErrors } from '../../shared/form-errors';
import { ErrorResult } from '../../shared/query-state';
import { uploadAfterPhoto, useCampaignMutations, useCampaignOptions, useReportAction, useReports, type ReportAction } from './api';
import { useCategoryNames, useLabel } from './shared';

/** The actions that open a form (acknowledge is a plain confirmation on the drawer). */
export type ModalAction = Exclude<ReportAction['kind'], 'acknowledge'>;

const MAX_BYTES = 8 * 1024 * 1024;
const imageTypes = ['image/jpeg', 'image/png', 'image/webp'];

interface Values {
  action?: 'dispatch' | 'duplicate' | 'invalid';
  departmentId?: string;
  departmentIds?: string[];
  streetCode?: string;
  category?: string;
  note?: string;
  reason?: string;
  intoId?: string;
  days?: number;
  approved?: boolean;
  result?: string;
  verdict?: VerifyVerdict;
}

const titles: Record<ModalAction, string> = {
  triage: 'reports.modals.triageTitle',
  return: 'reports.modals.returnTitle',
  extension: 'reports.modals.extensionTitle',
  decide_extension: 'reports.modals.decideTitle',
  co_handlers: 'reports.modals.coTitle',
  handle: 'reports.modals.handleTitle',
  verify: 'reports.modals.verifyTitle',
  clawback: 'reports.modals.clawbackTitle',
};

/** One form per staff action on a report; the modal stays open with the server's error on failure. */
export function ActionModal({ report, action, onClose }: { report: AdminReport; action: ModalAction | undefined; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const label = useLabel();
  const [form] = Form.useForm<Values>();
  const mutation = useReportAction(report.id);
  const departments = useDepartments();
  const { categories } = useCategoryNames();
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(0);
  const [photoError, setPhotoError] = useState<string>();
  const en = i18n.language === 'en';
  const triageAction = Form.useWatch('action', form);
  const verdict = Form.useWatch('verdict', form);
  const departmentOptions = (departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: en ? d.nameEn : d.nameZh }));

  const close = () => {
    setPhotos([]);
    setPhotoError(undefined);
    onClose();
  };

  function body(v: Values): ReportAction | undefined {
    const note = v.note?.trim() || undefined;
    switch (action) {
      case 'triage':
        if (v.action === 'dispatch') return { kind: 'triage', body: { action: 'dispatch', departmentId: v.departmentId!, streetCode: v.streetCode ?? null, category: v.category, note } };
        if (v.action === 'duplicate') return { kind: 'triage', body: { action: 'duplicate', intoId: v.intoId!, note } };
        return { kind: 'triage', body: { action: 'invalid', note: note ?? '' } };
      case 'return':
        return { kind: 'return', body: { reason: v.reason!.trim() } };
      case 'clawback':
        return { kind: 'clawback', body: { reason: v.reason!.trim() } };
      case 'extension':
        return { kind: 'extension', body: { days: v.days!, reason: v.reason!.trim() } };
      case 'decide_extension':
        return { kind: 'decide_extension', body: { approved: !!v.approved, note } };
      case 'co_handlers':
        return { kind: 'co_handlers', body: { departmentIds: v.departmentIds! } };
      case 'handle':
        return { kind: 'handle', body: { result: v.result!.trim(), photoIds: photos.map((p) => p.id) } };
      case 'verify':
        return { kind: 'verify', body: { verdict: v.verdict!, note, intoId: v.verdict === 'duplicate' ? v.intoId : undefined } };
      default:
        return undefined;
    }
  }

  async function submit() {
    const values = await form.validateFields().catch(() => undefined);
    if (action === 'handle' && photos.length === 0) {
      setPhotoError(t('reports.modals.afterPhotosRequired'));
      return;
    }
    if (!values) return;
    const a = body(values);
    if (!a) return;
    try {
      await mutation.mutateAsync(a);
      void message.success(t('reports.modals.done'));
      close();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'reports.duplicate_target': 'intoId', 'reports.department_not_found': action === 'co_handlers' ? 'departmentIds' : 'departmentId' });
      if (rest) void message.error(rest);
    }
  }

  async function upload(file: File) {
    if (!imageTypes.includes(file.type)) return void message.error(t('reports.modals.wrongType'));
    if (file.size > MAX_BYTES) return void message.error(t('reports.modals.tooLarge'));
    setUploading((n) => n + 1);
    try {
      const photo = await uploadAfterPhoto(file);
      setPhotos((p) => [...p, photo].slice(0, 3));
      setPhotoError(undefined);
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setUploading((n) => n - 1);
    }
  }

  const reasonItem = (
    <Form.Item name="reason" label={t('reports.modals.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('reports.modals.reasonRequired') }]}>
      <Input.TextArea rows={3} maxLength={500} showCount />
    </Form.Item>
  );
  const noteItem = (required = false) => (
    <Form.Item
      name="note"
      label={required ? t('reports.modals.note') : t('reports.modals.noteOptional')}
      rules={required ? [{ required: true, whitespace: true, message: t('reports.modals.noteRequired') }] : []}
    >
      <Input.TextArea rows={2} maxLength={500} showCount />
    </Form.Item>
  );
  const originalItem = (
    <Form.Item name="intoId" label={t('reports.modals.original')} rules={[{ required: true, message: t('reports.modals.originalRequired') }]}>
      <ReportPicker exclude={report.id} />
    </Form.Item>
  );

  return (
    <Modal
      open={!!action}
      title={action ? t(titles[action]) : undefined}
      okText={t('reports.modals.submit')}
      okButtonProps={{ loading: mutation.isPending, disabled: uploading > 0, danger: action === 'clawback' }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={close}
      destroyOnHidden
      width={560}
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ action: 'dispatch', days: 3, approved: true }} data-testid={`action-form-${action ?? ''}`}>
        {action === 'triage' && (
          <>
            <Form.Item name="action" label={t('reports.modals.triageAction')}>
              <Radio.Group
                optionType="button"
                options={(['dispatch', 'duplicate', 'invalid'] as const).map((a) => ({ value: a, label: t(`reports.modals.triageActions.${a}`) }))}
              />
            </Form.Item>
            {triageAction === 'dispatch' && (
              <>
                <Form.Item name="departmentId" label={t('reports.modals.department')} rules={[{ required: true, message: t('reports.modals.departmentRequired') }]}>
                  <Select showSearch optionFilterProp="label" options={departmentOptions} />
                </Form.Item>
                <Form.Item name="streetCode" label={t('reports.modals.street')} rules={[{ pattern: /^\d{9}$/, message: t('reports.routing.streetInvalid') }]}>
                  <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} maxLength={9} />
                </Form.Item>
                <Form.Item name="category" label={t('reports.modals.changeCategory')}>
                  <Select allowClear options={categories.map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh }))} />
                </Form.Item>
                {noteItem()}
              </>
            )}
            {triageAction === 'duplicate' && (
              <>
                {originalItem}
                {noteItem()}
              </>
            )}
            {triageAction === 'invalid' && noteItem(true)}
          </>
        )}
        {action === 'return' && (
          <>
            <Typography.Paragraph type="secondary">{t('reports.modals.returnBody')}</Typography.Paragraph>
            {reasonItem}
          </>
        )}
        {action === 'clawback' && (
          <>
            <Typography.Paragraph type="secondary">{t('reports.modals.clawbackBody')}</Typography.Paragraph>
            {reasonItem}
          </>
        )}
        {action === 'extension' && (
          <>
            <Form.Item name="days" label={t('reports.modals.extensionDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={30} precision={0} />
            </Form.Item>
            {reasonItem}
          </>
        )}
        {action === 'decide_extension' && (
          <>
            {report.orders[0]?.extension && (
              <Typography.Paragraph>
                {t('reports.detail.extension', {
                  days: report.orders[0].extension.days,
                  status: label('extensionStatuses', report.orders[0].extension.status),
                  reason: report.orders[0].extension.reason,
                })}
              </Typography.Paragraph>
            )}
            <Form.Item name="approved" label={t('reports.modals.decision')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: true, label: t('reports.modals.decideApprove') },
                  { value: false, label: t('reports.modals.decideReject') },
                ]}
              />
            </Form.Item>
            {noteItem()}
          </>
        )}
        {action === 'co_handlers' && (
          <Form.Item name="departmentIds" label={t('reports.modals.coDepartments')} rules={[{ required: true, message: t('reports.modals.departmentRequired') }]}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={departmentOptions.filter((d) => d.value !== report.departmentId)} />
          </Form.Item>
        )}
        {action === 'handle' && (
          <>
            <Form.Item name="result" label={t('reports.modals.result')} rules={[{ required: true, whitespace: true, min: 2, message: t('reports.modals.resultRequired') }]}>
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
            <Form.Item label={t('reports.modals.afterPhotos')} required validateStatus={photoError ? 'error' : undefined} help={photoError}>
              <Space wrap size={8}>
                {photos.map((p, i) => (
                  <div key={p.id} style={{ position: 'relative' }} data-testid="after-photo">
                    <Image src={p.url} width={96} height={72} style={{ objectFit: 'cover', borderRadius: 6 }} alt={t('reports.detail.photoAlt', { kind: t('reports.detail.photosAfter'), n: i + 1 })} />
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('reports.modals.removePhoto', { n: i + 1 })}
                      style={{ position: 'absolute', top: 4, right: 4 }}
                      onClick={() => setPhotos((ps) => ps.filter((x) => x.id !== p.id))}
                    />
                  </div>
                ))}
              </Space>
              {photos.length + uploading < 3 && (
                <div style={{ marginTop: photos.length ? 8 : 0 }}>
                  <Upload
                    accept={imageTypes.join(',')}
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void upload(file);
                      return false;
                    }}
                  >
                    <Button icon={<UploadOutlined />} loading={uploading > 0} data-testid="after-photo-upload">
                      {uploading > 0 ? t('reports.modals.uploading') : t('reports.modals.upload')}
                    </Button>
                  </Upload>
                </div>
              )}
            </Form.Item>
          </>
        )}
        {action === 'verify' && (
          <>
            <Form.Item name="verdict" label={t('reports.modals.verdict')} rules={[{ required: true, message: t('reports.modals.verdictRequired') }]}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} options={verifyVerdicts.map((v) => ({ value: v, label: label('verdicts', v) }))} />
            </Form.Item>
            {verdict === 'duplicate' && originalItem}
            {noteItem()}
          </>
        )}
      </Form>
    </Modal>
  );
}

/** Picks another report in scope by its code or description (the original of a duplicate). */
function ReportPicker({ value, onChange, exclude, id }: { value?: string; onChange?: (v: string | undefined) => void; exclude: string; id?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useReports({ page: 1, pageSize: 10, q: q || undefined });
  const options = (list.data?.items ?? []).filter((r) => r.id !== exclude).map((r) => ({ value: r.id, label: `${r.code} · ${r.description || r.address}`.slice(0, 60) }));
  return (
    <Select
      id={id}
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={(s) => setQ(s.trim())}
      placeholder={t('reports.modals.originalSearch')}
      loading={list.isFetching}
      options={options}
      allowClear
    />
  );
}

/**
 * 加入专项治理: an operator puts the report into an open campaign of its category (the ones covering
 * the report first, then the nearest; searchable by title or code).
 */
export function JoinCampaignModal({ report, open, onClose }: { report: AdminReport; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { name } = useCategoryNames();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string>();
  const options = useCampaignOptions(report.id, q, open);
  const { addReports } = useCampaignMutations();

  const close = () => {
    setQ('');
    setChosen(undefined);
    onClose();
  };

  async function join() {
    if (!chosen) return;
    try {
      await addReports.mutateAsync({ id: chosen, reportIds: [report.id] });
      void message.success(t('reports.campaigns.joined'));
      close();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Modal
      open={open}
      title={t('reports.campaigns.joinTitle')}
      okText={t('reports.campaigns.join')}
      okButtonProps={{ disabled: !chosen, loading: addReports.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void join()}
      onCancel={close}
      destroyOnHidden
      width={600}
    >
      <Typography.Paragraph type="secondary">
        {name(report.category)} · {t('reports.campaigns.joinIntro')}
      </Typography.Paragraph>
      <Input.Search allowClear placeholder={t('reports.campaigns.joinSearch')} aria-label={t('reports.campaigns.joinSearch')} onSearch={(v) => setQ(v.trim())} maxLength={50} style={{ marginBottom: 12 }} />
      {options.isError && !options.data ? (
        <ErrorResult error={options.error} onRetry={() => void options.refetch()} />
      ) : !options.data ? (
        <Skeleton active />
      ) : options.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.campaigns.noOptions')} />
      ) : (
        <Radio.Group value={chosen} onChange={(e) => setChosen(e.target.value as string)} style={{ width: '100%' }} aria-label={t('reports.campaigns.joinChoose')} data-testid="campaign-options">
          <Space orientation="vertical" style={{ width: '100%' }}>
            {options.data.map((c) => (
              <Radio key={c.id} value={c.id} data-testid="campaign-option">
                <Space size={6} wrap>
                  <Typography.Text strong>{c.title}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                    {c.code}
                  </Typography.Text>
                  {c.coversReport && <Tag color="green">{t('reports.campaigns.coversReport')}</Tag>}
                  {c.overdue && <Tag color="red">{t('reports.campaigns.overdue')}</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[
                      c.areaName,
                      `${t('reports.campaigns.owner')} ${c.owner.name}`,
                      `${t('reports.campaigns.deadline')} ${c.deadline}`,
                      t('reports.campaigns.reportsCount', { count: c.reportCount }),
                      c.distanceM !== null ? t('reports.campaigns.distanceValue', { m: c.distanceM }) : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Typography.Text>
                </div>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      )}
    </Modal>
  );
}
