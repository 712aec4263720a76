import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Input, Popup, TextArea, Toast } from 'antd-mobile';
import { AddOutline, CameraOutline, CloseOutline, EnvironmentOutline, ExclamationCircleFill, LocationFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { REPORT_DEFAULTS, type NearbyReport, type ReportCategory } from '@contracts/reports';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { useMe } from '../../shared/me';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { useCategories, useFollow, useNearby } from './api';
import { categoryName, formatDistance } from './format';
import { enqueueReport, findItem, syncOutbox } from './outbox';
import { shrinkPhoto } from './photos';
import { useReportLocation } from './use-location';
import { NeedVerify, outboxError, ReportThumb } from './bits';

const MapPicker = lazy(() => import('./map-picker').then((m) => ({ default: m.MapPicker })));

interface Shot {
  blob: Blob;
  url: string;
}

/** 随手拍: photos, where, what — and, before sending, the same problem already reported nearby. */
export function CapturePage() {
  const { t } = useTranslation();
  const me = useMe();
  // The screens after sending load now, while there is signal: a rider who files from a dead spot
  // still lands on the list showing 待发送.
  useEffect(() => {
    void import('./mine-page');
    void import('./report-page');
  }, []);
  return (
    <SubPage title={t('reports.capture.title')} back="/reports">
      {me.isPending ? (
        <PageSkeleton rows={2} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : me.data.verificationStatus !== 'approved' ? (
        <NeedVerify />
      ) : (
        <CaptureForm workerId={me.data.id} />
      )}
    </SubPage>
  );
}

function CaptureForm({ workerId }: { workerId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const categories = useCategories();
  const { location, status, locate, pick } = useReportLocation();
  const [shots, setShots] = useState<Shot[]>([]);
  const [category, setCategory] = useState<string>();
  const [showAll, setShowAll] = useState(false);
  const [tags, setTags] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [picking, setPicking] = useState(false);
  const [sending, setSending] = useState(false);
  const [online, setOnline] = useState(() => navigator.onLine);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  // Thumbnails are object URLs: let them go with the screen.
  const shotsRef = useRef(shots);
  shotsRef.current = shots;
  useEffect(() => () => shotsRef.current.forEach((s) => URL.revokeObjectURL(s.url)), []);

  const list = categories.data ?? [];
  const short = list.filter((c) => c.riderFirst);
  const more = list.filter((c) => !c.riderFirst);
  const chosen = list.find((c) => c.code === category);
  const visible = showAll || (chosen && !chosen.riderFirst) ? list : short.length ? short : list;

  const nearbyQuery = useMemo(
    () => (online && category && location ? { lon: location.lon, lat: location.lat, category } : undefined),
    [online, category, location],
  );
  const nearby = useNearby(nearbyQuery);

  async function addPhotos(files: FileList | null) {
    if (!files?.length) return;
    const room = REPORT_DEFAULTS.maxPhotos - shots.length;
    const picked = Array.from(files).slice(0, room);
    if (files.length > room) Toast.show({ content: t('reports.capture.photoLimit', { max: REPORT_DEFAULTS.maxPhotos }) });
    const added = await Promise.all(picked.map(async (f) => ({ blob: await shrinkPhoto(f), url: '' })));
    setShots((prev) => [...prev, ...added.map((s) => ({ ...s, url: URL.createObjectURL(s.blob) }))].slice(0, REPORT_DEFAULTS.maxPhotos));
  }

  function removePhoto(i: number) {
    setShots((prev) => {
      URL.revokeObjectURL(prev[i].url);
      return prev.filter((_, j) => j !== i);
    });
  }

  function chooseCategory(c: ReportCategory) {
    setCategory(c.code);
    setTags((prev) => prev.filter((tag) => c.quickTags.includes(tag)));
  }

  function toggleTag(tag: string) {
    setTags((prev) => (prev.includes(tag) ? prev.filter((x) => x !== tag) : prev.length >= 6 ? prev : [...prev, tag]));
  }

  const missing = !shots.length ? 'photo' : !location ? 'location' : !category ? 'category' : undefined;

  async function submit() {
    if (missing || !location || !category) return;
    setSending(true);
    try {
      const item = await enqueueReport(
        workerId,
        {
          category,
          lon: location.lon,
          lat: location.lat,
          accuracyM: location.accuracyM,
          locationSource: location.source,
          ...(address.trim() ? { address: address.trim() } : {}),
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(tags.length ? { tags } : {}),
          capturedAt: new Date().toISOString(),
        },
        shots.map((s) => s.blob),
      );
      if (navigator.onLine) await Promise.race([syncOutbox(), new Promise((r) => setTimeout(r, 20_000))]);
      const after = findItem(item.clientId);
      if (after?.state === 'sent' && after.report) {
        Toast.show({ icon: 'success', content: t('reports.capture.sent', { code: after.report.code }) });
        navigate(`/reports/${after.report.id}`, { replace: true });
      } else if (after?.state === 'failed') {
        Toast.show({ icon: 'fail', content: outboxError(after.error) });
        navigate('/reports', { replace: true });
      } else {
        Toast.show({ content: t('reports.capture.queued') });
        navigate('/reports', { replace: true });
      }
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
      setSending(false);
    }
  }

  if (categories.isPending) return <PageSkeleton rows={2} />;
  if (categories.isError && !list.length) return <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />;

  return (
    <div className="ya-report-capture" data-testid="report-capture">
      {!online && (
        <p className="ya-report-offline" data-testid="capture-offline">
          <ExclamationCircleFill aria-hidden="true" /> {t('reports.capture.offline')}
        </p>
      )}

      <section className="ya-card">
        <h2 className="ya-card-title">{t('reports.capture.photos', { max: REPORT_DEFAULTS.maxPhotos })}</h2>
        <div className="ya-report-shots">
          {shots.map((s, i) => (
            <div className="ya-report-shot" key={s.url} data-testid="capture-thumb">
              <img src={s.url} alt={t('reports.capture.photoN', { n: i + 1 })} />
              <button type="button" className="ya-report-shot-remove" onClick={() => removePhoto(i)} aria-label={t('reports.capture.removePhoto', { n: i + 1 })}>
                <CloseOutline />
              </button>
            </div>
          ))}
          {shots.length < REPORT_DEFAULTS.maxPhotos && (
            <button type="button" className="ya-report-shot-add" onClick={() => fileInput.current?.click()} data-testid="capture-add-photo">
              {shots.length ? <AddOutline /> : <CameraOutline />}
              <span>{shots.length ? t('reports.capture.addMore') : t('reports.capture.takePhoto')}</span>
            </button>
          )}
        </div>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          hidden
          data-testid="capture-file"
          aria-label={t('reports.capture.takePhoto')}
          onChange={(e) => {
            void addPhotos(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </section>

      <section className="ya-card" data-testid="capture-location" data-status={status}>
        <h2 className="ya-card-title">{t('reports.capture.where')}</h2>
        <div className="ya-report-where">
          {location ? <LocationFill className="ya-report-where-icon" aria-hidden="true" /> : <EnvironmentOutline className="ya-report-where-icon" aria-hidden="true" />}
          <div className="ya-report-where-text">
            <strong data-testid="location-status">{t(`reports.capture.locate.${status}`)}</strong>
            {location?.source === 'device' && location.accuracyM !== null && (
              <span className={location.accuracyM > 100 ? 'ya-report-warn' : 'ya-muted'} data-testid="location-accuracy">
                {t('reports.capture.accuracy', { m: location.accuracyM })}
                {location.accuracyM > 100 ? ` · ${t('reports.capture.lowAccuracy')}` : ''}
              </span>
            )}
            {location?.source === 'map' && <span className="ya-muted">{t('reports.capture.pickedNote')}</span>}
          </div>
        </div>
        <div className="ya-report-where-actions">
          <Button size="small" shape="rounded" onClick={locate} loading={status === 'locating'}>
            {t('reports.capture.relocate')}
          </Button>
          <Button size="small" shape="rounded" onClick={() => setPicking(true)} data-testid="pick-on-map">
            {t('reports.capture.pickOnMap')}
          </Button>
        </div>
        <label htmlFor="report-address" className="ya-report-label">
          {t('reports.capture.address')}
        </label>
        <Input id="report-address" className="ya-report-address" value={address} onChange={setAddress} maxLength={200} placeholder={t('reports.capture.addressPlaceholder')} />
      </section>

      <section className="ya-card">
        <h2 className="ya-card-title">{t('reports.capture.what')}</h2>
        <div className="ya-report-chips" role="radiogroup" aria-label={t('reports.capture.what')} data-testid="capture-categories">
          {visible.map((c) => (
            <button type="button" key={c.code} role="radio" aria-checked={c.code === category} className={`ya-report-chip${c.code === category ? ' on' : ''}`} onClick={() => chooseCategory(c)}>
              {categoryName(c)}
            </button>
          ))}
          {!showAll && more.length > 0 && !(chosen && !chosen.riderFirst) && (
            <button type="button" className="ya-report-chip more" onClick={() => setShowAll(true)} data-testid="capture-more-categories">
              {t('reports.capture.moreCategories')}
            </button>
          )}
        </div>
        {chosen && chosen.quickTags.length > 0 && (
          <div className="ya-report-tags" data-testid="capture-tags">
            {chosen.quickTags.map((tag) => (
              <button type="button" key={tag} aria-pressed={tags.includes(tag)} className={`ya-report-tag${tags.includes(tag) ? ' on' : ''}`} onClick={() => toggleTag(tag)}>
                #{tag}
              </button>
            ))}
          </div>
        )}
        <label htmlFor="report-description" className="ya-report-label">
          {t('reports.capture.description')}
        </label>
        <TextArea
          id="report-description"
          className="ya-report-description"
          value={description}
          onChange={setDescription}
          maxLength={REPORT_DEFAULTS.maxDescription}
          showCount
          autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder={t('reports.capture.descriptionPlaceholder')}
        />
      </section>

      {nearbyQuery && nearby.data && nearby.data.length > 0 && <NearbyCard items={nearby.data} />}

      <div className="ya-report-submit">
        {missing && <p className="ya-muted ya-report-missing">{t(`reports.capture.missing.${missing}`)}</p>}
        <Button block color="primary" size="large" shape="rounded" disabled={!!missing || sending} loading={sending} onClick={() => void submit()} data-testid="capture-submit">
          {online ? t('reports.capture.submit') : t('reports.capture.submitOffline')}
        </Button>
        <p className="ya-muted ya-report-privacy">{t('reports.capture.privacy')}</p>
      </div>

      <Popup visible={picking} onMaskClick={() => setPicking(false)} bodyStyle={{ height: '80vh' }} destroyOnClose>
        <Suspense fallback={<PageSkeleton rows={1} />}>
          {picking && (
            <MapPicker
              start={location ? { lon: location.lon, lat: location.lat } : undefined}
              onCancel={() => setPicking(false)}
              onDone={(p) => {
                pick(p);
                setPicking(false);
              }}
            />
          )}
        </Suspense>
      </Popup>
    </div>
  );
}

/** The same problem already reported nearby: "我也遇到了" follows it instead of filing it again. */
function NearbyCard({ items }: { items: NearbyReport[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const follow = useFollow();
  const keys = useRef(new Map<string, string>());

  async function join(r: NearbyReport) {
    const key = keys.current.get(r.id) ?? newIdempotencyKey();
    keys.current.set(r.id, key);
    try {
      const report = await follow.mutateAsync({ id: r.id, key });
      Toast.show({ icon: 'success', content: t('reports.nearby.joined') });
      navigate(`/reports/${report.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.current.delete(r.id);
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  }

  return (
    <section className="ya-card ya-report-nearby" data-testid="nearby-reports">
      <h2 className="ya-card-title">{t('reports.nearby.title', { count: items.length })}</h2>
      <p className="ya-muted ya-report-small">{t('reports.nearby.hint')}</p>
      {items.map((r) => (
        <article className="ya-report-nearby-item" key={r.id} data-testid="nearby-report" data-code={r.code}>
          <ReportThumb url={r.photoUrl} className="ya-report-nearby-photo" />
          <div className="ya-report-nearby-body">
            <p className="ya-report-nearby-text">{r.description || t('reports.noDescription')}</p>
            <p className="ya-muted ya-report-small">
              {t('reports.nearby.distance', { distance: formatDistance(r.distanceM) })} · {t(`reports.status.${r.status}`)} · {t('reports.nearby.followers', { count: r.followerCount })}
            </p>
          </div>
          {r.following ? (
            <Button size="mini" shape="rounded" onClick={() => navigate(`/reports/${r.id}`)}>
              {t('reports.nearby.following')}
            </Button>
          ) : (
            <Button size="mini" color="primary" shape="rounded" loading={follow.isPending && follow.variables?.id === r.id} onClick={() => void join(r)} data-testid="nearby-join">
              {t('reports.nearby.join')}
            </Button>
          )}
        </article>
      ))}
    </section>
  );
}
