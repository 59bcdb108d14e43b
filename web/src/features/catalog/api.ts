// The catalog's API calls, typed from the OpenAPI document.
import { api, apiUrl, type Page, type Schemas } from '../../api/client';

export type Project = Schemas['Project'];
export type Character = Schemas['Character'];
export type SceneType = Schemas['SceneType'];
export type Scene = Schemas['Scene'];
export type Segment = Schemas['Segment'];
export type SegmentQuality = Schemas['SegmentQuality'];
export type Asset = Schemas['Asset'];
export type AssetKind = Asset['kind'];
export type Job = Schemas['Job'];

export const ASSET_KINDS: readonly AssetKind[] = ['model', 'lora', 'workflow', 'custom_node'];

/**
 * GET /api/segments/{id}/media. The OpenAPI document declares this answer as a free-form object; these are the
 * fields the server writes (SegmentMedia.technicalInfo).
 */
/** Technical info of a segment's video, as ffprobe saw it (generated from the OpenAPI schema). */
export type SegmentMediaInfo = Schemas['SegmentMedia'];

type After = number | null;
const page = (after: After) => (after === null ? {} : { after });

export const catalogApi = {
  projects: (after: After, signal: AbortSignal): Promise<Page<Project>> =>
    api.get('/api/projects', { query: page(after), signal }),
  project: (id: number, signal?: AbortSignal) => api.get('/api/projects/{id}', { path: { id }, signal }),

  characters: (projectId: number, after: After, signal: AbortSignal): Promise<Page<Character>> =>
    api.get('/api/characters', { query: { project_id: projectId, ...page(after) }, signal }),
  character: (id: number, signal?: AbortSignal) => api.get('/api/characters/{id}', { path: { id }, signal }),

  sceneTypes: (projectId: number, signal: AbortSignal): Promise<Page<SceneType>> =>
    api.get('/api/scene-types', { query: { project_id: projectId, limit: 500 }, signal }),
  sceneType: (id: number, signal?: AbortSignal) => api.get('/api/scene-types/{id}', { path: { id }, signal }),

  scenes: (characterId: number, after: After, signal: AbortSignal): Promise<Page<Scene>> =>
    api.get('/api/scenes', { query: { character_id: characterId, ...page(after) }, signal }),
  scene: (id: number, signal?: AbortSignal) => api.get('/api/scenes/{id}', { path: { id }, signal }),

  segments: (sceneId: number, after: After, signal: AbortSignal): Promise<Page<Segment>> =>
    api.get('/api/segments', { query: { scene_id: sceneId, ...page(after) }, signal }),

  segmentMedia: (id: number, signal: AbortSignal): Promise<SegmentMediaInfo> =>
    api.get('/api/segments/{id}/media', { path: { id }, signal }),

  /** The segment's quality record, or null when it has none. */
  segmentQuality: async (segmentId: number, signal: AbortSignal): Promise<SegmentQuality | null> => {
    const answer = await api.get('/api/segment-quality', { query: { segment_id: segmentId, limit: 1 }, signal });
    return answer.items[0] ?? null;
  },

  assets: (
    filter: { kind: AssetKind | null; currentOnly: boolean },
    after: After,
    signal: AbortSignal,
  ): Promise<Page<Asset>> =>
    api.get('/api/assets', {
      query: {
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.currentOnly ? { is_current_version: true } : {}),
        ...page(after),
      },
      signal,
    }),
  assetVersions: (id: number, signal: AbortSignal): Promise<Asset[]> =>
    api.get('/api/assets/{id}/versions', { path: { id }, signal }),

  /** Starts the job that makes every segment's thumbnail in the project. */
  startThumbnails: (projectId: number): Promise<Job> =>
    api.post('/api/projects/{id}/thumbnails', { path: { id: projectId } }),
};

export const thumbnailUrl = (segmentId: number) => apiUrl('/api/segments/{id}/thumbnail', { id: segmentId });
