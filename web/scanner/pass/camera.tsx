import { useEffect, useRef, useState } from 'react';
import { Button, DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

/**
 * Full-screen camera scanning with qr-scanner (bundled by Vite with its worker: no CDN). It stops at
 * the first QR code read and hands its text over; failures (no camera, permission refused, plain-http
 * origin) say so and leave the typed-code box as the way in.
 */
export function CameraScanner({ onResult, onClose }: { onResult(text: string): void; onClose(): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<{ status: 'starting' | 'scanning' } | { status: 'failed'; message: string } | { status: 'noCamera' }>({ status: 'starting' });
  const done = useRef(false);
  const handlers = useRef({ onResult, onClose });
  handlers.current = { onResult, onClose };

  useEffect(() => {
    let scanner: { stop(): void; destroy(): void } | undefined;
    let cancelled = false;
    (async () => {
      try {
        const { default: QrScanner } = await import('qr-scanner');
        if (cancelled) return;
        if (!(await QrScanner.hasCamera())) {
          if (!cancelled) setState({ status: 'noCamera' });
          return;
        }
        const s = new QrScanner(
          video.current!,
          (result) => {
            if (done.current || !result.data) return;
            done.current = true;
            s.stop();
            handlers.current.onResult(result.data);
          },
          { preferredCamera: 'environment', highlightScanRegion: true, highlightCodeOutline: true, maxScansPerSecond: 10, returnDetailedScanResult: true },
        );
        scanner = s;
        if (cancelled) {
          s.destroy();
          return;
        }
        await s.start();
        if (!cancelled) setState({ status: 'scanning' });
      } catch (e) {
        if (!cancelled) setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      cancelled = true;
      scanner?.destroy();
    };
  }, []);

  return (
    <div data-testid="camera" style={{ position: 'fixed', inset: 0, zIndex: 900, background: '#000', color: '#fff', display: 'flex', flexDirection: 'column' }}>
      <div style={{ padding: '14px 16px', fontSize: 18, fontWeight: 600, textAlign: 'center' }}>{t('camera.title')}</div>
      <div style={{ flex: 1, position: 'relative', display: 'grid', placeItems: 'center', overflow: 'hidden' }}>
        <video ref={video} muted playsInline style={{ width: '100%', maxHeight: '100%', objectFit: 'cover' }} />
        <div style={{ position: 'absolute', bottom: 16, left: 16, right: 16, textAlign: 'center', fontSize: 15 }} data-testid="camera-state" data-status={state.status}>
          {state.status === 'starting' && (
            <>
              {t('camera.starting')} <DotLoading color="white" />
            </>
          )}
          {state.status === 'scanning' && t('camera.aim')}
          {state.status === 'noCamera' && t('camera.noCamera')}
          {state.status === 'failed' && t('camera.failed', { message: state.message })}
        </div>
      </div>
      <div style={{ padding: 16 }}>
        <Button block size="large" onClick={() => handlers.current.onClose()}>
          {t('camera.close')}
        </Button>
      </div>
    </div>
  );
}
