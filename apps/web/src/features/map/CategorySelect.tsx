// A tree select of the event table: 大类 (a filter on one takes all its 小类) and their 小类.
import { useEffect, useMemo, useState } from 'react';
import { TreeSelect } from 'antd';
import { settingsApi, type Category } from '../settings/api';
import { useI18n } from '../../i18n';

export function useCategories(): Category[] | null {
  const [list, setList] = useState<Category[] | null>(null);
  useEffect(() => {
    let live = true;
    settingsApi.categories().then((l) => { if (live) setList(l); }).catch(() => { if (live) setList([]); });
    return () => { live = false; };
  }, []);
  return list;
}

export function categoryLabel(c: Category, lang: string): string {
  return lang === 'en' && c.nameEn ? c.nameEn : c.name;
}

export function CategorySelect({ value, onChange, testId, style }: { value?: number; onChange: (v: number | undefined) => void; testId?: string; style?: React.CSSProperties }) {
  const { t, lang } = useI18n();
  const cats = useCategories();
  const tree = useMemo(() => {
    const all = cats ?? [];
    const parents = all.filter((c) => c.parentId === null).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
    return parents.map((p) => ({
      value: p.id, title: `${p.code} ${categoryLabel(p, lang)}`,
      children: all.filter((c) => c.parentId === p.id).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
        .map((c) => ({ value: c.id, title: `${c.code} ${categoryLabel(c, lang)}` })),
    }));
  }, [cats, lang]);
  return (
    <TreeSelect
      data-testid={testId}
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : undefined)}
      treeData={tree}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={t('mapAllCategories')}
      loading={cats === null}
      style={{ minWidth: 180, ...style }}
      popupMatchSelectWidth={false}
      treeDefaultExpandAll
    />
  );
}
