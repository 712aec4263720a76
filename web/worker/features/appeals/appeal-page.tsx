import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Dialog, Input, Selector, Steps, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { satisfactionLevels, type AppealView, type EvidenceKind, type Satisfaction } from '@contracts/appeals';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { formatDateTime } from '@ui/format';
import { errorMessage } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { useAppeal, useRate, useReopen } from './api';
import { AppealClock, AppealStatusTag, EvidencePicker, formatFen, shortHash, UploadRow, useEvidenceUploads } from './bits';

/** One appeal: where it stands, who handles it, the clock, evidence, mediation, the timeline, and rating. */
export function AppealPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const appeal = useAppeal(id);
  return (
    <SubPage title={t('appeals.detail.title')} back="/appeals">
      {appeal.isPending ? (
        <PageSkeleton rows={3} />
      ) : appeal.isError ? (
        <ErrorState error={appeal.error} onRetry={() => void appeal.refetch()} />
      ) : (
        <AppealDetail appeal={appeal.data} />
      )}
    </SubPage>
  );
}

function AppealDetail({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  return (
    <div data-testid="appeal-detail" data-status={a.status} data-code={a.code}>
      <section className="ya-card">
        <div className="ya-appeal-row-head">
          <h2 className="ya-card-title">{t(`appeals.types.${a.type}.name`, { defaultValue: a.type })}</h2>
          <AppealStatusTag status={a.status} />
        </div>
        <p className="ya-muted ya-appeal-small" data-testid="appeal-code">
          {t('appeals.detail.code', { code: a.code })} · {t(`appeals.detail.channel.${a.channel}`, { defaultValue: a.channel })} · {t('appeals.detail.filedAt', { date: formatDateTime(a.submittedAt) })}
        </p>
        <AppealClock status={a.status} deadlines={a.deadlines} />
        <p className="ya-appeal-text">{a.description}</p>
        <dl className="ya-kv">
          <dt>{t('appeals.detail.against')}</dt>
          <dd>
            {a.respondent.name} · {t(`appeals.respondentKinds.${a.respondent.kind}`, { defaultValue: a.respondent.kind })}
          </dd>
          {a.amountClaimedFen > 0 && (
            <>
              <dt>{t('appeals.detail.claimed')}</dt>
              <dd data-testid="appeal-claimed">{formatFen(a.amountClaimedFen)}</dd>
            </>
          )}
          {a.recoveredFen > 0 && (
            <>
              <dt>{t('appeals.detail.recovered')}</dt>
              <dd className="ya-appeal-ok" data-testid="appeal-recovered">
                {formatFen(a.recoveredFen)}
              </dd>
            </>
          )}
        </dl>
        {a.caseId && <p className="ya-muted ya-appeal-small">{t('appeals.detail.collective')}</p>}
      </section>

      <Outcome appeal={a} />
      {a.canRate && <RatingForm appeal={a} />}
      {a.canReopen && <ReopenForm appeal={a} />}
      <People appeal={a} />
      <EvidenceLocker appeal={a} />
      <Documents appeal={a} />
      <Mediation appeal={a} />
      <Timeline appeal={a} />
    </div>
  );
}

function Outcome({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  if (!a.outcome && !a.resolution && !a.satisfaction) return null;
  return (
    <section className="ya-card" data-testid="appeal-outcome">
      <h2 className="ya-card-title">{t('appeals.detail.result')}</h2>
      {a.outcome && <p className="ya-appeal-ok">{t(`appeals.outcome.${a.outcome}`, { defaultValue: a.outcome })}</p>}
      {a.referral && (
        <p>
          {t('appeals.detail.referral', { kind: t(`appeals.detail.referralKinds.${a.referral.kind}`, { defaultValue: a.referral.kind }), reference: a.referral.reference })}
        </p>
      )}
      {a.resolution && <p className="ya-appeal-text">{a.resolution}</p>}
      {a.resolvedAt && <p className="ya-muted ya-appeal-small">{formatDateTime(a.resolvedAt)}</p>}
      {a.satisfaction && (
        <p data-testid="appeal-rating" data-satisfaction={a.satisfaction}>
          {t('appeals.detail.yourRating', { satisfaction: t(`appeals.satisfaction.${a.satisfaction}`, { defaultValue: a.satisfaction }) })}
          {a.satisfactionReason && <span className="ya-muted"> · {a.satisfactionReason}</span>}
        </p>
      )}
    </section>
  );
}

function People({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  return (
    <section className="ya-card" data-testid="appeal-people">
      <h2 className="ya-card-title">{t('appeals.detail.people')}</h2>
      <p className="ya-muted ya-appeal-small">{t('appeals.detail.peopleHint')}</p>
      {a.assignees.length === 0 ? (
        <p className="ya-muted">{t('appeals.detail.noPeople')}</p>
      ) : (
        <ul className="ya-appeal-people">
          {a.assignees.map((p) => (
            <li key={`${p.staffId}-${p.role}`} data-testid="appeal-person" data-role={p.role}>
              <span className="ya-appeal-role">{t(`appeals.roles.${p.role}`, { defaultValue: p.role })}</span>
              <span>{p.displayName}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EvidenceLocker({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  const [prefix] = useState(() => newIdempotencyKey());
  const uploads = useEvidenceUploads(prefix);
  const [busy, setBusy] = useState(false);
  const open = a.status !== 'closed';
  const sendList = async (list: typeof uploads.items) => {
    setBusy(true);
    await uploads.send(a.id, list);
    setBusy(false);
    // Once stored, the file shows in the locker below: drop it from the upload list.
    uploads.setItems((list) => list.filter((i) => i.state !== 'stored'));
  };
  const onPick = (files: File[], kind?: EvidenceKind) => void sendList(uploads.add(files, kind));
  return (
    <section className="ya-card" data-testid="evidence-locker">
      <h2 className="ya-card-title">{t('appeals.detail.evidence')}</h2>
      {a.evidence.length === 0 ? (
        <p className="ya-muted">{t('appeals.detail.noEvidence')}</p>
      ) : (
        <ul className="ya-appeal-evidence">
          {a.evidence.map((e) => (
            <li key={e.id} data-testid="evidence-item" data-sha256={e.sha256} data-kind={e.kind}>
              <div>
                <strong>{t(`appeals.evidenceKinds.${e.kind}`, { defaultValue: e.kind })}</strong>
                {e.note && <span> · {e.note}</span>}
                {e.uploaderKind === 'staff' && <span className="ya-muted"> · {t('appeals.detail.byStaff')}</span>}
              </div>
              <p className="ya-muted ya-appeal-small">
                {e.takenAt ? `${t('appeals.detail.takenAt', { date: formatDateTime(e.takenAt) })} · ` : ''}
                {t('appeals.detail.uploadedAt', { date: formatDateTime(e.uploadedAt) })}
              </p>
              <p className="ya-appeal-small ya-appeal-hash" data-testid="evidence-hash">
                {t('appeals.detail.hash', { hash: shortHash(e.sha256) })}
              </p>
              <a className="ya-link ya-appeal-small" href={e.url} target="_blank" rel="noreferrer">
                {t('appeals.detail.open')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {uploads.items.map((item) => (
        <UploadRow key={item.key} item={item} onRetry={() => void sendList([item])} onRemove={() => uploads.remove(item.key)} />
      ))}
      {open && (
        <>
          <p className="ya-appeal-label">{t('appeals.detail.addEvidence')}</p>
          <EvidencePicker onPick={onPick} disabled={busy} testId="locker-input" />
        </>
      )}
    </section>
  );
}

/** Labour disputes an arbitration commission hears (the server refuses the application for other types). */
const ARBITRABLE = new Set(['wage_arrears', 'work_injury', 'labour_relation', 'social_insurance']);

/** Printable applications filled in from the appeal: the rider adds an address and prints or sends them. */
function Documents({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState('');
  const kinds = [
    'legal_aid_application',
    ...(ARBITRABLE.has(a.type) ? ['arbitration_application'] : []),
    'mediation_application',
    ...(a.mediation.agreement ? ['mediation_agreement'] : []),
  ];
  const href = (kind: string) => `/api/appeals/${encodeURIComponent(a.id)}/documents/${kind}${address.trim() ? `?address=${encodeURIComponent(address.trim())}` : ''}`;
  return (
    <section className="ya-card" data-testid="appeal-documents">
      <h2 className="ya-card-title">{t('appeals.documents.title')}</h2>
      <p className="ya-muted ya-appeal-small">{t('appeals.documents.help')}</p>
      <label className="ya-appeal-label" htmlFor="appeal-doc-address">
        {t('appeals.documents.address')}
      </label>
      <Input id="appeal-doc-address" value={address} maxLength={200} clearable placeholder={t('appeals.documents.addressPlaceholder')} onChange={setAddress} />
      <ul className="ya-appeal-documents">
        {kinds.map((kind) => (
          <li key={kind}>
            <a className="ya-link" href={href(kind)} download data-testid={`document-${kind}`}>
              {t(`appeals.documents.${kind}`)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Mediation({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  const m = a.mediation;
  if (!m.sessions.length && !m.agreement && !m.payments.length) return null;
  return (
    <section className="ya-card" data-testid="appeal-mediation">
      <h2 className="ya-card-title">{t('appeals.detail.mediation')}</h2>
      {m.sessions.length > 0 && (
        <>
          <p className="ya-muted ya-appeal-small">{t('appeals.detail.sessions', { count: m.sessions.length })}</p>
          <ul className="ya-appeal-plain">
            {m.sessions.map((s) => (
              <li key={s.id}>{t('appeals.detail.session', { date: formatDateTime(s.heldAt), place: s.place })}</li>
            ))}
          </ul>
        </>
      )}
      {m.agreement && (
        <div data-testid="appeal-agreement">
          <p className="ya-appeal-label">{t('appeals.detail.agreement')}</p>
          <p>{t('appeals.detail.agreementTotal', { amount: formatFen(m.agreement.totalFen), date: m.agreement.signedOn })}</p>
          {m.agreement.terms && <p className="ya-appeal-text">{m.agreement.terms}</p>}
          <ul className="ya-appeal-plain">
            {m.agreement.instalments.map((i, n) => (
              <li key={n}>{t('appeals.detail.instalment', { date: i.dueDate, amount: formatFen(i.amountFen) })}</li>
            ))}
          </ul>
        </div>
      )}
      {m.payments.length > 0 && (
        <div data-testid="appeal-payments">
          <p className="ya-appeal-label">{t('appeals.detail.payments')}</p>
          <ul className="ya-appeal-plain">
            {m.payments.map((p) => (
              <li key={p.id}>
                {t('appeals.detail.payment', { date: p.paidOn, amount: formatFen(p.amountFen) })}
                {p.note && <span className="ya-muted"> · {p.note}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function eventText(t: (k: string, o?: Record<string, unknown>) => string, e: AppealView['timeline'][number]): string {
  const d = e.data as Record<string, unknown>;
  const key = `appeals.events.${e.type}`;
  const opts: Record<string, unknown> = { defaultValue: t('appeals.events.other') };
  if (e.type === 'assigned' && typeof d.role === 'string') opts.role = t(`appeals.roles.${d.role}`, { defaultValue: d.role });
  if (e.type === 'payment' && typeof d.amountFen === 'number') opts.amount = formatFen(d.amountFen);
  if (e.type === 'rated' && typeof d.satisfaction === 'string') opts.satisfaction = t(`appeals.satisfaction.${d.satisfaction}`, { defaultValue: d.satisfaction });
  return t(key, opts);
}

function Timeline({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  if (!a.timeline.length) return null;
  const events = [...a.timeline].reverse();
  return (
    <section className="ya-card" data-testid="appeal-timeline">
      <h2 className="ya-card-title">{t('appeals.detail.timeline')}</h2>
      <Steps direction="vertical" current={0}>
        {events.map((e) => {
          const d = e.data as Record<string, unknown>;
          const extra = typeof d.reason === 'string' && d.reason ? d.reason : typeof d.note === 'string' && d.note ? d.note : undefined;
          return (
            <Steps.Step
              key={e.id}
              status="finish"
              title={<span data-testid="timeline-event" data-type={e.type}>{eventText(t, e)}</span>}
              description={
                <>
                  {formatDateTime(e.at)} · {t(`appeals.actors.${e.actorKind}`, { defaultValue: e.actorKind })}
                  {extra && <span className="ya-appeal-event-note"> · {extra}</span>}
                </>
              }
            />
          );
        })}
      </Steps>
    </section>
  );
}

function RatingForm({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  const rate = useRate(a.id);
  // A fresh key after a refusal: the corrected rating is a new request, a retry of the same one is not.
  const [key, setKey] = useState(() => newIdempotencyKey());
  const [level, setLevel] = useState<Satisfaction>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ field?: 'level' | 'reason'; message: string }>();
  const submit = () => {
    if (!level) return setError({ field: 'level', message: t('appeals.rate.pick') });
    setError(undefined);
    rate.mutate(
      { body: { satisfaction: level, ...(reason.trim() ? { reason: reason.trim() } : {}) }, key },
      {
        onSuccess: () => void Toast.show({ icon: 'success', content: t('appeals.rate.done') }),
        onError: (err) => {
          setKey(newIdempotencyKey());
          const onReason = err instanceof ApiError && (err.problem.errors ?? []).some((e) => e.field === 'reason');
          setError({ field: onReason ? 'reason' : undefined, message: err instanceof ApiError && err.code === 'appeals.reason_required' ? t('appeals.rate.reasonRequired') : errorMessage(err) });
        },
      },
    );
  };
  return (
    <section className="ya-card ya-appeal-rate" data-testid="rating-form">
      <h2 className="ya-card-title" id="rating-label">
        {t('appeals.rate.title')}
      </h2>
      <p className="ya-muted ya-appeal-small">{t('appeals.rate.hint')}</p>
      <div aria-labelledby="rating-label" data-testid="rating-levels">
        <Selector
          className="ya-appeal-selector"
          columns={3}
          options={satisfactionLevels.map((s) => ({ value: s, label: t(`appeals.satisfaction.${s}`) }))}
          value={level ? [level] : []}
          onChange={(v) => {
            setLevel(v[0]);
            setError(undefined);
          }}
        />
      </div>
      {error?.field === 'level' && (
        <p className="ya-appeal-field-error" role="alert">
          {error.message}
        </p>
      )}
      <label htmlFor="rating-reason" className="ya-appeal-label">
        {t('appeals.rate.reason')}
      </label>
      <TextArea id="rating-reason" value={reason} onChange={setReason} placeholder={t('appeals.rate.reasonPlaceholder')} maxLength={1000} rows={3} />
      {error && error.field !== 'level' && (
        <p className="ya-appeal-field-error" role="alert" data-testid="rating-error">
          {error.message}
        </p>
      )}
      <Button block color="primary" shape="rounded" loading={rate.isPending} disabled={rate.isPending} onClick={submit} data-testid="rating-submit">
        {t('appeals.rate.submit')}
      </Button>
    </section>
  );
}

function ReopenForm({ appeal: a }: { appeal: AppealView }) {
  const { t } = useTranslation();
  const reopen = useReopen(a.id);
  const [key, setKey] = useState(() => newIdempotencyKey());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    if (reason.trim().length < 2) return setError(t('appeals.reopen.reasonShort'));
    setError(undefined);
    if (!(await Dialog.confirm({ content: t('appeals.reopen.confirm'), confirmText: t('appeals.reopen.submit'), cancelText: t('appeals.reopen.cancel') }))) return;
    reopen.mutate(
      { reason: reason.trim(), key },
      {
        onSuccess: () => void Toast.show({ icon: 'success', content: t('appeals.reopen.done') }),
        onError: (err) => {
          setKey(newIdempotencyKey());
          setError(errorMessage(err));
        },
      },
    );
  };
  return (
    <section className="ya-card" data-testid="reopen-form">
      <h2 className="ya-card-title">{t('appeals.reopen.title')}</h2>
      <p className="ya-muted ya-appeal-small">{t('appeals.reopen.hint')}</p>
      <label htmlFor="reopen-reason" className="ya-appeal-label">
        {t('appeals.reopen.reason')}
      </label>
      <TextArea id="reopen-reason" value={reason} onChange={setReason} placeholder={t('appeals.reopen.reasonPlaceholder')} maxLength={1000} rows={3} />
      {error && (
        <p className="ya-appeal-field-error" role="alert" data-testid="reopen-error">
          {error}
        </p>
      )}
      <Button block color="warning" shape="rounded" loading={reopen.isPending} disabled={reopen.isPending} onClick={() => void submit()} data-testid="reopen-submit">
        {t('appeals.reopen.submit')}
      </Button>
    </section>
  );
}
