import type { ReactNode } from 'react';
import { Link } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { StatusBadge } from '../ui/StatusBadge';
import type { Job } from './api';
import { ProgressBar } from './ProgressBar';
import { useJobProgress, type JobProgressOptions } from './useJobProgress';

export interface JobProgressProps extends JobProgressOptions {
  /** The job as its start answered (followed from there by `useJobProgress`). */
  initial: Job;
  /** The job's name before " job #N", e.g. "Sidecar export": the accessible name of its region or card. */
  label: string;
  /**
   * `region` (default): a region with the job number, status, a link to the Jobs screen, progress, "Now:" and the
   * failure. `card`: an article card titled `title` (default `label`) with the job number as a link. `inline`: status
   * and progress only, next to the button that started the job.
   */
  variant?: 'region' | 'card' | 'inline';
  /** `region`: shown in bold before the job number; `card`: the card's title. */
  title?: ReactNode;
  /** The region's class (its look on the screen that shows it). */
  className?: string;
  /** What to show under the progress, given the latest job (e.g. its result). */
  children?: (job: Job) => ReactNode;
}

/** A background job followed live, with its progress: the one component every screen shows a running job with. */
export function JobProgress({ initial, label, variant = 'region', title, className, children, ...options }: JobProgressProps) {
  const { job, pollError } = useJobProgress(initial, options);
  const lost = pollError ? <ErrorNotice error={pollError} title="Lost track of this job; still retrying" inline /> : null;
  const failed = job.error ? <p className="error-text">Failed: {job.error}</p> : null;

  if (variant === 'inline') {
    return (
      <span className="inline-progress" data-job-id={job.id} aria-label={`${label} job #${job.id}: ${job.status}`}>
        <StatusBadge status={job.status} />
        <ProgressBar job={job} />
      </span>
    );
  }
  if (variant === 'card') {
    return (
      <article className="card job-card" aria-label={`${label} job #${job.id}`} data-job-id={job.id} data-status={job.status}>
        <header className="job-header">
          <h3 className="card-title">
            {title ?? label} <Link to={`/jobs?job=${job.id}`} className="mono">#{job.id}</Link>
          </h3>
          <StatusBadge status={job.status} />
        </header>
        <ProgressBar job={job} />
        {failed}
        {children ? children(job) : null}
        {lost}
      </article>
    );
  }
  return (
    <div className={className} role="region" aria-label={`${label} job #${job.id}`} data-status={job.status}>
      <p className="job-header">
        {title ? (
          <>
            <strong>{title}</strong>{' '}
          </>
        ) : null}
        <span className="mono muted">job #{job.id}</span> <StatusBadge status={job.status} />{' '}
        <Link to={`/jobs?job=${job.id}`} className="meta">
          on the Jobs screen
        </Link>
      </p>
      <ProgressBar job={job} />
      {job.current_item && job.status === 'running' ? <p className="meta">Now: {job.current_item}</p> : null}
      {failed}
      {children ? children(job) : null}
      {lost}
    </div>
  );
}
