import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Input, Selector, TextArea } from 'antd-mobile';
import { CheckCircleFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { appealTypes, respondentKinds, type AppealType, type AppealView, type EvidenceKind, type RespondentKind } from '@contracts/appeals';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { useFileAppeal } from './api';
import { yuanToFen } from '@ui/format';
import { EvidencePicker, UploadRow, useEvidenceUploads } from './bits';
import { RelatedCases } from '../library/related-cases';

type Field = 'type' | 'description' | 'respondentKind' | 'respondentName' | 'amount';

/** problem+json `errors[].field` → the form field it belongs to. */
const fieldOfApi: Record<string, Field> = {
  type: 'type',
  description: 'description',
  'respondent.kind': 'respondentKind',
  'respondent.name': 'respondentName',
  respondent: 'respondentName',
  amountClaimedFen: 'amount',
};

/** Each field's own words when the server says it is invalid. */
const fieldMessage: Record<Field, string> = {
  type: 'appeals.file.typeMissing',
  description: 'appeals.file.descriptionShort',
  respondentKind: 'appeals.file.fieldInvalid',
  respondentName: 'appeals.file.respondentMissing',
  amount: 'appeals.file.amountInvalid',
};

/** 我要维权: what kind, what happened, against whom, how much, and the evidence (uploaded once filed). */
export function FilePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // One id per draft: a double tap or a retry returns the appeal already filed instead of a second one.
  const [clientId] = useState(() => newIdempotencyKey());
  const [type, setType] = useState<AppealType>();
  const [description, setDescription] = useState('');
  const [respondentKind, setRespondentKind] = useState<RespondentKind>('company');
  const [respondentName, setRespondentName] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<{ message: string; code?: string }>();
  const [filed, setFiled] = useState<AppealView>();
  const [uploading, setUploading] = useState(false);
  const [uploadOk, setUploadOk] = useState<boolean>();
  const fileAppeal = useFileAppeal();
  const uploads = useEvidenceUploads(clientId);
  const busy = useRef(false);

  const sendUploads = async (appealId: string, list = uploads.items) => {
    setUploading(true);
    const ok = await uploads.send(appealId, list);
    setUploading(false);
    setUploadOk(ok);
  };

  const onPick = (files: File[], kind?: EvidenceKind) => {
    const fresh = uploads.add(files, kind);
    if (filed) void sendUploads(filed.id, fresh);
  };

  const submit = async () => {
    if (busy.current || filed) return;
    const local: Partial<Record<Field, string>> = {};
    if (!type) local.type = t('appeals.file.typeMissing');
    if (!description.trim()) local.description = t('appeals.file.descriptionShort');
    if (!respondentName.trim()) local.respondentName = t('appeals.file.respondentMissing');
    const fen = yuanToFen(amount);
    if (fen !== undefined && Number.isNaN(fen)) local.amount = t('appeals.file.amountInvalid');
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) return;
    busy.current = true;
    try {
      const appeal = await fileAppeal.mutateAsync({
        clientId,
        type: type!,
        description: description.trim(),
        respondent: { kind: respondentKind, name: respondentName.trim() },
        ...(fen !== undefined ? { amountClaimedFen: fen } : {}),
      });
      setFiled(appeal);
      if (uploads.items.length) await sendUploads(appeal.id);
    } catch (err) {
      if (!(err instanceof ApiError)) return setFormError({ message: errorMessage(err) });
      const fromApi: Partial<Record<Field, string>> = {};
      for (const e of err.problem.errors ?? []) {
        const field = fieldOfApi[e.field] ?? fieldOfApi[e.field.replace(/\.\d+$/, '')];
        if (field) fromApi[field] = err.code === 'request.invalid' ? t(fieldMessage[field]) : errorMessage(err);
      }
      if (Object.keys(fromApi).length) setErrors(fromApi);
      else setFormError({ message: errorMessage(err), code: err.code });
    } finally {
      busy.current = false;
    }
  };

  const fieldError = (f: Field) =>
    errors[f] ? (
      <p className="ya-appeal-field-error" role="alert" data-testid={`error-${f}`}>
        {errors[f]}
      </p>
    ) : null;

  return (
    <SubPage title={t('appeals.file.title')} back="/appeals">
      <div data-testid="appeal-file">
        {filed ? (
          <section className="ya-card ya-appeal-filed" data-testid="appeal-filed" data-code={filed.code}>
            <h2 className="ya-card-title">
              <CheckCircleFill className="ya-appeal-ok" aria-hidden="true" /> {t('appeals.file.filed', { code: filed.code })}
            </h2>
            {uploads.items.length > 0 && (
              <p className="ya-muted ya-appeal-small" data-testid="uploads-summary" data-done={!uploading && uploadOk === true}>
                {uploading ? t('appeals.file.uploading') : uploadOk ? t('appeals.file.allUploaded') : uploadOk === false ? t('appeals.file.someFailed') : ''}
              </p>
            )}
            <Button block color="primary" shape="rounded" disabled={uploading} onClick={() => navigate(`/appeals/${filed.id}`, { replace: true })} data-testid="appeal-filed-view">
              {t('appeals.file.view')}
            </Button>
          </section>
        ) : (
          <p className="ya-card ya-muted ya-appeal-small">{t('appeals.file.intro')}</p>
        )}

        {!filed && (
          <>
            <section className="ya-card">
              <h2 className="ya-card-title" id="appeal-type-label">
                {t('appeals.file.type')}
              </h2>
              <div className="ya-appeal-types" role="radiogroup" aria-labelledby="appeal-type-label">
                {appealTypes.map((code) => (
                  <button
                    key={code}
                    type="button"
                    role="radio"
                    aria-checked={type === code}
                    className={`ya-appeal-type${type === code ? ' active' : ''}`}
                    onClick={() => {
                      setType(code);
                      setErrors((e) => ({ ...e, type: undefined }));
                    }}
                    data-testid={`type-${code}`}
                  >
                    <strong>{t(`appeals.types.${code}.name`)}</strong>
                    <span>{t(`appeals.types.${code}.hint`)}</span>
                  </button>
                ))}
              </div>
              {fieldError('type')}
            </section>
            <RelatedCases appealType={type} />

            <section className="ya-card ya-appeal-form">
              <label htmlFor="appeal-description" className="ya-appeal-label">
                {t('appeals.file.description')}
              </label>
              <TextArea id="appeal-description" value={description} onChange={setDescription} placeholder={t('appeals.file.descriptionPlaceholder')} maxLength={4000} showCount rows={4} autoSize={{ minRows: 4, maxRows: 10 }} />
              {fieldError('description')}

              <span className="ya-appeal-label" id="respondent-kind-label">
                {t('appeals.file.respondentKind')}
              </span>
              <div aria-labelledby="respondent-kind-label">
                <Selector
                  className="ya-appeal-selector"
                  columns={3}
                  options={respondentKinds.map((k) => ({ value: k, label: t(`appeals.respondentKinds.${k}`) }))}
                  value={[respondentKind]}
                  onChange={(v) => v[0] && setRespondentKind(v[0])}
                />
              </div>
              {fieldError('respondentKind')}

              <label htmlFor="appeal-respondent" className="ya-appeal-label">
                {t('appeals.file.respondentName')}
              </label>
              <Input id="appeal-respondent" value={respondentName} onChange={setRespondentName} placeholder={t('appeals.file.respondentNamePlaceholder')} maxLength={100} clearable />
              {fieldError('respondentName')}

              <label htmlFor="appeal-amount" className="ya-appeal-label">
                {t('appeals.file.amount')}
              </label>
              <Input id="appeal-amount" value={amount} onChange={setAmount} placeholder={t('appeals.file.amountPlaceholder')} inputMode="decimal" maxLength={14} clearable />
              {fieldError('amount')}
            </section>
          </>
        )}

        <section className="ya-card">
          <h2 className="ya-card-title">{t('appeals.file.evidence')}</h2>
          {!filed && <p className="ya-muted ya-appeal-small">{t('appeals.file.evidenceHint')}</p>}
          <div data-testid="upload-list">
            {uploads.items.map((item) => (
              <UploadRow key={item.key} item={item} onRemove={filed ? undefined : () => uploads.remove(item.key)} onRetry={filed ? () => void sendUploads(filed.id, [item]) : undefined} />
            ))}
          </div>
          <EvidencePicker onPick={onPick} disabled={uploading} />
        </section>

        {formError && (
          <div className="ya-card ya-appeal-form-error" role="alert" data-testid="appeal-form-error">
            <p>{formError.message}</p>
            {formError.code === 'appeals.not_verified' && (
              <Button size="small" color="primary" onClick={() => navigate('/verify')}>
                {t('appeals.file.verify')}
              </Button>
            )}
          </div>
        )}

        {!filed && (
          <div className="ya-appeal-submit">
            <Button block color="primary" size="large" shape="rounded" loading={fileAppeal.isPending} loadingText={t('appeals.file.submitting')} disabled={fileAppeal.isPending} onClick={() => void submit()} data-testid="appeal-submit">
              {t('appeals.file.submit')}
            </Button>
          </div>
        )}
      </div>
    </SubPage>
  );
}
