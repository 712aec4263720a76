import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, InfiniteScroll, Input, PullToRefresh, Selector, Switch, Tag, TextArea, Toast } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { appealTypes, type AppealType } from '@contracts/appeals';
import type { QuestionSummary, QuestionView } from '@contracts/legal';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { formatDateTime, yuanToFen } from '@ui/format';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useAsk, useMyQuestions, useQuestion, useQuestionAction, useToAppeal } from './api';

const statusColor: Record<QuestionSummary['status'], string> = { unassigned: 'default', assigned: 'primary', needs_info: 'warning', answered: 'success' };

function StatusTag({ status }: { status: QuestionSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColor[status]} data-testid="legal-status" data-status={status}>
      {t(`legal.statuses.${status}`)}
    </Tag>
  );
}

/** The answer clock: due by, overdue, or answered at. */
function AnswerClock({ q }: { q: Pick<QuestionView, 'status' | 'deadlineAt' | 'overdue'> & { firstAnsweredAt?: string | null } }) {
  const { t } = useTranslation();
  if (q.status === 'answered') return <span className="ya-legal-clock done">{q.firstAnsweredAt ? t('legal.clock.answered', { time: formatDateTime(q.firstAnsweredAt) }) : t('legal.statuses.answered')}</span>;
  if (q.status === 'needs_info') return null;
  return (
    <span className={`ya-legal-clock${q.overdue ? ' overdue' : ''}`} data-testid="legal-clock">
      {q.overdue ? t('legal.clock.overdue') : t('legal.clock.due', { time: formatDateTime(q.deadlineAt) })}
    </span>
  );
}

/** 我的咨询: newest first, with the status and the answer clock. */
export function MyQuestionsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useMyQuestions();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const askButton = (
    <Button size="mini" color="primary" shape="rounded" onClick={() => navigate('/legal/ask')} data-testid="legal-ask">
      <AddOutline /> {t('legal.mine.ask')}
    </Button>
  );
  return (
    <SubPage title={t('legal.mine.title')} right={askButton}>
      {list.isPending ? (
        <PageSkeleton rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => list.refetch().then(() => undefined)}>
          {items.length === 0 ? (
            <EmptyState title={t('legal.mine.empty')} description={t('legal.mine.emptyHint')}>
              <Button color="primary" size="small" onClick={() => navigate('/legal/ask')}>
                {t('legal.mine.ask')}
              </Button>
            </EmptyState>
          ) : (
            <>
              <div data-testid="legal-list">
                {items.map((q) => (
                  <button key={q.id} type="button" className="ya-card ya-legal-row" onClick={() => navigate(`/legal/${q.id}`)} data-testid="legal-row" data-code={q.code} data-status={q.status}>
                    <div className="ya-legal-row-head">
                      <strong>{t(`appeals.types.${q.type}.name`, { defaultValue: q.type })}</strong>
                      <StatusTag status={q.status} />
                    </div>
                    <p className="ya-legal-row-text">{q.excerpt}</p>
                    <p className="ya-muted ya-legal-small">
                      {q.code} · {formatDateTime(q.askedAt)}
                    </p>
                    <AnswerClock q={q} />
                  </button>
                ))}
              </div>
              <InfiniteScroll loadMore={() => list.fetchNextPage().then(() => undefined)} hasMore={!!list.hasNextPage}>
                {list.hasNextPage ? undefined : <span className="ya-muted ya-legal-small">{t('legal.mine.noMore')}</span>}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
    </SubPage>
  );
}

/** 问律师: topic, question, optional amount and employer, anonymous. */
export function AskPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // One id per draft: a double tap or a retry returns the question already asked.
  const [clientId] = useState(() => newIdempotencyKey());
  const [type, setType] = useState<AppealType>();
  const [question, setQuestion] = useState('');
  const [amount, setAmount] = useState('');
  const [employer, setEmployer] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const ask = useAsk();

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!type) e.type = t('legal.ask.typeMissing');
    if (question.trim().length < 5) e.question = t('legal.ask.questionShort');
    const fen = amount.trim() ? yuanToFen(amount.trim()) : undefined;
    if (amount.trim() && (fen === undefined || fen === null || Number.isNaN(fen))) e.amount = t('legal.ask.amountInvalid');
    setErrors(e);
    if (Object.keys(e).length) return;
    setFormError(undefined);
    try {
      const q = await ask.mutateAsync({ clientId, type: type!, question: question.trim(), ...(fen !== undefined && fen !== null ? { amountFen: fen } : {}), ...(employer.trim() ? { employer: employer.trim() } : {}), anonymous });
      Toast.show({ content: t('legal.ask.sent') });
      navigate(`/legal/${q.id}`, { replace: true });
    } catch (err) {
      setFormError(errorMessage(err));
    }
  };

  return (
    <SubPage title={t('legal.ask.title')} back="/legal">
      <div className="ya-card" data-testid="legal-ask-form">
        <div className="ya-legal-field">
          <label>{t('legal.ask.type')}</label>
          <Selector
            columns={2}
            options={appealTypes.map((v) => ({ value: v, label: t(`appeals.types.${v}.name`, { defaultValue: v }) }))}
            value={type ? [type] : []}
            onChange={(v) => setType(v[0] as AppealType | undefined)}
          />
          {errors.type && <p className="ya-legal-error">{errors.type}</p>}
        </div>
        <div className="ya-legal-field">
          <label htmlFor="legal-question">{t('legal.ask.question')}</label>
          <TextArea id="legal-question" placeholder={t('legal.ask.questionPlaceholder')} rows={5} maxLength={4000} showCount value={question} onChange={setQuestion} />
          {errors.question && <p className="ya-legal-error">{errors.question}</p>}
        </div>
        <div className="ya-legal-field">
          <label htmlFor="legal-amount">{t('legal.ask.amount')}</label>
          <Input id="legal-amount" inputMode="decimal" value={amount} onChange={setAmount} />
          {errors.amount && <p className="ya-legal-error">{errors.amount}</p>}
        </div>
        <div className="ya-legal-field">
          <label htmlFor="legal-employer">{t('legal.ask.employer')}</label>
          <Input id="legal-employer" maxLength={100} value={employer} onChange={setEmployer} />
        </div>
        <div className="ya-legal-field" style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12 }}>
          <span>{t('legal.ask.anonymous')}</span>
          <Switch checked={anonymous} onChange={setAnonymous} aria-label={t('legal.ask.anonymous')} />
        </div>
        {formError && (
          <p className="ya-legal-error" role="alert" data-testid="legal-form-error">
            {formError}
          </p>
        )}
        <Button block color="primary" size="large" loading={ask.isPending} onClick={() => void submit()} data-testid="legal-submit">
          {t('legal.ask.submit')}
        </Button>
      </div>
    </SubPage>
  );
}

/** One question: the clock, the thread, reply / rate / follow up, and turn it into an appeal. */
export function QuestionPage() {
  const { t } = useTranslation();
  const id = useParams().id!;
  const q = useQuestion(id);
  return (
    <SubPage title={t('legal.page.title')} back="/legal">
      {q.isPending ? <PageSkeleton rows={3} /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : <QuestionBody q={q.data} />}
    </SubPage>
  );
}

function QuestionBody({ q }: { q: QuestionView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const act = useQuestionAction(q.id);
  const toAppeal = useToAppeal(q.id);
  const [text, setText] = useState('');
  const [respondent, setRespondent] = useState('');
  const [appealOpen, setAppealOpen] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (action: Parameters<typeof act.mutateAsync>[0]['action']) => {
    setError(undefined);
    try {
      await act.mutateAsync({ action, key: newIdempotencyKey() });
      setText('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const fileAppeal = async () => {
    setError(undefined);
    try {
      const r = await toAppeal.mutateAsync(respondent.trim() ? { respondent: { kind: 'company', name: respondent.trim() } } : {});
      navigate(`/appeals/${r.appealId}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div data-testid="legal-question" data-status={q.status} data-code={q.code}>
      <div className="ya-card">
        <div className="ya-legal-row-head">
          <strong>{t(`appeals.types.${q.type}.name`, { defaultValue: q.type })}</strong>
          <StatusTag status={q.status} />
        </div>
        <p className="ya-muted ya-legal-small">
          {q.code} · {formatDateTime(q.askedAt)}
        </p>
        <AnswerClock q={q} />
        {q.lawyerName && (
          <p className="ya-legal-small" data-testid="legal-lawyer">
            {t('legal.page.lawyer')}：{q.lawyerName}
            {q.lawFirm ? `（${q.lawFirm}）` : ''}
          </p>
        )}
      </div>
      <div className="ya-card" data-testid="legal-thread">
        <h2 className="ya-card-title">{t('legal.page.thread')}</h2>
        {q.messages.map((m) => (
          <div key={m.id} className={`ya-legal-msg ${m.kind}`} data-kind={m.kind}>
            <strong>{t(`legal.kinds.${m.kind}`)}</strong>{' '}
            <span className="ya-muted ya-legal-small">
              {m.authorKind === 'worker' ? t('legal.page.you') : (m.authorName ?? t('legal.page.system'))} · {formatDateTime(m.at)}
            </span>
            {m.kind === 'rated' ? <p>{t('legal.page.rated', { rating: t(`legal.ratings.${q.rating ?? 'helpful'}`) })}</p> : m.body && <p>{m.body}</p>}
          </div>
        ))}
      </div>
      {error && (
        <p className="ya-legal-error" role="alert" data-testid="legal-error">
          {error}
        </p>
      )}
      {(q.canReply || q.canFollowUp) && (
        <div className="ya-card">
          <label htmlFor="legal-text" className="ya-card-title">
            {q.canReply ? t('legal.page.reply') : t('legal.page.followUp')}
          </label>
          <TextArea id="legal-text" placeholder={q.canReply ? t('legal.page.replyPlaceholder') : t('legal.page.followUpPlaceholder')} rows={3} maxLength={4000} value={text} onChange={setText} />
          <div className="ya-legal-actions">
            <Button color="primary" size="small" disabled={text.trim().length < 2} loading={act.isPending} onClick={() => void run({ kind: q.canReply ? 'reply' : 'follow-up', text: text.trim() })} data-testid="legal-send">
              {t('legal.page.send')}
            </Button>
          </div>
        </div>
      )}
      {q.canRate && (
        <div className="ya-card" data-testid="legal-rate">
          <h2 className="ya-card-title">{t('legal.page.rateTitle')}</h2>
          <div className="ya-legal-actions">
            <Button size="small" color="success" onClick={() => void run({ kind: 'rating', rating: 'helpful' })} data-testid="legal-helpful">
              {t('legal.ratings.helpful')}
            </Button>
            <Button size="small" onClick={() => void run({ kind: 'rating', rating: 'not_helpful' })} data-testid="legal-not-helpful">
              {t('legal.ratings.not_helpful')}
            </Button>
          </div>
        </div>
      )}
      {q.appealId ? (
        <div className="ya-card" data-testid="legal-appeal-linked">
          <p className="ya-legal-small">{t('legal.page.appealLinked')}</p>
          <Button size="small" color="primary" fill="outline" onClick={() => navigate(`/appeals/${q.appealId}`)} data-testid="legal-view-appeal">
            {t('legal.page.viewAppeal')}
          </Button>
        </div>
      ) : (
        q.canTurnIntoAppeal && (
          <div className="ya-card">
            {!appealOpen ? (
              <Button block color="warning" onClick={() => setAppealOpen(true)} data-testid="legal-to-appeal">
                {t('legal.page.toAppeal')}
              </Button>
            ) : (
              <>
                <p className="ya-muted ya-legal-small">{t('legal.page.toAppealHint')}</p>
                <div className="ya-legal-field">
                  <label htmlFor="legal-respondent">{t('legal.page.respondent')}</label>
                  <Input id="legal-respondent" placeholder={q.employer ?? ''} value={respondent} onChange={setRespondent} maxLength={100} />
                </div>
                <Button block color="primary" loading={toAppeal.isPending} onClick={() => void fileAppeal()} data-testid="legal-confirm-appeal">
                  {t('legal.page.confirmAppeal')}
                </Button>
              </>
            )}
          </div>
        )
      )}
    </div>
  );
}
