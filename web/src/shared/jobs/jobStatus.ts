// What a job's status means for the UI: progress, terminal states and which actions are legal.
// The transitions mirror the server's JobService: pause from queued/running, resume from paused, cancel from
// queued/running/paused. Anything else answers 409.
import type { Job, JobAction, JobStatus } from './api';

const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

/** Whole percent done (0..100), or null while the total is unknown (an indeterminate bar). */
export function progressPercent(job: Pick<Job, 'status' | 'progress_done' | 'progress_total'>): number | null {
  const total = job.progress_total;
  if (total === null || total === undefined) return job.status === 'completed' ? 100 : null;
  if (total <= 0) return job.status === 'completed' ? 100 : 0;
  const percent = Math.floor((job.progress_done / total) * 100);
  return Math.min(100, Math.max(0, percent));
}

/** "12 of 18", "12 done" when the total is unknown. */
export function progressText(job: Pick<Job, 'progress_done' | 'progress_total'>): string {
  return job.progress_total === null || job.progress_total === undefined
    ? `${job.progress_done} done`
    : `${job.progress_done} of ${job.progress_total}`;
}

/** Which of pause, resume and cancel the server accepts in this status. */
export function allowedActions(status: JobStatus): Record<JobAction, boolean> {
  return {
    pause: status === 'queued' || status === 'running',
    resume: status === 'paused',
    cancel: status === 'queued' || status === 'running' || status === 'paused',
  };
}

export const ACTION_LABELS: Record<JobAction, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' };
