import { useNavigate } from 'react-router';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { TypeBadge } from './place-bits';
import './places.css';

/** The home screen's one-tap way to the map: stations, charging, everything nearby. */
export function PlacesShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const items = [
    { key: 'stations', type: 'station', to: '/map?types=station', hint: 'stationsHint' },
    { key: 'charging', type: 'charging', to: '/map?types=charging', hint: 'chargingHint' },
    { key: 'all', type: undefined, to: '/map', hint: 'allHint' },
  ] as const;
  return (
    <section className="ya-card" data-testid="places-shortcut">
      <h2 className="ya-card-title">{t('places.shortcut.title')}</h2>
      <div className="ya-shortcuts">
        {items.map((i) => (
          <button key={i.key} type="button" className="ya-shortcut" onClick={() => navigate(i.to)} data-testid={`shortcut-${i.key}`}>
            {i.type ? (
              <TypeBadge type={i.type} size={30} />
            ) : (
              <span className="ya-type-badge ya-type-badge-all" style={{ width: 30, height: 30, fontSize: 18 }} aria-hidden="true">
                <EnvironmentOutline />
              </span>
            )}
            <strong>{t(`places.shortcut.${i.key}`)}</strong>
            <span className="ya-muted">{t(`places.shortcut.${i.hint}`)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
