// Catalog writes and the forms' fields, by entity. The field names are the API's, so a 400/409 naming a field is
// shown at that input. Bodies are built from what was typed; the server validates them (its field errors win).
import { api } from '../../api/client';
import type { Body, FieldSpec } from './EntityForm';

export type EntityKind = 'projects' | 'characters' | 'scene-types' | 'scenes' | 'segments' | 'images' | 'image-variants';

export const LABELS: Record<EntityKind, string> = {
  projects: 'project',
  characters: 'character',
  'scene-types': 'scene type',
  scenes: 'scene',
  segments: 'segment',
  images: 'image',
  'image-variants': 'image variant',
};

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export const SCENE_STATUSES = ['pending', 'generating', 'complete', 'approved', 'rejected'] as const;
export const SEGMENT_STATUSES = ['pending', 'generating', 'complete', 'failed', 'approved', 'rejected'] as const;
const VARIANT_STATUSES = ['pending', 'generated', 'approved', 'rejected'] as const;

export const FIELDS = {
  projects: [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'description', label: 'Description', kind: 'textarea' },
  ],
  characters: [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'description', label: 'Description', kind: 'textarea' },
    { name: 'tags', label: 'Tags', kind: 'tags', hint: 'Separated by commas' },
    { name: 'height', label: 'Height', kind: 'text' },
    { name: 'build', label: 'Build', kind: 'text' },
    { name: 'hair_color', label: 'Hair colour', kind: 'text' },
    { name: 'eye_color', label: 'Eye colour', kind: 'text' },
  ],
  'scene-types': [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'description', label: 'Description', kind: 'textarea' },
  ],
  segments: [
    { name: 'sequence_index', label: 'Position in the scene', kind: 'integer', required: true, hint: '0 is the first' },
    { name: 'output_video_path', label: 'Video file', kind: 'text', hint: 'A path inside the media roots' },
    { name: 'seed_frame_path', label: 'Seed frame', kind: 'text' },
    { name: 'last_frame_path', label: 'Last frame', kind: 'text' },
    { name: 'status', label: 'Status', kind: 'select', required: true, options: options(SEGMENT_STATUSES) },
  ],
  images: [
    { name: 'filename', label: 'File name', kind: 'text', required: true },
    { name: 'path', label: 'Path', kind: 'text', required: true, hint: 'A path inside the media roots' },
    { name: 'content_hash', label: 'Content hash', kind: 'text' },
  ],
  'image-variants': [
    { name: 'variant_type', label: 'Variant', kind: 'text', required: true, hint: 'e.g. front, profile, full body' },
    { name: 'status', label: 'Status', kind: 'select', required: true, options: options(VARIANT_STATUSES) },
  ],
} satisfies Partial<Record<EntityKind, readonly FieldSpec[]>>;

/** A scene's fields need the project's scene types for their select. */
export function sceneFields(sceneTypes: readonly { id: number; name: string }[]): FieldSpec[] {
  return [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    {
      name: 'scene_type_id',
      label: 'Scene type',
      kind: 'ref',
      required: true,
      options: sceneTypes.map((t) => ({ value: String(t.id), label: t.name })),
    },
    { name: 'status', label: 'Status', kind: 'select', required: true, options: options(SCENE_STATUSES) },
  ];
}

// The API's bodies are typed per entity; the forms build them generically and the server checks them.
/* eslint-disable @typescript-eslint/no-explicit-any */
export const catalogWrites = {
  create: (kind: EntityKind, body: Body): Promise<{ id: number }> => api.post(`/api/${kind}` as any, { body } as any) as Promise<{ id: number }>,
  update: (kind: EntityKind, id: number, body: Body): Promise<unknown> =>
    api.patch(`/api/${kind}/{id}` as any, { path: { id }, body } as any),
  remove: (kind: EntityKind, id: number, confirm?: string): Promise<unknown> =>
    api.delete(`/api/${kind}/{id}` as any, { path: { id }, ...(confirm !== undefined ? { query: { confirm } } : {}) } as any),
  addPerson: (segmentId: number, name: string) =>
    api.post('/api/segments/{id}/people', { path: { id: segmentId }, body: { name } }),
  removePerson: (segmentId: number, personId: number) =>
    api.delete('/api/segments/{id}/people/{personId}', { path: { id: segmentId, personId } }),
  people: (segmentId: number, signal?: AbortSignal) => api.get('/api/segments/{id}/people', { path: { id: segmentId }, signal }),
};
