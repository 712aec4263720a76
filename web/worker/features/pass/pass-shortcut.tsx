import { useNavigate } from 'react-router';
import { ScanCodeOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../shared/me';
import './pass.css';

/** The home screen's big 甬爱码 button: one tap to the code. */
export function PassShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const verified = me.data?.verificationStatus === 'approved';
  return (
    <button type="button" className="ya-pass-entry" onClick={() => navigate('/pass')} data-testid="pass-entry">
      <span className="ya-pass-entry-icon" aria-hidden>
        <ScanCodeOutline />
      </span>
      <span className="ya-pass-entry-body">
        <strong className="ya-pass-entry-title">{t('pass.shortcut.title')}</strong>
        <span className="ya-pass-entry-hint">{verified ? t('pass.shortcut.hint') : t('pass.shortcut.notVerified')}</span>
      </span>
      <span className="ya-pass-entry-go" aria-hidden>
        {t('pass.shortcut.open')}
      </span>
    </button>
  );
}
