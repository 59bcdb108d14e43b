// The jobs feature's API calls.
import { api, apiUrl, type Page, type Schemas } from '../../api/client';

export type Job = Schemas['Job'];
export type JobStatus = Job['status'];
export type JobAction = 'pause' | 'resume' | 'cancel';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

export const jobsApi = {
  list: (status: JobStatus | null, after: number | null, signal: AbortSignal): Promise<Page<Job>> =>
    api.get('/api/jobs', {
      // Newest first: people open this screen to see what is happening now.
      query: { order: 'desc', ...(status ? { status } : {}), ...(after === null ? {} : { after }) },
      signal,
    }),
  get: (id: number, signal?: AbortSignal) => api.get('/api/jobs/{id}', { path: { id }, signal }),
  act: (id: number, action: JobAction): Promise<Job> => {
    switch (action) {
      case 'pause':
        return api.post('/api/jobs/{id}/pause', { path: { id } });
      case 'resume':
        return api.post('/api/jobs/{id}/resume', { path: { id } });
      case 'cancel':
        return api.post('/api/jobs/{id}/cancel', { path: { id } });
    }
  },
  /** The job's Server-Sent Events stream: `progress` events while it changes, then one `end`. */
  eventsUrl: (id: number) => apiUrl('/api/jobs/{id}/events', { id }),
};
