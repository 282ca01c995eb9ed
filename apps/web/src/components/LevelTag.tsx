import { Tag } from 'antd';
import { useI18n } from '../i18n';

const COLORS: Record<string, string> = {
  province: 'magenta', city: 'purple', county: 'geekblue', town: 'blue', district: 'cyan', village: 'green', grid: 'gold', micro_grid: 'orange',
};

export function LevelTag({ level }: { level: string }) {
  const { level: name } = useI18n();
  return <Tag color={COLORS[level] ?? 'default'} style={{ marginInlineEnd: 0 }}>{name(level)}</Tag>;
}
