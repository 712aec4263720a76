import { useEffect, useRef, useState } from 'react';
import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';

/** Warn this long before the server's idle timeout ends the session. */
const WARN_BEFORE_S = 120;
/** While the person is active, refresh the server session at most this often. */
const KEEPALIVE_EVERY_MS = 5 * 60_000;

/**
 * The server ends a staff session after a period without requests. Reading a page makes none, so while
 * the person is active we refresh it now and then; when they are away we warn, then sign out here too.
 */
export function IdleWatch() {
  const { t } = useTranslation();
  const { session, refresh, signOut } = useSession();
  const idleS = session?.idleTimeoutSeconds ?? null;
  const lastActive = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const [remaining, setRemaining] = useState<number | undefined>();

  useEffect(() => {
    const mark = () => {
      lastActive.current = Date.now();
    };
    const events = ['mousedown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;
    events.forEach((e) => window.addEventListener(e, mark, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, mark));
  }, []);

  useEffect(() => {
    if (!idleS) return;
    const timer = window.setInterval(() => {
      const now = Date.now();
      const idleFor = (now - lastActive.current) / 1000;
      const left = Math.round(idleS - idleFor);
      if (left <= 0) {
        void signOut('expired');
        return;
      }
      if (left <= WARN_BEFORE_S) {
        setRemaining(left);
        return;
      }
      setRemaining(undefined);
      if (now - lastKeepAlive.current > KEEPALIVE_EVERY_MS && idleFor < 60) {
        lastKeepAlive.current = now;
        void refresh().catch(() => undefined);
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [idleS, refresh, signOut]);

  return (
    <Modal
      open={remaining !== undefined}
      title={t('idle.title')}
      okText={t('idle.stay')}
      cancelText={t('idle.signOut')}
      closable={false}
      mask={{ closable: false }}
      onOk={() => {
        lastActive.current = Date.now();
        lastKeepAlive.current = Date.now();
        setRemaining(undefined);
        void refresh().catch(() => undefined);
      }}
      onCancel={() => void signOut('signedOut')}
    >
      {t('idle.body', { seconds: remaining ?? 0 })}
    </Modal>
  );
}
