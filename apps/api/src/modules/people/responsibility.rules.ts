// Who may answer for what, and when: pure checks on one responsibility against the facts given.
import { KIND_BY_KEY, LEVEL_BY_KEY, type LevelKey, type ResponsibilityKind } from '../../../../../packages/shared/src/mechanism.js';
import { isIsoDate } from '../../lib/dates.js';

export interface Range { validFrom: string; validTo: string | null }

/** Inclusive date ranges, open-ended when validTo is null. ISO dates compare as strings. */
export function overlaps(a: Range, b: Range): boolean {
  const aEnd = a.validTo ?? '9999-12-31';
  const bEnd = b.validTo ?? '9999-12-31';
  return a.validFrom <= bEnd && b.validFrom <= aEnd;
}

export const inForce = (r: Range, day: string) => r.validFrom <= day && (r.validTo === null || r.validTo >= day);

export interface ResponsibilityDraft {
  kind: string;
  areaLevel: LevelKey;
  areaPath: string;
  holder: { userId: number; grants: { roleKey: string; areaPath: string | null }[] } | { holderName: string } | null;
  validFrom: string;
  validTo: string | null;
  principal: boolean;
}

/** Returns the problems, each naming its field; empty when the draft can be stored. */
export function checkResponsibility(d: ResponsibilityDraft): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const kind = KIND_BY_KEY[d.kind as ResponsibilityKind];
  if (!kind) return [{ field: 'kind', message: `未知的责任类型 "${d.kind}"` }];
  if (d.areaLevel !== kind.level) {
    out.push({ field: 'area', message: `“${kind.zh}”的区域应为${LEVEL_BY_KEY[kind.level].zh}，不是${LEVEL_BY_KEY[d.areaLevel].zh}` });
  }
  if (!isIsoDate(d.validFrom)) out.push({ field: 'validFrom', message: `开始日期应为 YYYY-MM-DD，收到 "${d.validFrom}"` });
  if (d.validTo !== null && !isIsoDate(d.validTo)) out.push({ field: 'validTo', message: `结束日期应为 YYYY-MM-DD，收到 "${d.validTo}"` });
  if (d.validTo !== null && isIsoDate(d.validFrom) && isIsoDate(d.validTo) && d.validTo < d.validFrom) {
    out.push({ field: 'validTo', message: `结束日期 ${d.validTo} 早于开始日期 ${d.validFrom}` });
  }
  if (d.principal && kind.key !== 'leader_village') out.push({ field: 'principal', message: '只有领导挂包村可以标记为主要领导' });
  if (kind.roles === null) {
    if (!d.holder || !('holderName' in d.holder) || !d.holder.holderName.trim()) {
      out.push({ field: 'holderName', message: `“${kind.zh}”需要填写户主姓名或门牌` });
    }
  } else if (!d.holder || !('userId' in d.holder)) {
    out.push({ field: 'userId', message: `“${kind.zh}”需要指定一个人员` });
  } else {
    const ok = d.holder.grants.some((g) => kind.roles!.includes(g.roleKey as never)
      && (g.areaPath === null || d.areaPath.startsWith(g.areaPath)));
    if (!ok) {
      out.push({ field: 'userId', message: `此人没有在该区域担任${kind.roles.map((r) => r).join('/')}角色，不能承担“${kind.zh}”` });
    }
  }
  return out;
}
