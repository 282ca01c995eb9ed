// The map's calls: cases with coordinates, the boundaries of an area's micro-grids, the categories.
import type { FeatureCollection, Geometry } from 'geojson';
import { request, qs, type Query } from '../../api';
import type { CaseState } from '../../../../../packages/shared/src/cases';

export interface MapCase { id: number; no: string; lat: number; lng: number; state: CaseState; overdue: boolean; categoryName: string; areaId: number }
export interface BoundaryProps { id: number; code: string; name: string; level: string }
export type Boundaries = FeatureCollection<Geometry, BoundaryProps>;

export interface MapFilter { areaId?: number; state?: string; categoryId?: number; from?: string; to?: string; overdue?: boolean }

export const mapApi = {
  cases: (f: MapFilter) => request<MapCase[]>('GET', '/cases/map' + qs(f as Query)),
  boundaries: (areaId: number, level = 'micro_grid') => request<Boundaries>('GET', `/areas/${areaId}/boundaries` + qs({ level })),
};
