// The provenance feature's API calls, typed from the OpenAPI document.
import { api, type Schemas } from '../../api/client';

export type GenerationReceipt = Schemas['GenerationReceipt'];
export type ReceiptLora = Schemas['ReceiptLora'];
export type ReceiptSummary = Schemas['ReceiptSummary'];
export type StaleReason = Schemas['StaleReason'];
export type StaleAssetGroup = Schemas['StaleAssetGroup'];
export type StaleSegment = Schemas['StaleSegment'];
export type StalenessReport = Schemas['StalenessReport'];
export type SegmentProvenance = Schemas['SegmentProvenance'];
export type AssetUsage = Schemas['AssetUsage'];
export type Asset = Schemas['Asset'];
export type Project = Schemas['Project'];
export type Job = Schemas['Job'];

export interface RegenerateAnswer {
  job: Job | null;
  segment_ids: number[];
  /** stale segments left out because they already have an open draft */
  already_queued?: { segment_id: number; draft_id: number; new_segment_id: number }[];
  message: string;
}

export const provenanceApi = {
  project: (id: number, signal?: AbortSignal) => api.get('/api/projects/{id}', { path: { id }, signal }),
  segment: (id: number, signal?: AbortSignal): Promise<SegmentProvenance> =>
    api.get('/api/segments/{id}/provenance', { path: { id }, signal }),
  report: (projectId: number, signal?: AbortSignal): Promise<StalenessReport> =>
    api.get('/api/projects/{id}/staleness-report', { path: { id: projectId }, signal }),
  regenerate: (projectId: number, segmentIds: number[]): Promise<RegenerateAnswer> =>
    api.post('/api/projects/{id}/regenerate-stale', { path: { id: projectId }, body: { segment_ids: segmentIds } }),
  asset: (id: number, signal?: AbortSignal) => api.get('/api/assets/{id}', { path: { id }, signal }),
  assetVersions: (id: number, signal?: AbortSignal): Promise<Asset[]> =>
    api.get('/api/assets/{id}/versions', { path: { id }, signal }),
  /** Reverse provenance of one version (label), or of the whole chain; `limit` 1 when only the counts matter. */
  usage: (assetId: number, version: string | null, limit: number, signal?: AbortSignal): Promise<AssetUsage> =>
    api.get('/api/assets/{id}/usage', {
      path: { id: assetId },
      query: { ...(version === null ? {} : { version }), limit },
      signal,
    }),
};

export type SegmentCredential = Schemas['SegmentCredential'];
export type CredentialReport = Schemas['CredentialReport'];

/** The C2PA credential of a segment's clip, or of `path` (a signed copy under the media roots). */
export function segmentCredential(id: number, path: string | null, signal?: AbortSignal): Promise<SegmentCredential> {
  return api.get('/api/segments/{id}/credentials', { path: { id }, query: path ? { path } : {}, signal });
}
