// The tagging feature's API calls: the plan of the people tags written into each video's comment, per-file edits,
// dry runs and writes (a background operation), and the history of operations with rollback.
import { api, type Schemas } from '../../api/client';

export type PlanItem = Schemas['TagPlanItem'];
export type Plan = Schemas['TagPlan'];
export type PlanStatistics = Schemas['TagPlanStatistics'];
export type PlanEdit = Schemas['TagPlanEdit'];
export type Operation = Schemas['TagOperation'];
export type OperationItem = Schemas['TagOperationItem'];
export type OperationStatus = Schemas['TagOperationStatus'];
export type WriteAnswer = Schemas['TagWriteAnswer'];
export type DryRunItem = Schemas['TagDryRunItem'];
export type RollbackAnswer = Schemas['TagRollbackAnswer'];
export type Risk = PlanItem['risk_level'];

/** The filters of the plan list (empty: no filter). */
export interface PlanFilters {
  risk: string;
  fileType: string;
  conflict: string;
  q: string;
  page: number;
}

export const taggingApi = {
  plan: (f: PlanFilters, perPage: number, signal?: AbortSignal): Promise<Plan> =>
    api.get('/api/metadata/plan', {
      query: {
        page: f.page,
        per_page: perPage,
        ...(f.risk ? { risk: f.risk } : {}),
        ...(f.fileType ? { file_type: f.fileType } : {}),
        ...(f.conflict ? { conflict: f.conflict } : {}),
        ...(f.q.trim() ? { q: f.q.trim() } : {}),
      },
      signal,
    }),
  edit: (fileHash: string, body: PlanEdit): Promise<PlanItem> =>
    api.post('/api/metadata/plan/{fileHash}/edit', { path: { fileHash }, body }),
  /** A write, or a dry run: both are background operations (a dry run checks one file at a time, with progress). */
  write: (fileHashes: string[], dryRun: boolean, confirmDanger: boolean): Promise<WriteAnswer> =>
    api.post('/api/metadata/write', {
      body: {
        file_hashes: fileHashes,
        dry_run: dryRun,
        ...(dryRun ? { background: true } : {}),
        ...(confirmDanger ? { confirm_danger: true } : {}),
      },
    }),
  operation: (id: number, signal?: AbortSignal): Promise<OperationStatus> =>
    api.get('/api/metadata/operations/{id}', { path: { id }, signal }),
  act: (id: number, action: 'pause' | 'resume' | 'cancel'): Promise<Operation> => {
    switch (action) {
      case 'pause':
        return api.post('/api/metadata/operations/{id}/pause', { path: { id } });
      case 'resume':
        return api.post('/api/metadata/operations/{id}/resume', { path: { id } });
      case 'cancel':
        return api.post('/api/metadata/operations/{id}/cancel', { path: { id } });
    }
  },
  history: (page: number, filter: HistoryFilter, signal?: AbortSignal) =>
    api.get('/api/metadata/history', {
      query: {
        page,
        per_page: 20,
        ...(filter.from ? { start_date: filter.from } : {}),
        ...(filter.to ? { end_date: filter.to } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.file ? { file: filter.file } : {}),
        ...(filter.person ? { person: filter.person } : {}),
      },
      signal,
    }),
  details: (id: number, signal?: AbortSignal): Promise<OperationStatus> =>
    api.get('/api/metadata/history/{id}', { path: { id }, signal }),
  /** Starts a rollback whose job checks each file (a changed one becomes a conflict item), with per-file progress. */
  rollback: (id: number): Promise<RollbackAnswer> =>
    api.post('/api/metadata/history/{id}/rollback', { path: { id }, query: { background: true } }),
};

/** The history's filters, as the URL's query names them (from/to are dates, YYYY-MM-DD). */
export interface HistoryFilter {
  from: string;
  to: string;
  status: string;
  file: string;
  person: string;
}
