// Typed calls for the Open311 partner keys (设置 → Open311 合作方).
import { request } from '../../api';

export interface Partner {
  id: number; name: string; keyPrefix: string; active: boolean; createdAt: string; createdBy: string | null; lastUsedAt: string | null;
}

export const open311Api = {
  partners: () => request<{ items: Partner[] }>('GET', '/open311/partners'),
  /** The key is in this answer only: the server keeps its hash. */
  create: (name: string) => request<{ partner: Partner; key: string }>('POST', '/open311/partners', { name }),
  deactivate: (id: number) => request<Partner>('POST', `/open311/partners/${id}/deactivate`, {}),
};
