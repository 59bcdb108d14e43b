// The exports feature's API calls: sidecar templates (list, edit, live preview), sidecar export jobs and
// training-dataset exports.
import { api, type Schemas } from '../../api/client';

export type SidecarTemplate = Schemas['SidecarTemplate'];
export type SidecarFormat = SidecarTemplate['format'];
export type SidecarPreview = Schemas['SidecarPreview'];
export type DatasetExport = Schemas['DatasetExport'];
export type DatasetRequest = Schemas['DatasetExportRequest'];
export type Job = Schemas['Job'];
export type Project = Schemas['Project'];
export type Character = Schemas['Character'];
export type SceneType = Schemas['SceneType'];

/** What the editor sends: template_json is any JSON object (the OpenAPI document declares it free-form). */
export interface TemplateDraft {
  name: string;
  description?: string | null;
  format: SidecarFormat;
  target_tool?: string | null;
  template_json: Record<string, unknown>;
}

type TemplateJson = NonNullable<Schemas['SidecarTemplateInput']['template_json']>;
const asInput = (d: TemplateDraft): Schemas['SidecarTemplateInput'] => ({ ...d, template_json: d.template_json as TemplateJson });

/** GET /api/sidecar-fields (declared free-form in the OpenAPI document; these are the keys SidecarRoutes writes). */
export interface FieldCatalogue {
  formats: { format: SidecarFormat; extension: string; granularity: string; shape: string }[];
  clip_fields: Record<string, string>;
  frame_columns: Record<string, string>;
}

export interface SidecarExportBody {
  template_ids: number[];
  character_id: number | null;
  include_media: boolean;
}

export const exportsApi = {
  /** The clip fields and frame columns templates may use, and each format's template_json shape. */
  fields: async (signal: AbortSignal): Promise<FieldCatalogue> =>
    (await api.get('/api/sidecar-fields', { signal })) as unknown as FieldCatalogue,
  characters: (projectId: number, signal: AbortSignal) =>
    api.get('/api/characters', { query: { project_id: projectId, limit: 500 }, signal }),
  sceneTypes: (projectId: number, signal: AbortSignal) =>
    api.get('/api/scene-types', { query: { project_id: projectId, limit: 500 }, signal }),

  templates: (signal: AbortSignal) => api.get('/api/sidecar-templates', { signal }),
  createTemplate: (draft: TemplateDraft): Promise<SidecarTemplate> =>
    api.post('/api/sidecar-templates', { body: asInput(draft) }),
  updateTemplate: (id: number, draft: TemplateDraft): Promise<SidecarTemplate> =>
    api.put('/api/sidecar-templates/{id}', { path: { id }, body: asInput(draft) }),
  deleteTemplate: (id: number) => api.delete('/api/sidecar-templates/{id}', { path: { id } }),
  /** Renders an unsaved template against the sample clip (the editor's live preview). */
  preview: (draft: Pick<TemplateDraft, 'name' | 'format' | 'template_json'>, signal: AbortSignal): Promise<SidecarPreview> =>
    api.post('/api/sidecar-templates/preview', {
      body: { name: draft.name, format: draft.format, template_json: draft.template_json as TemplateJson },
      signal,
    }),

  exportSidecars: (projectId: number, body: SidecarExportBody): Promise<Job> =>
    api.post('/api/projects/{id}/export-sidecars', { path: { id: projectId }, body }),
  sidecarDownloadUrl: (jobId: number) => `/api/sidecar-exports/${jobId}/download`,

  exportDataset: (projectId: number, body: DatasetRequest): Promise<DatasetExport> =>
    api.post('/api/projects/{id}/export-dataset', { path: { id: projectId }, body }),
  datasets: (projectId: number, signal: AbortSignal) =>
    api.get('/api/projects/{id}/datasets', { path: { id: projectId }, signal }),
  dataset: (projectId: number, datasetId: number, signal?: AbortSignal): Promise<DatasetExport> =>
    api.get('/api/projects/{id}/datasets/{datasetId}', { path: { id: projectId, datasetId }, signal }),
  datasetDownloadUrl: (projectId: number, datasetId: number) => `/api/projects/${projectId}/datasets/${datasetId}/download`,
  job: (id: number, signal?: AbortSignal): Promise<Job> => api.get('/api/jobs/{id}', { path: { id }, signal }),
};
