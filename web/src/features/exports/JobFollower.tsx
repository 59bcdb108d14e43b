import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { isTerminal } from '../../shared/jobs/jobStatus';
import { ProgressBar } from '../../shared/jobs/ProgressBar';
import { useJobEvents } from '../../shared/jobs/useJobEvents';
import type { Job } from './api';

/** A background job followed live, with its progress; `onFinished` runs once when it reaches a terminal state. */
export function JobFollower({
  initial,
  label,
  onFinished,
  children,
}: {
  initial: Job;
  /** The region's name before " job #N", e.g. "Sidecar export". */
  label: string;
  onFinished?: (job: Job) => void;
  /** What to show under the progress, given the latest job. */
  children?: (job: Job) => ReactNode;
}) {
  const { job, pollError } = useJobEvents(initial);
  const finished = useRef(false);
  const ended = isTerminal(job.status);

  useEffect(() => {
    if (ended && !finished.current) {
      finished.current = true;
      onFinished?.(job);
    }
    // onFinished is a new closure each render; only the end matters.
  }, [ended, job]);

  return (
    <div className="exports-job" role="region" aria-label={`${label} job #${job.id}`} data-status={job.status}>
      <p className="job-header">
        <span className="mono muted">job #{job.id}</span> <StatusBadge status={job.status} />{' '}
        <Link to={`/jobs?job=${job.id}`} className="meta">
          on the Jobs screen
        </Link>
      </p>
      <ProgressBar job={job} />
      {job.current_item && job.status === 'running' ? <p className="meta">Now: {job.current_item}</p> : null}
      {job.error ? <p className="error-text">Failed: {job.error}</p> : null}
      {children ? children(job) : null}
      {pollError ? <ErrorNotice error={pollError} title="Lost track of this job; still retrying" inline /> : null}
    </div>
  );
}
