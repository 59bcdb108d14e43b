// The audit feature's API call: search the append-only audit log (admins).
import { api, type Schemas } from '../../api/client';

export type AuditEntry = Schemas['AuditEntry'];

export interface AuditFilter {
  user: string;
  entity: string;
}

export const auditApi = {
  search: (filter: AuditFilter, before: number | null, signal?: AbortSignal) =>
    api.get('/api/audit', {
      query: {
        user: filter.user || undefined,
        entity: filter.entity || undefined,
        limit: 50,
        before: before ?? undefined,
      },
      signal,
    }),
};
