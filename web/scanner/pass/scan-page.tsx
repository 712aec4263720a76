import { useEffect, useMemo, useState } from 'react';
import { Button, CheckList, Dialog, Input, List, NoticeBar, Popup, Tag, TextArea, Toast } from 'antd-mobile';
import { EnvironmentOutline, ScanCodeOutline, SetOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { BUNDLE_AGING_HOURS, BUNDLE_STALE_HOURS } from '@contracts/pass-token';
import type { Ed25519Engine } from '@contracts/pass-ed25519';
import { ageText, useNow, useStation } from './hooks';
import { policyOf, ScannerStation, type StationState } from './station';
import { CameraScanner } from './camera';
import { VerdictScreen } from './verdict';

export interface ScanPageProps {
  staff: { username: string; displayName: string; role: string; areaCode: string; areaName: string };
  /** Footer: language switch, sign-out … */
  footer: React.ReactNode;
  onSignInAgain(): void;
}

/** `?verifier=noble` forces the pure-JS engine (WeChat-like browsers, tests); `webcrypto` refuses the fallback. */
export function forcedEngine(search = window.location.search): Ed25519Engine | undefined {
  const v = new URLSearchParams(search).get('verifier');
  return v === 'noble' || v === 'webcrypto' ? v : undefined;
}

export function ScanPage({ staff, footer, onSignInAgain }: ScanPageProps) {
  const { t } = useTranslation();
  const station = useMemo(() => new ScannerStation({ username: staff.username, areaCode: staff.areaCode }, { forceEngine: forcedEngine() }), [staff.username, staff.areaCode]);
  useEffect(() => {
    void station.start();
    return () => station.stop();
  }, [station]);
  const s = useStation(station);
  const [camera, setCamera] = useState(false);
  // After a camera scan, "scan next" goes straight back to the camera (a gate has a queue).
  const [fromCamera, setFromCamera] = useState(false);
  const place = station.place();

  async function verify(text: string, viaCamera = false) {
    if (!text.trim()) {
      Toast.show({ content: t('home.typedRequired') });
      return;
    }
    setFromCamera(viaCamera);
    await station.scan(text);
  }

  return (
    <div data-testid="scanner-home">
      <StatusBar station={station} s={s} />
      {s.sessionExpired && (
        <NoticeBar
          data-testid="session-expired"
          color="alert"
          wrap
          content={t('home.sessionExpired')}
          extra={
            <Button size="mini" color="primary" fill="none" onClick={onSignInAgain}>
              {t('home.signInAgain')}
            </Button>
          }
        />
      )}
      <PlaceRow station={station} s={s} canTypePlace={staff.role === 'operator'} />

      <div style={{ margin: '12px 16px', padding: '20px 16px', background: '#fff', borderRadius: 12, textAlign: 'center' }}>
        <ScanCodeOutline fontSize={56} color="#d4380d" />
        <div style={{ fontSize: 20, fontWeight: 600, margin: '8px 0 4px' }}>{t('home.scan')}</div>
        <div style={{ color: '#888', fontSize: 14, marginBottom: 14 }}>{t('home.scanHint')}</div>
        <Button color="primary" size="large" block data-testid="open-camera" onClick={() => setCamera(true)} disabled={!s.placeId}>
          {t('home.camera')}
        </Button>
      </div>

      <TypedCode disabled={!s.placeId || !s.engine} onVerify={verify} />

      <Settings station={station} s={s} staff={staff} />
      <div style={{ padding: '8px 16px 24px', display: 'grid', gap: 12, justifyItems: 'center' }}>{footer}</div>

      {camera && (
        <CameraScanner
          onClose={() => setCamera(false)}
          onResult={(text) => {
            setCamera(false);
            void verify(text, true);
          }}
        />
      )}
      {s.current && (
        <VerdictScreen
          outcome={s.current}
          policy={policyOf(place)}
          serverNow={() => station.now()}
          station={station}
          onNext={() => {
            station.dismiss();
            if (fromCamera) setCamera(true);
          }}
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------- status bar

function bundleLevel(s: StationState, serverNow: number): 'none' | 'fresh' | 'aging' | 'stale' {
  if (!s.trust) return 'none';
  const age = serverNow - s.trust.bundle.issuedAt;
  if (age > BUNDLE_STALE_HOURS * 3600_000) return 'stale';
  if (age > BUNDLE_AGING_HOURS * 3600_000) return 'aging';
  return 'fresh';
}

const LEVEL_STYLE = {
  none: { background: '#fff1f0', color: '#a8071a' },
  fresh: { background: '#f6ffed', color: '#237804' },
  aging: { background: '#fffbe6', color: '#874d00' },
  stale: { background: '#fff1f0', color: '#a8071a' },
} as const;

function StatusBar({ station, s }: { station: ScannerStation; s: StationState }) {
  const { t } = useTranslation();
  useNow(15_000);
  const serverNow = station.now();
  const level = bundleLevel(s, serverNow);
  const age = s.trust ? serverNow - s.trust.bundle.issuedAt : 0;

  async function refresh() {
    await station.refresh();
    const st = station.getState();
    if (st.refreshError) Toast.show({ content: t(`bundleErrors.${st.refreshError}`), duration: 3000 });
    else Toast.show({ content: t('status.refreshed') });
  }

  return (
    <section aria-label={t('status.label')} data-testid="status-bar" style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', padding: '8px 12px', display: 'grid', gap: 6 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <div
          data-testid="bundle-age"
          data-level={level}
          data-version={s.trust?.bundle.version ?? ''}
          style={{ ...LEVEL_STYLE[level], flex: 1, borderRadius: 6, padding: '4px 8px', fontSize: 13, lineHeight: 1.4 }}
        >
          <strong>{t('status.bundle')}</strong>{' '}
          {!s.trust
            ? t('status.bundleNone')
            : level === 'stale'
              ? t('status.bundleStale')
              : level === 'aging'
                ? t('status.bundleAging')
                : t('status.bundleAge', { age: ageText(t, age) })}
          {s.trust && <span style={{ opacity: 0.75 }}> · {t('status.version', { version: s.trust.bundle.version })}</span>}
        </div>
        <Button size="small" color="primary" fill="outline" data-testid="refresh-bundle" loading={s.refreshing} disabled={s.refreshing} onClick={() => void refresh()}>
          {t('status.refresh')}
        </Button>
      </div>
      <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'center', fontSize: 13 }}>
        <Tag data-testid="net-status" data-online={String(s.online)} color={s.online ? 'success' : 'warning'} fill="outline">
          {s.online ? t('status.online') : t('status.offline')}
        </Tag>
        <Tag data-testid="queue-count" data-count={s.queued} color={s.queued > 0 ? 'warning' : 'default'} fill="outline">
          {s.uploading ? t('status.uploading') : t('status.queued', { count: s.queued })}
        </Tag>
        <Tag data-testid="engine" data-engine={s.engine ?? ''} color="primary" fill="outline">
          {t('status.engine')} {s.engine ? t(`status.engines.${s.engine}`) : '…'}
        </Tag>
      </div>
      {s.refreshError && s.refreshError !== 'offline' && (
        <div data-testid="bundle-error" data-error={s.refreshError} style={{ color: '#a8071a', fontSize: 13 }}>
          {t(`bundleErrors.${s.refreshError}`)}
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- place

function PlaceRow({ station, s, canTypePlace }: { station: ScannerStation; s: StationState; canTypePlace: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const places = s.places?.places ?? [];
  const place = station.place();
  const typedPlace = !place && s.placeId ? `#${s.placeId}` : undefined;

  return (
    <>
      <List header={t('place.label')} style={{ '--header-font-size': '13px' } as React.CSSProperties}>
        {places.length > 0 ? (
          <List.Item
            prefix={<EnvironmentOutline fontSize={22} />}
            onClick={() => setOpen(true)}
            data-testid="place-current"
            data-place={s.placeId ?? ''}
            description={
              place && (
                <span data-testid="place-grants">
                  {t('place.grants')}：
                  {place.policy.length === 0 ? t('place.noGrants') : [...new Set(place.policy.map((r) => r.grant))].map((g) => t(`pass.grants.${g}`)).join('、')}
                </span>
              )
            }
          >
            {place ? (
              <span style={{ fontWeight: 600 }}>
                {place.name} <span style={{ color: '#999', fontWeight: 400, fontSize: 13 }}>{t(`common:placeTypes.${place.type}`, { defaultValue: place.type })}</span>
              </span>
            ) : (
              <span style={{ color: '#d4380d' }}>{t('place.choose')}</span>
            )}
          </List.Item>
        ) : (
          <List.Item prefix={<EnvironmentOutline fontSize={22} />} data-testid="place-none" data-place={s.placeId ?? ''} description={canTypePlace ? t('place.anyPlaceHint') : undefined}>
            {typedPlace ?? t('place.none')}
          </List.Item>
        )}
        {places.length === 0 && canTypePlace && (
          <List.Item
            extra={
              <Button size="small" color="primary" disabled={!/^\d+$/.test(typed)} onClick={() => station.useAnyPlace(typed)}>
                {t('place.use')}
              </Button>
            }
          >
            <Input placeholder={t('place.anyPlace')} value={typed} onChange={setTyped} inputMode="numeric" data-testid="place-id-input" />
          </List.Item>
        )}
      </List>
      {!s.online && places.length > 0 && <div style={{ fontSize: 12, color: '#999', padding: '4px 16px' }}>{t('place.offline')}</div>}
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ maxHeight: '70vh', overflowY: 'auto', borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
        <div style={{ padding: '14px 16px 4px', fontWeight: 600, fontSize: 16 }}>{t('place.chooseTitle')}</div>
        <CheckList
          value={s.placeId ? [s.placeId] : []}
          onChange={(v) => {
            if (v[0]) station.selectPlace(String(v[0]));
            setOpen(false);
          }}
        >
          {places.map((p) => (
            <CheckList.Item key={p.id} value={p.id} data-testid="place-option" data-place={p.id} description={[t(`common:placeTypes.${p.type}`, { defaultValue: p.type }), p.areaName].filter(Boolean).join(' · ')}>
              {p.name}
            </CheckList.Item>
          ))}
        </CheckList>
      </Popup>
    </>
  );
}

// ---------------------------------------------------------------- typed code

function TypedCode({ disabled, onVerify }: { disabled: boolean; onVerify(text: string): Promise<void> }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <List header={t('home.typed')} style={{ '--header-font-size': '13px' } as React.CSSProperties}>
      <List.Item>
        <TextArea data-testid="token-input" aria-label={t('home.typed')} placeholder={t('home.typedPlaceholder')} value={text} onChange={setText} autoSize={{ minRows: 2, maxRows: 5 }} />
      </List.Item>
      <List.Item>
        <Button
          block
          color="primary"
          fill="outline"
          data-testid="verify-token"
          disabled={disabled}
          loading={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onVerify(text);
              setText('');
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('home.verify')}
        </Button>
      </List.Item>
    </List>
  );
}

// ---------------------------------------------------------------- settings

function Settings({ station, s, staff }: { station: ScannerStation; s: StationState; staff: ScanPageProps['staff'] }) {
  const { t } = useTranslation();
  const b = s.trust?.bundle;
  return (
    <List header={t('settings.title')} data-testid="settings" style={{ '--header-font-size': '13px' } as React.CSSProperties}>
      <List.Item description={t(`common:roles.${staff.role}`, { defaultValue: staff.role })}>
        {staff.displayName} <span style={{ color: '#999' }}>({staff.username})</span>
      </List.Item>
      <List.Item extra={staff.areaName}>{t('home.area')}</List.Item>
      <List.Item prefix={<SetOutline />} extra={<span data-testid="settings-engine">{s.engine === 'noble' ? t('settings.engineNoble') : s.engine === 'webcrypto' ? t('settings.engineWebcrypto') : '…'}</span>}>
        {t('settings.engine')}
      </List.Item>
      <List.Item extra={b ? `${b.version} · ${b.city}` : t('status.bundleNone')}>{t('settings.bundleVersion')}</List.Item>
      {b && <List.Item extra={new Date(b.issuedAt).toLocaleString()}>{t('settings.bundleIssued')}</List.Item>}
      {s.trust && <List.Item extra={t('settings.clockOffsetValue', { seconds: (s.trust.offsetMs / 1000).toFixed(1) })}>{t('settings.clockOffset')}</List.Item>}
      {b && (
        <List.Item extra={<span style={{ fontFamily: 'monospace', fontSize: 12 }}>{b.keys.map((k) => `${k.kid}:${k.status}`).join(' ')}</span>}>{t('settings.keys')}</List.Item>
      )}
      <List.Item
        extra={
          <Button size="small" disabled={s.queued === 0 || s.uploading || !s.online} loading={s.uploading} data-testid="upload-now" onClick={() => void station.upload()}>
            {t('settings.uploadNow')}
          </Button>
        }
      >
        {t('settings.queue')} <span data-testid="settings-queue">{s.queued}</span>
      </List.Item>
      <List.Item
        clickable
        data-testid="reset-trust"
        onClick={async () => {
          if (await Dialog.confirm({ content: t('settings.resetTrustConfirm'), confirmText: t('common:actions.confirm'), cancelText: t('common:actions.cancel') })) await station.resetTrust();
        }}
      >
        {t('settings.resetTrust')}
      </List.Item>
    </List>
  );
}
