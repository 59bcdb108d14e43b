// The ledger feature's API calls: the generation ledger (generated-videos.json) and mirroring a project into it.
import { api, type Schemas } from '../../api/client';

export type LedgerEntry = Schemas['LedgerEntry'];
export type LedgerStatus = LedgerEntry['status'];
export type Project = Schemas['Project'];

export const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'generating', 'ready', 'failed'];

export const ledgerApi = {
  list: (status: LedgerStatus | null, signal: AbortSignal) =>
    api.get('/api/ledger', { query: status ? { status } : {}, signal }),
  /** Every project, for the mirror form's choice (one page of up to 500). */
  /** Mirrors the project's segments into the ledger and keeps following its later changes. */
  mirror: (projectId: number) =>
    api.post('/api/projects/{id}/ledger/mirror', { path: { id: projectId }, body: { follow: true } }),
};
