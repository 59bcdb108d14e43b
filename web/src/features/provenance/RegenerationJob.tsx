import { Link } from '../../shared/router';
import type { Job } from '../../shared/jobs/api';
import { JobProgress } from '../../shared/jobs/JobProgress';
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

/** A provenance.regenerate job followed live, with the new takes it made; `onFinished` runs once when it ends. */
export function RegenerationJob({ initial, onFinished }: { initial: Job; onFinished: (job: Job) => void }) {
  return (
    <JobProgress variant="card" label="Regeneration" initial={initial} onFinished={onFinished}>
      {(job) => <NewTakes drafts={draftsOf(job.result)} />}
    </JobProgress>
  );
}

/** Each stale segment → the new take regeneration planned for it. */
function NewTakes({ drafts }: { drafts: Draft[] }) {
  const names = useSegmentLabels(drafts.map((d) => d.old_segment_id));
  if (drafts.length === 0) return null;
  return (
    <ul className="new-segments" aria-label="New segments">
      {drafts.map((d) => (
        <li key={d.new_segment_id}>
          <Link to={provenanceRoutes.segment(d.old_segment_id)}>{names.nameOf(d.old_segment_id)}</Link> → new take{' '}
          <Link to={provenanceRoutes.segment(d.new_segment_id)}>#{d.new_segment_id}</Link> (pending, planned with the
          current versions)
        </li>
      ))}
    </ul>
  );
}
