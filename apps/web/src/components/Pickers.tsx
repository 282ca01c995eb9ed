// Remote-search selects for areas and people.
import { useEffect, useRef, useState } from 'react';
import { Select, Tag, Typography } from 'antd';
import { api, type AreaHit, type UserRow } from '../api';
import { useI18n } from '../i18n';
import type { LevelKey } from '../../../../packages/shared/src/mechanism';

function useDebounced<T>(fn: (v: T) => void, ms = 250) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (v: T) => { clearTimeout(timer.current); timer.current = setTimeout(() => fn(v), ms); };
}

export interface AreaPickerProps {
  value?: number | null;
  onChange?: (id: number | undefined, hit?: AreaHit) => void;
  level?: LevelKey;
  /** several acceptable levels (filtered here; `level` filters on the server) */
  levels?: LevelKey[];
  placeholder?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  testId?: string;
  /** a label for the current value when it is not among the search results */
  initialLabel?: string;
}

export function AreaPicker({ value, onChange, level, levels, placeholder, style, allowClear = true, testId, initialLabel }: AreaPickerProps) {
  const { t, level: levelName } = useI18n();
  const [hits, setHits] = useState<AreaHit[]>([]);
  const [loading, setLoading] = useState(false);
  const search = useDebounced<string>(async (q) => {
    if (!q.trim()) { setHits([]); return; }
    setLoading(true);
    const only = level ?? (levels?.length === 1 ? levels[0] : undefined);
    try {
      const found = await api.searchAreas(q.trim(), only, 50);
      setHits(levels && levels.length > 1 ? found.filter((h) => levels.includes(h.level as LevelKey)) : found);
    } catch { setHits([]); } finally { setLoading(false); }
  });
  const options = hits.map((h) => ({
    value: h.id,
    label: `${h.name}（${levelName(h.level)}）`,
    hit: h,
  }));
  if (value && initialLabel && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: initialLabel, hit: undefined as unknown as AreaHit });
  }
  return (
    <Select<number>
      data-testid={testId}
      value={value ?? undefined}
      placeholder={placeholder ?? t('pickArea')}
      style={{ minWidth: 220, ...style }}
      allowClear={allowClear}
      loading={loading}
      showSearch={{ filterOption: false, onSearch: search }}
      notFoundContent={loading ? t('loading') : t('noResults')}
      options={options}
      optionRender={(o) => {
        const h = (o.data as { hit?: AreaHit }).hit;
        if (!h) return o.label;
        return (
          <div>
            <div>{h.name} <Tag style={{ marginInlineStart: 4 }}>{levelName(h.level)}</Tag><Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.code}</Typography.Text></div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.trail}</Typography.Text>
          </div>
        );
      }}
      onChange={(v) => {
        const h = options.find((o) => o.value === v)?.hit;
        onChange?.(v ?? undefined, h);
      }}
    />
  );
}

export interface UserPickerProps {
  value?: number | null;
  onChange?: (id: number | undefined) => void;
  role?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  testId?: string;
}

export function UserPicker({ value, onChange, role, placeholder, style, testId }: UserPickerProps) {
  const { t } = useI18n();
  const [rows, setRows] = useState<UserRow[]>([]);
  const [loading, setLoading] = useState(false);
  const search = useDebounced<string>(async (q) => {
    setLoading(true);
    try { setRows((await api.users({ q: q.trim() || undefined, role, limit: 30 })).items); } catch { setRows([]); } finally { setLoading(false); }
  });
  return (
    <Select<number>
      data-testid={testId}
      value={value ?? undefined}
      placeholder={placeholder ?? t('pickUser')}
      style={{ minWidth: 220, ...style }}
      allowClear
      loading={loading}
      showSearch={{ filterOption: false, onSearch: search }}
      onOpenChange={(open) => { if (open && rows.length === 0) search(''); }}
      notFoundContent={loading ? t('loading') : t('noResults')}
      options={rows.map((r) => ({ value: r.id, label: `${r.displayName}（${r.username}）`, r }))}
      optionRender={(o) => {
        const r = (o.data as { r: UserRow }).r;
        return (
          <div>
            <div>{r.displayName} <Typography.Text type="secondary">{r.username}</Typography.Text></div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.roles}</Typography.Text>
          </div>
        );
      }}
      onChange={(v) => onChange?.(v ?? undefined)}
    />
  );
}
