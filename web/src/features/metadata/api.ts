// The metadata feature's API calls: the JSON files Reelmark writes for characters (character_metadata.json) and
// scenes (video_metadata.json), whether each is current, project-wide regeneration and delivery packaging.
import { api, type Schemas } from '../../api/client';

export type MetadataStatus = Schemas['MetadataStaleness'];
export type MetadataFile = Schemas['MetadataFile'];
export type DeliveryCheck = Schemas['MetadataDeliveryCheck'];
export type CharacterCheck = DeliveryCheck['characters'][number];
export type Job = Schemas['Job'];
export type Project = Schemas['Project'];

/** A character's or a scene's metadata file. */
export type MetadataEntity = 'character' | 'scene';
export type DeliveryFormat = 'folder' | 'zip';

export const metadataApi = {
  status: (entity: MetadataEntity, id: number, signal?: AbortSignal): Promise<MetadataStatus> =>
    entity === 'character'
      ? api.get('/api/characters/{id}/metadata', { path: { id }, signal })
      : api.get('/api/scenes/{id}/metadata', { path: { id }, signal }),

  /** The file as it would be written now (nothing is written). */
  preview: (entity: MetadataEntity, id: number, signal?: AbortSignal): Promise<unknown> =>
    entity === 'character'
      ? api.get('/api/characters/{id}/metadata/preview', { path: { id }, signal })
      : api.get('/api/scenes/{id}/metadata/preview', { path: { id }, signal }),

  /** Writes the file now. */
  regenerate: (entity: MetadataEntity, id: number): Promise<MetadataFile> =>
    entity === 'character'
      ? api.post('/api/characters/{id}/metadata/regenerate', { path: { id } })
      : api.post('/api/scenes/{id}/metadata/regenerate', { path: { id } }),

  /** Every project, for the project picker (one page of up to 500). */

  stale: (projectId: number, signal?: AbortSignal) =>
    api.get('/api/projects/{id}/metadata/stale', { path: { id: projectId }, signal }),

  /** Starts the metadata.regenerate job: every file of the project, or only the stale ones. */
  regenerateProject: (projectId: number, staleOnly: boolean): Promise<Job> =>
    api.post('/api/projects/{id}/metadata/regenerate', { path: { id: projectId }, body: { stale_only: staleOnly } }),

  deliveryCheck: (projectId: number, signal?: AbortSignal): Promise<DeliveryCheck> =>
    api.get('/api/projects/{id}/metadata/delivery-check', { path: { id: projectId }, signal }),

  deliver: (projectId: number, format: DeliveryFormat) =>
    api.post('/api/projects/{id}/metadata/deliver', { path: { id: projectId }, body: { format } }),
};

export type StaleReport = Awaited<ReturnType<typeof metadataApi.stale>>;
export type Delivery = Awaited<ReturnType<typeof metadataApi.deliver>>;
