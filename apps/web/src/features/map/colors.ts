// Case-state colours for drawing: the antd preset named in CASE_STATES, as a hex value.
import { theme } from 'antd';
import { CASE_STATES, type CaseState } from '../../../../../packages/shared/src/cases';

const token = theme.getDesignToken() as unknown as Record<string, string>;
export const OVERDUE_COLOR = token.red ?? '#f5222d';

export function stateHex(state: CaseState | string): string {
  const preset = CASE_STATES.find((s) => s.key === state)?.color ?? 'default';
  if (preset === 'default') return '#8c8c8c';
  return token[preset] ?? '#8c8c8c';
}
