import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { Cascader } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { AreaDto } from '@contracts/common';
import { api } from '@ui/api';
import { useTranslation } from 'react-i18next';

interface AreaOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: AreaOption[];
}

/** GB/T 2260 codes nest by prefix: city 4 digits, district 6, street 9, community 12. */
const codeLengths = [4, 6, 9, 12];
const COMMUNITY_LENGTH = 12;

/** The codes from `root` down to `code`, e.g. 3302 → 330212 → 330212011. */
export function areaPath(root: string, code: string): string[] {
  if (!code.startsWith(root)) return [];
  return codeLengths.filter((l) => l >= root.length && l <= code.length).map((l) => code.slice(0, l));
}

function findOption(options: AreaOption[], code: string): AreaOption | undefined {
  for (const o of options) {
    if (o.value === code) return o;
    if (code.startsWith(o.value) && o.children) {
      const hit = findOption(o.children, code);
      if (hit) return hit;
    }
  }
  return undefined;
}

export interface AreaCascaderProps {
  /** The staff member's scope: the tree starts here and cannot leave it. */
  rootCode: string;
  rootName: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Deepest selectable level as a code length (9 = streets, 12 = communities). */
  maxLength?: number;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  id?: string;
  disabled?: boolean;
}

/** Area picker whose children are loaded lazily from /api/areas/{code}/children; any level may be chosen. */
export function AreaCascader({ rootCode, rootName, value, onChange, maxLength = COMMUNITY_LENGTH, placeholder, allowClear = true, style, id, disabled }: AreaCascaderProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [options, setOptions] = useState<AreaOption[]>(() => [{ value: rootCode, label: rootName, isLeaf: rootCode.length >= maxLength }]);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const loadChildren = useCallback(
    async (code: string) => {
      const rows = await queryClient.fetchQuery({
        queryKey: ['areas', code, 'children'],
        queryFn: () => api.get<AreaDto[]>(`/api/areas/${code}/children`),
        staleTime: Infinity,
      });
      const node = findOption(optionsRef.current, code);
      if (!node || node.children) return;
      node.children = rows.map((a) => ({ value: a.code, label: a.name, isLeaf: a.code.length >= maxLength }));
      if (node.children.length === 0) node.isLeaf = true;
      setOptions([...optionsRef.current]);
    },
    [queryClient, maxLength],
  );

  // A value set from outside (an account being edited) needs its ancestors' children to show its name.
  useEffect(() => {
    if (!value) return;
    const path = areaPath(rootCode, value);
    let live = true;
    void (async () => {
      for (const code of path.slice(0, -1)) {
        if (!live) return;
        const node = findOption(optionsRef.current, code);
        if (node && !node.children && !node.isLeaf) await loadChildren(code).catch(() => undefined);
      }
    })();
    return () => {
      live = false;
    };
  }, [value, rootCode, loadChildren]);

  return (
    <Cascader<AreaOption>
      id={id}
      style={style}
      disabled={disabled}
      options={options}
      value={value ? areaPath(rootCode, value) : undefined}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        if (last) void loadChildren(last.value).catch(() => undefined);
      }}
      onChange={(path) => onChange?.(path && path.length ? String(path[path.length - 1]) : undefined)}
      changeOnSelect
      allowClear={allowClear}
      placeholder={placeholder ?? t('common.areaPlaceholder')}
      displayRender={(labels) => labels.join(' / ')}
    />
  );
}
