import { useNavigate } from 'react-router';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import './library.css';

/** The home screen's card to the library: typical cases and the model contracts. */
export function LibraryShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className="ya-card ya-library-shortcut" data-testid="library-shortcut">
      <div>
        <h2 className="ya-card-title">{t('library.shortcut.title')}</h2>
        <p className="ya-muted ya-library-small">{t('library.shortcut.hint')}</p>
      </div>
      <button type="button" className="ya-link" onClick={() => navigate('/library')} data-testid="library-shortcut-open">
        {t('library.shortcut.open')} <RightOutline />
      </button>
    </section>
  );
}
