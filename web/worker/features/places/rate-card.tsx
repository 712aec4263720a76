import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, DotLoading } from 'antd-mobile';
import { CheckCircleFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { entryBuckets, parkingOptions, type Friendliness, type PlaceDetail, type RatingInput } from '@contracts/places';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useSession } from '../../shared/session';
import { placeKey, ratePlace } from './api';
import { ScoreBadge } from './place-bits';

type Entry = RatingInput['entryMinutes'];
type Parking = RatingInput['parking'];

/**
 * After a delivery, a rider rates a compound or building in two taps: how long getting in took, and
 * whether they were let in. Parking is preset (changeable first). The second answer sends it; a rating
 * the same day replaces the earlier one, so a slip is fixed by rating again.
 */
export function RateCard({ place }: { place: PlaceDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const [entry, setEntry] = useState<Entry>();
  const [letIn, setLetIn] = useState<boolean>();
  const [parking, setParking] = useState<Parking>('easy');
  // One key per set of answers: a retry of the same answers is done once by the server.
  const keys = useRef(new Map<string, string>());

  const rate = useMutation({
    mutationFn: (input: RatingInput) => {
      const id = JSON.stringify(input);
      if (!keys.current.has(id)) keys.current.set(id, newIdempotencyKey());
      return ratePlace(place.id, input, keys.current.get(id)!);
    },
    onSuccess: (friendliness: Friendliness) => {
      queryClient.setQueryData<PlaceDetail>(placeKey(place.id), (old) => (old ? { ...old, friendliness } : old));
      void queryClient.invalidateQueries({ queryKey: ['places', 'nearby'] });
    },
  });

  const send = (e: Entry | undefined, l: boolean | undefined) => {
    if (e !== undefined && l !== undefined) rate.mutate({ entryMinutes: e, letIn: l, parking });
  };
  const again = () => {
    setEntry(undefined);
    setLetIn(undefined);
    rate.reset();
  };

  if (session.isPending) return null;
  const signedIn = !!session.data;
  const notVerified = rate.error instanceof ApiError && rate.error.code === 'places.worker_not_verified';

  return (
    <section className="ya-card ya-rate" data-testid="rate-card">
      <h2 className="ya-card-title">{t('places.rate.title')}</h2>
      <p className="ya-rate-subtitle">{t('places.rate.subtitle')}</p>
      {!signedIn ? (
        <Button block color="primary" fill="outline" onClick={() => navigate(`/signin?next=${encodeURIComponent(`/places/${place.id}`)}`)} data-testid="rate-sign-in">
          {t('places.rate.signIn')}
        </Button>
      ) : rate.isSuccess ? (
        <div className="ya-rate-done" data-testid="rate-done" role="status">
          <CheckCircleFill className="ya-rate-done-icon" />
          <div>
            <strong>{t('places.rate.done')}</strong>
            <div className="ya-rate-score">
              <ScoreBadge score={rate.data.score} /> <span className="ya-muted">{t('places.score.ratings', { count: rate.data.ratings })}</span>
            </div>
            <p className="ya-muted">{t('places.rate.doneHint')}</p>
          </div>
          <Button size="small" fill="none" color="primary" onClick={again} data-testid="rate-again">
            {t('places.rate.again')}
          </Button>
        </div>
      ) : (
        <fieldset className="ya-rate-form" disabled={rate.isPending}>
          <Choice
            label={t('places.rate.parking')}
            hint={t('places.rate.parkingHint')}
            options={parkingOptions.map((p) => ({ value: p, label: t(`common:parkingOptions.${p}`) }))}
            value={parking}
            onPick={(v) => setParking(v)}
            testId="rate-parking"
            small
          />
          <Choice
            label={t('places.rate.entry')}
            options={entryBuckets.map((b) => ({ value: b, label: t(`common:entryBuckets.${b}`) }))}
            value={entry}
            onPick={(v) => {
              setEntry(v);
              send(v, letIn);
            }}
            testId="rate-entry"
          />
          <Choice
            label={t('places.rate.letIn')}
            options={[
              { value: 'yes', label: t('places.rate.letInYes') },
              { value: 'no', label: t('places.rate.letInNo') },
            ]}
            value={letIn === undefined ? undefined : letIn ? 'yes' : 'no'}
            onPick={(v) => {
              const l = v === 'yes';
              setLetIn(l);
              send(entry, l);
            }}
            testId="rate-let-in"
          />
          {rate.isPending && (
            <p className="ya-muted" role="status">
              <DotLoading /> {t('places.rate.submitting')}
            </p>
          )}
          {rate.isError && (
            <div className="ya-form-error" role="alert" data-testid="rate-error">
              {errorMessage(rate.error)}
              {notVerified && (
                <Button size="mini" color="primary" fill="outline" className="ya-rate-verify" onClick={() => navigate('/verify')}>
                  {t('places.rate.verify')}
                </Button>
              )}
            </div>
          )}
        </fieldset>
      )}
    </section>
  );
}

function Choice<V extends string>({
  label,
  hint,
  options,
  value,
  onPick,
  testId,
  small,
}: {
  label: string;
  hint?: string;
  options: { value: V; label: string }[];
  value: V | undefined;
  onPick: (v: V) => void;
  testId: string;
  small?: boolean;
}) {
  return (
    <div className={`ya-rate-row${small ? ' small' : ''}`} role="radiogroup" aria-label={label} data-testid={testId}>
      <div className="ya-rate-label">
        {label}
        {hint && <span className="ya-muted"> · {hint}</span>}
      </div>
      <div className="ya-rate-options">
        {options.map((o) => (
          <button key={o.value} type="button" role="radio" aria-checked={value === o.value} className={`ya-rate-option${value === o.value ? ' active' : ''}`} onClick={() => onPick(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}
