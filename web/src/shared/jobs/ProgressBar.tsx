import type { Job } from './api';
import { isTerminal, progressPercent, progressText } from './jobStatus';

/** A job's progress as an accessible progress bar; indeterminate (animated) while the total is unknown. */
export function ProgressBar({ job }: { job: Pick<Job, 'id' | 'status' | 'progress_done' | 'progress_total'> }) {
  const percent = progressPercent(job);
  const label = `Progress of job #${job.id}`;
  const indeterminate = percent === null && !isTerminal(job.status);
  return (
    <div className="progress">
      <div
        className={`progress-track progress-${job.status}${indeterminate ? ' progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? progressText(job) : `${percent}% (${progressText(job)})`}
        data-percent={percent ?? ''}
      >
        <div className="progress-fill" style={{ width: `${percent ?? (indeterminate ? 30 : 0)}%` }} />
      </div>
      <span className="progress-label">
        {percent === null ? progressText(job) : `${percent}% · ${progressText(job)}`}
      </span>
    </div>
  );
}
