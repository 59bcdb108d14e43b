import type { Schemas } from '../api/client';

type Job = Schemas['Job'];

/**
 * A job as the server sends it. The OpenAPI document types `params`, `state` and `result` as free-form objects
 * (generated as `Record<string, never>`), so overrides are loosely typed.
 */
export function job(overrides: { [K in keyof Job]?: unknown } = {}): Job {
  return {
    id: 7,
    kind: 'catalog.thumbnails',
    status: 'running',
    params: { project_id: 1 },
    state: null,
    result: null,
    error: null,
    progress_done: 3,
    progress_total: 12,
    current_item: 'segment 3',
    claimed_by: 'runner-1',
    heartbeat_at: '2026-11-23T10:00:01Z',
    attempts: 1,
    created_at: '2026-11-23T10:00:00Z',
    updated_at: '2026-11-23T10:00:01Z',
    started_at: '2026-11-23T10:00:00Z',
    finished_at: null,
    ...overrides,
  } as Job;
}
