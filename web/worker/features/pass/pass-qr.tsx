import { useEffect, useRef } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { PASS_REFRESH_SECONDS } from '@contracts/pass';

const SIZE = 264;

/**
 * The pass as a QR code: level M, the full 4-module quiet zone, pure black on white, drawn at the
 * screen's pixel density so every module is crisp for a phone camera.
 */
export function PassQr({ token }: { token: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const dpr = Math.min(3, Math.max(1, Math.round(window.devicePixelRatio || 1)));
    QRCode.toCanvas(el, token, { errorCorrectionLevel: 'M', margin: 4, width: SIZE * dpr, color: { dark: '#000000ff', light: '#ffffffff' } }).then(
      () => {
        el.style.width = `${SIZE}px`;
        el.style.height = `${SIZE}px`;
      },
      () => undefined,
    );
  }, [token]);
  return (
    <div className="ya-pass-qr" data-testid="pass-qr" data-token={token}>
      <canvas ref={canvas} role="img" aria-label={t('pass.qr.label')} width={SIZE} height={SIZE} />
    </div>
  );
}

const shanghaiClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/**
 * The live part beside the code: a ticking clock (Shanghai time, the server's clock) and a ring that
 * empties until the next code. A screenshot freezes both — obvious to a guard at a glance.
 */
export function PassClock({ serverNow, slotFrom, slotUntil }: { serverNow: number; slotFrom: number; slotUntil: number }) {
  const { t } = useTranslation();
  const total = Math.max(1, slotUntil - slotFrom);
  const left = Math.min(total, Math.max(0, slotUntil - serverNow));
  const seconds = Math.ceil(left / 1000);
  const r = 22;
  const circumference = 2 * Math.PI * r;
  const fraction = left / total;
  return (
    <div className="ya-pass-live">
      <svg className="ya-pass-ring" viewBox="0 0 52 52" width="52" height="52" role="img" aria-label={t('pass.qr.refreshIn', { seconds })} data-testid="pass-ring">
        <circle cx="26" cy="26" r={r} className="ya-pass-ring-track" />
        <circle
          cx="26"
          cy="26"
          r={r}
          className="ya-pass-ring-bar"
          strokeDasharray={circumference}
          strokeDashoffset={circumference * (1 - fraction)}
          transform="rotate(-90 26 26)"
        />
        <text x="26" y="31" textAnchor="middle" className="ya-pass-ring-text">
          {Math.min(seconds, PASS_REFRESH_SECONDS)}
        </text>
      </svg>
      <div className="ya-pass-clock-box">
        <time className="ya-pass-clock" data-testid="pass-clock" aria-label={t('pass.qr.clock')} dateTime={new Date(serverNow).toISOString()}>
          {shanghaiClock.format(serverNow)}
        </time>
        <span className="ya-pass-refresh">{t('pass.qr.refreshIn', { seconds })}</span>
      </div>
    </div>
  );
}
