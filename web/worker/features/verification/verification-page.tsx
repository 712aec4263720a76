import { useRef, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, NoticeBar, Result, Selector, Toast } from 'antd-mobile';
import { ClockCircleOutline, InformationCircleOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { industries, type Industry, type WorkerMe } from '@contracts/workers';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage, i18n } from '@ui/i18n';
import { meKey, useMe } from '../../shared/me';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { SubPage } from '../../shared/sub-page';
import { formatDateTime } from '@ui/format';
import { AreaField, type AreaValue } from './area-picker';
import { checkIdNumber } from './id-number';
import { submitVerification, type VerificationBody } from './api';

interface Values {
  name: string;
  idNumber: string;
  industry: Industry[];
  platform: string;
  station: string;
  area?: AreaValue;
}

/** API field names (problem `errors[].field`) → form fields. */
const formFieldOf: Record<string, keyof Values> = {
  name: 'name',
  idNumber: 'idNumber',
  industry: 'industry',
  platform: 'platform',
  station: 'station',
  areaCode: 'area',
};

const idFieldCodes = new Set(['workers.invalid_id_number', 'workers.underage', 'workers.id_number_taken']);

export function VerificationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();

  if (me.isPending)
    return (
      <SubPage title={t('verify.title')}>
        <PageSkeleton rows={2} />
      </SubPage>
    );
  if (me.isError)
    return (
      <SubPage title={t('verify.title')}>
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </SubPage>
    );
  if (me.data.consent.needsConsent) return <Navigate to="/privacy?next=%2Fverify" replace />;

  const status = me.data.verificationStatus;
  if (status === 'pending' || status === 'approved')
    return (
      <SubPage title={t('verify.title')}>
        <Result
          status={status === 'pending' ? 'waiting' : 'success'}
          icon={status === 'pending' ? <ClockCircleOutline /> : undefined}
          title={status === 'pending' ? t('verify.pendingNotice') : t('verify.approvedNotice')}
          description={formatDateTime(status === 'pending' ? me.data.latestVerification?.submittedAt : me.data.verifiedAt)}
        />
        <div style={{ padding: 16 }}>
          <Button block color="primary" onClick={() => navigate('/', { replace: true })}>
            {t('states.backHome')}
          </Button>
        </div>
      </SubPage>
    );

  return <VerificationForm me={me.data} />;
}

function VerificationForm({ me }: { me: WorkerMe }) {
  const { t, i18n: { language } } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string>();
  // One key per submission: kept across retries of unchanged details, replaced once anything is edited.
  const idempotencyKey = useRef<string | undefined>(undefined);
  const rejected = me.verificationStatus === 'rejected';

  const submit = useMutation({
    mutationFn: (body: VerificationBody) => {
      idempotencyKey.current ??= newIdempotencyKey();
      return submitVerification(body, idempotencyKey.current);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(meKey, updated);
      Toast.show({ icon: 'success', content: t('verify.submitted') });
      navigate('/', { replace: true });
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return setFormError(errorMessage(err));
      if (err.code === 'workers.consent_required') return navigate('/privacy?next=%2Fverify', { replace: true });
      if (err.code === 'workers.verification_pending' || err.code === 'workers.already_verified') {
        void queryClient.invalidateQueries({ queryKey: meKey });
        return;
      }
      const fields = (err.problem.errors ?? [])
        .map((e) => formFieldOf[e.field.replace(/^.*[/.]/, '')])
        .filter((f): f is keyof Values => !!f);
      if (idFieldCodes.has(err.code) && !fields.includes('idNumber')) fields.unshift('idNumber');
      if (fields.length > 0) {
        const message = err.code === 'request.invalid' ? undefined : errorMessage(err);
        form.setFields([...new Set(fields)].map((name) => ({ name, errors: [message ?? t('verify.fieldInvalid', { field: t(`verify.${name}`) })] })));
        setFormError(undefined);
      } else {
        setFormError(errorMessage(err));
      }
    },
  });

  const onFinish = (v: Values) => {
    setFormError(undefined);
    const id = checkIdNumber(v.idNumber, new Date());
    submit.mutate({
      name: v.name.trim(),
      idNumber: id.ok ? id.value : v.idNumber.trim().toUpperCase(),
      industry: v.industry[0],
      platform: v.platform.trim(),
      station: v.station.trim(),
      areaCode: v.area!.code,
    });
  };

  const required = (field: string, select = false) => ({
    required: true,
    message: t(select ? 'verify.requiredSelect' : 'verify.required', { field: t(`verify.${field}`) }),
    whitespace: true,
  });

  return (
    <SubPage title={rejected ? t('verify.resubmitTitle') : t('verify.title')}>
      {rejected && me.latestVerification?.reason && (
        <NoticeBar color="error" wrap content={t('home.banner.rejected.reason', { reason: me.latestVerification.reason })} data-testid="reject-reason" />
      )}
      <div className="ya-form-intro">
        <InformationCircleOutline />
        <span>{t('verify.intro')}</span>
      </div>
      <Form
        form={form}
        className="ya-form"
        layout="horizontal"
        mode="card"
        requiredMarkStyle="asterisk"
        onFinish={onFinish}
        onValuesChange={() => {
          idempotencyKey.current = undefined;
        }}
        initialValues={initialValues(me)}
        footer={
          <>
            {formError && (
              <div className="ya-form-error" role="alert" data-testid="form-error">
                {formError}
              </div>
            )}
            <Button block type="submit" color="primary" size="large" shape="rounded" loading={submit.isPending} disabled={submit.isPending} data-testid="submit-verification">
              {t('verify.submit')}
            </Button>
          </>
        }
      >
        <Form.Header />
        <Form.Item name="name" label={t('verify.name')} rules={[required('name'), { min: 2, max: 30, message: t('verify.nameInvalid') }]}>
          <Input placeholder={t('verify.namePlaceholder')} autoComplete="name" maxLength={30} clearable />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('verify.idNumber')}
          validateTrigger="onBlur"
          rules={[required('idNumber'), { validator: (_, value: string) => idNumberRule(value) }]}
        >
          <Input placeholder={t('verify.idNumberPlaceholder')} autoComplete="off" maxLength={18} clearable />
        </Form.Item>
        <Form.Header />
        <Form.Item name="industry" label={t('verify.industry')} layout="vertical" rules={[{ required: true, type: 'array', min: 1, message: t('verify.requiredSelect', { field: t('verify.industry') }) }]}>
          <Selector
            className="ya-selector"
            columns={language === 'en' ? 2 : 3}
            showCheckMark={false}
            options={industries.map((code) => ({ value: code, label: t(`common:industries.${code}`) }))}
          />
        </Form.Item>
        <Form.Item name="platform" label={t('verify.platform')} rules={[required('platform'), { max: 60 }]}>
          <Input placeholder={t('verify.platformPlaceholder')} maxLength={60} clearable />
        </Form.Item>
        <Form.Item name="station" label={t('verify.station')} rules={[required('station'), { max: 60 }]}>
          <Input placeholder={t('verify.stationPlaceholder')} maxLength={60} clearable />
        </Form.Item>
        <Form.Item
          name="area"
          label={t('verify.area')}
          arrow
          rules={[{ validator: (_, v?: AreaValue) => (v?.code ? Promise.resolve() : Promise.reject(new Error(t('verify.requiredSelect', { field: t('verify.area') })))) }]}
          required
        >
          <AreaField placeholder={t('verify.areaPlaceholder')} />
        </Form.Item>
      </Form>
    </SubPage>
  );
}

/** A resubmission starts from what was sent last time, except the name and ID number (held masked only). */
function initialValues(me: WorkerMe): Partial<Values> {
  return {
    industry: me.industry && (industries as readonly string[]).includes(me.industry) ? [me.industry as Industry] : [],
    platform: me.platform ?? '',
    station: me.station ?? '',
    area: me.areaCode ? { code: me.areaCode, names: [me.areaName ?? me.areaCode] } : undefined,
  };
}

/** Client-side twin of the server's check, so a mistyped number is caught before anything is sent. */
function idNumberRule(value: string | undefined): Promise<void> {
  if (!value?.trim()) return Promise.resolve(); // "required" speaks for empty
  const r = checkIdNumber(value, new Date());
  if (r.ok) return Promise.resolve();
  const message = {
    format: i18n.t('worker:verify.idFormat'),
    checksum: i18n.t('worker:verify.idChecksum'),
    birth_date: i18n.t('worker:verify.idBirthDate'),
    underage: i18n.t('common:errors.workers.underage'),
  }[r.reason];
  return Promise.reject(new Error(message));
}
