import { useEffect, useRef } from 'react';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import type { Job } from '../../shared/jobs/api';
import { isTerminal } from '../../shared/jobs/jobStatus';
import { ProgressBar } from '../../shared/jobs/ProgressBar';
import { useJobEvents } from '../../shared/jobs/useJobEvents';
import { provenanceRoutes } from '../../shared/routes';
import { useSegmentLabels } from '../../shared/media/useSegmentLabels';

interface Draft {
  old_segment_id: number;
  new_segment_id: number;
}

function draftsOf(result: unknown): Draft[] {
  const drafts = (result as { drafts?: unknown } | null)?.drafts;
  if (!Array.isArray(drafts)) return [];
  return drafts.filter(
    (d): d is Draft =>
      typeof d === 'object' && d !== null && typeof (d as Draft).old_segment_id === 'number' && typeof (d as Draft).new_segment_id === 'number',
  );
}

/** A provenance.regenerate job followed live (jobs feature); `onFinished` runs once when it ends. */
export function RegenerationJob({ initial, onFinished }: { initial: Job; onFinished: (job: Job) => void }) {
  const { job, pollError } = useJobEvents(initial);
  const reported = useRef(false);
  useEffect(() => {
    if (isTerminal(job.status) && !reported.current) {
      reported.current = true;
      onFinished(job);
    }
  }, [job, onFinished]);
  const drafts = draftsOf(job.result);
  const names = useSegmentLabels(drafts.map((d) => d.old_segment_id));
  return (
    <article className="card job-card" aria-label={`Regeneration job #${job.id}`} data-job-id={job.id} data-status={job.status}>
      <header className="job-header">
        <h3 className="card-title">
          Regeneration <Link to={`/jobs?job=${job.id}`} className="mono">#{job.id}</Link>
        </h3>
        <StatusBadge status={job.status} />
      </header>
      <ProgressBar job={job} />
      {job.error ? <p className="error-text">Failed: {job.error}</p> : null}
      {drafts.length > 0 ? (
        <ul className="new-segments" aria-label="New segments">
          {drafts.map((d) => (
            <li key={d.new_segment_id}>
              <Link to={provenanceRoutes.segment(d.old_segment_id)}>{names.nameOf(d.old_segment_id)}</Link> → new take{' '}
              <Link to={provenanceRoutes.segment(d.new_segment_id)}>#{d.new_segment_id}</Link> (pending, planned with the
              current versions)
            </li>
          ))}
        </ul>
      ) : null}
      {pollError ? <ErrorNotice error={pollError} title="Lost track of this job; still retrying" inline /> : null}
    </article>
  );
}

/** The regeneration job's progress, shown next to the button that started it. */
export function InlineJobProgress({ initial }: { initial: Job }) {
  const { job } = useJobEvents(initial);
  return (
    <span className="inline-progress" data-job-id={job.id} aria-label={`Regeneration job #${job.id}: ${job.status}`}>
      <StatusBadge status={job.status} />
      <ProgressBar job={job} />
    </span>
  );
}
