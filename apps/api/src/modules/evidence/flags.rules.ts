// What a checker should look at twice in a photo: no capture data, taken before the problem was
// reported, taken far from the place, the same picture as the "before" photo or as another case's.
// Flags inform; they never block. Pure: the service gathers the context.
import type { EvidenceFlag } from '../../../../../packages/shared/src/cases.js';
import { hamming, informative } from './image.js';

export type PhotoPhase = 'before' | 'after' | 'check';

export interface FlagPhoto {
  takenAt: Date | null;
  lat: number | null;
  lng: number | null;
  phash: string | null;
  phase: PhotoPhase;
}

export interface FlagContext {
  reportedAt: Date;
  caseLat: number | null;
  caseLng: number | null;
  maxDistanceM: number;
  /** this case's "before" photos */
  beforeHashes: string[];
  /** candidate photos of other cases (the service preselects them) */
  otherCaseHashes: { caseId: number; caseNo: string; phash: string }[];
  /** at most this many differing bits out of 64 counts as "the same picture" */
  nearThreshold?: number;
}

export const DEFAULT_NEAR_THRESHOLD = 6;
/** Phone clocks drift; a photo this much older than the report still counts as taken after it. */
export const CLOCK_SKEW_MS = 10 * 60_000;

/** Great-circle distance in metres. */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export function evidenceFlags(photo: FlagPhoto, ctx: FlagContext): EvidenceFlag[] {
  const flags: EvidenceFlag[] = [];
  const near = ctx.nearThreshold ?? DEFAULT_NEAR_THRESHOLD;
  const hasGps = photo.lat !== null && photo.lng !== null;

  if (photo.takenAt === null && !hasGps) {
    flags.push({ code: 'no_capture_data', message: '照片没有拍摄时间和位置信息，可能是截图、转发或编辑过的图片，请核实 (no capture time or GPS)' });
  }

  if (photo.phase === 'after' && photo.takenAt !== null && photo.takenAt.getTime() < ctx.reportedAt.getTime() - CLOCK_SKEW_MS) {
    flags.push({
      code: 'taken_before_report',
      message: `整改后照片的拍摄时间（${chinaTime(photo.takenAt)}）早于问题上报时间（${chinaTime(ctx.reportedAt)}），请核实 (taken before the case was reported)`,
      data: { takenAt: photo.takenAt.toISOString(), reportedAt: ctx.reportedAt.toISOString() },
    });
  }

  if (hasGps && ctx.caseLat !== null && ctx.caseLng !== null) {
    const d = distanceM(photo.lat!, photo.lng!, ctx.caseLat, ctx.caseLng);
    if (d > ctx.maxDistanceM) {
      flags.push({
        code: 'too_far',
        message: `照片拍摄地点距问题位置约 ${Math.round(d)} 米，超过 ${ctx.maxDistanceM} 米，请核实 (taken ${Math.round(d)} m from the case)`,
        data: { distanceM: Math.round(d), maxDistanceM: ctx.maxDistanceM },
      });
    }
  }

  if (photo.phash !== null && informative(photo.phash)) {
    const h = photo.phash;
    if (photo.phase === 'after') {
      const best = Math.min(Infinity, ...ctx.beforeHashes.filter(informative).map((b) => hamming(h, b)));
      if (best <= near) {
        flags.push({ code: 'same_as_before', message: '整改后照片与整改前照片几乎相同，可能未实际整改，请核实 (after photo nearly identical to a before photo)', data: { distance: best } });
      }
    }
    const matches = ctx.otherCaseHashes
      .filter((o) => informative(o.phash))
      .map((o) => ({ caseId: o.caseId, caseNo: o.caseNo, distance: hamming(h, o.phash) }))
      .filter((m) => m.distance <= near)
      .sort((a, b) => a.distance - b.distance || a.caseId - b.caseId);
    const cases = matches.filter((m, i) => matches.findIndex((x) => x.caseId === m.caseId) === i).slice(0, 5);
    if (cases.length > 0) {
      flags.push({
        code: 'same_as_other_case',
        message: `照片与其他案件（${cases.map((c) => c.caseNo).join('、')}）的照片几乎相同，可能重复使用，请核实 (nearly identical to a photo of another case)`,
        data: { cases },
      });
    }
  }
  return flags;
}
