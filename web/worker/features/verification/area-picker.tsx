import { useState } from 'react';
import { Button, List, Popup, SpinLoading } from 'antd-mobile';
import { CheckOutline, CloseOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { AreaDto } from '@contracts/common';
import { ErrorState, EmptyState } from '../../shared/states';
import { useAreaChildren } from './api';

export const CITY_CODE = '3302';

export interface AreaValue {
  code: string;
  /** Names from the district down, e.g. ['鄞州区', '白鹤街道']. */
  names: string[];
}

const levels = ['district', 'street', 'community'] as const;

/**
 * Work area: district → street → (optional) community, each level loaded when it is reached.
 * The value is the deepest code chosen (a 9-digit street or a 12-digit community).
 */
export function AreaField({ id, value, onChange, placeholder }: { id?: string; value?: AreaValue; onChange?: (v: AreaValue) => void; placeholder: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" id={id} className="ya-field-button" onClick={() => setOpen(true)} data-testid="area-field">
        {value ? <span className="ya-area-value">{value.names.join(' · ')}</span> : <span className="ya-placeholder">{placeholder}</span>}
      </button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} onClose={() => setOpen(false)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }} destroyOnClose>
        <AreaPickerPanel
          onCancel={() => setOpen(false)}
          onConfirm={(v) => {
            onChange?.(v);
            setOpen(false);
          }}
          selectedCode={value?.code}
        />
      </Popup>
    </>
  );
}

function AreaPickerPanel({ onConfirm, onCancel, selectedCode }: { onConfirm: (v: AreaValue) => void; onCancel: () => void; selectedCode?: string }) {
  const { t } = useTranslation();
  const [path, setPath] = useState<AreaDto[]>([]);
  const level = Math.min(path.length, 2);
  const parentCode = level === 0 ? CITY_CODE : path[level - 1].code;
  const children = useAreaChildren(parentCode);

  const choose = (area: AreaDto) => {
    const next = [...path.slice(0, level), area];
    if (level === 2) onConfirm({ code: area.code, names: next.map((a) => a.name) });
    else setPath(next);
  };

  return (
    <div className="ya-picker" role="dialog" aria-label={t('areaPicker.title')}>
      <div className="ya-picker-head">
        <span>{t('areaPicker.title')}</span>
        <button type="button" className="ya-link" onClick={onCancel} aria-label={t('common:actions.close')}>
          <CloseOutline fontSize={18} />
        </button>
      </div>
      <nav className="ya-picker-path">
        {levels.slice(0, level + 1).map((name, i) => (
          <button type="button" key={name} className={i === level ? 'active' : ''} onClick={() => setPath(path.slice(0, i))}>
            {i < level ? path[i].name : t(`areaPicker.${name}`)}
          </button>
        ))}
      </nav>
      <div className="ya-picker-list">
        {children.isPending ? (
          <div className="ya-state">
            <SpinLoading color="primary" />
          </div>
        ) : children.isError ? (
          <ErrorState error={children.error} onRetry={() => void children.refetch()} />
        ) : children.data.length === 0 ? (
          <EmptyState title={t('areaPicker.emptyCommunities')} />
        ) : (
          <List>
            {children.data.map((area) => {
              const selected = path[level]?.code === area.code || selectedCode === area.code;
              return (
                <List.Item key={area.code} onClick={() => choose(area)} arrow={level < 2} extra={selected ? <CheckOutline color="var(--adm-color-primary)" /> : undefined}>
                  {area.name}
                </List.Item>
              );
            })}
          </List>
        )}
      </div>
      {level === 2 && (
        <div className="ya-picker-actions">
          <Button block color="primary" fill="outline" onClick={() => onConfirm({ code: path[1].code, names: path.map((a) => a.name) })} data-testid="area-street-only">
            {t('areaPicker.streetOnly')}
          </Button>
        </div>
      )}
    </div>
  );
}
