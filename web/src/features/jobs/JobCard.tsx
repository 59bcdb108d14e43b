import { useCan } from '../../shared/session/permissions';
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { formatDateTime } from '../../shared/ui/format';
import { jobsApi, type Job, type JobAction } from '../../shared/jobs/api';
import { ACTION_LABELS, allowedActions } from '../../shared/jobs/jobStatus';
import { ProgressBar } from '../../shared/jobs/ProgressBar';
import { useJobProgress } from '../../shared/jobs/useJobProgress';
import { failureLines, kindLabel, resultFacts } from './jobPresentation';
import { useApiData } from '../../api/useApiData';
import { api } from '../../api/client';
import { useSegmentLabels } from '../../shared/media/useSegmentLabels';


const TRANSPORT_LABELS = { stream: 'live', polling: 'polling', done: null } as const;

/** One job, followed live, with its pause/resume/cancel buttons. */
export function JobCard({ initial, highlighted = false }: { initial: Job; highlighted?: boolean }) {
  const { job, transport, pollError, update } = useJobProgress(initial);
  const [pending, setPending] = useState<JobAction | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const allowed = allowedActions(job.status);
  const rawProject = (job.params as Record<string, unknown> | null | undefined)?.project_id;
  const canControl = useCan('edit', typeof rawProject === 'number' ? rawProject : null);
  const titleId = `job-${job.id}-title`;
  const cardRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (highlighted) cardRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlighted]);

  const act = async (action: JobAction) => {
    setPending(action);
    setActionError(null);
    try {
      update(await jobsApi.act(job.id, action));
    } catch (error) {
      setActionError(toApiError(error));
    } finally {
      setPending(null);
    }
  };

  const transportLabel = TRANSPORT_LABELS[transport];
  return (
    <article
      ref={cardRef}
      className={highlighted ? 'card job-card highlighted' : 'card job-card'}
      aria-labelledby={titleId}
      data-job-id={job.id}
      data-status={job.status}
    >
      <header className="job-header">
        <h3 id={titleId} className="card-title">
          {kindLabel(job.kind)} <span className="mono muted">#{job.id}</span>
        </h3>
        <StatusBadge status={job.status} />
        {transportLabel ? (
          <span className={`transport transport-${transport}`} title="How this page follows the job">
            {transportLabel}
          </span>
        ) : null}
      </header>
      <JobSubject params={job.params} />
      <ProgressBar job={job} />
      <CurrentItem job={job} />
      {job.error ? <p className="error-text">Failed: {job.error}</p> : null}
      <JobResult result={job.result} />
      <p className="meta">
        Created <time dateTime={job.created_at}>{formatDateTime(job.created_at)}</time>
        {job.started_at ? (
          <>
            {' · started '}
            <time dateTime={job.started_at}>{formatDateTime(job.started_at)}</time>
          </>
        ) : null}
        {job.finished_at ? (
          <>
            {' · finished '}
            <time dateTime={job.finished_at}>{formatDateTime(job.finished_at)}</time>
          </>
        ) : null}
        {job.attempts > 1 ? ` · ${job.attempts} attempts` : null}
      </p>
      {canControl ? (
        <div className="job-actions" role="group" aria-label={`Actions for job #${job.id}`}>
          {(['pause', 'resume', 'cancel'] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'cancel' ? 'button button-danger button-small' : 'button button-small'}
              disabled={!allowed[action] || pending !== null}
              aria-busy={pending === action}
              onClick={() => act(action)}
            >
              {pending === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      ) : null}
      {actionError ? (
        <ErrorNotice
          error={actionError}
          title={actionError.status === 409 ? 'The job cannot do that now' : 'The action failed'}
          inline
        />
      ) : null}
      {pollError ? <ErrorNotice error={pollError} title="Lost track of this job; still retrying" inline /> : null}
    </article>
  );
}

/** The item the job is on (running) or stopped at (paused, failed). */
function CurrentItem({ job }: { job: Job }) {
  if (!job.current_item || job.status === 'completed' || job.status === 'cancelled') return null;
  const label = job.status === 'running' ? 'Now' : job.status === 'failed' ? 'Failed at' : 'Stopped at';
  return (
    <p className="meta">
      {label}: {job.current_item}
    </p>
  );
}

/** What the job works on, when its parameters name a project: by its name. */
function JobSubject({ params }: { params: Job['params'] }) {
  const raw = (params as Record<string, unknown> | null | undefined)?.project_id;
  const projectId = typeof raw === 'number' ? raw : null;
  const project = useApiData(
    (signal) => (projectId === null ? Promise.resolve(null) : api.get('/api/projects/{id}', { path: { id: projectId }, signal })),
    [projectId],
    { live: null },
  );
  if (projectId === null) return null;
  return (
    <p className="meta job-subject">
      For <Link to={`/catalog/projects/${projectId}`}>{project.data?.name ?? `project #${projectId}`}</Link>
    </p>
  );
}

/** A job's result: its values formatted (sizes, file names, download links) and each failure with its reason. */
function JobResult({ result }: { result: Job['result'] }) {
  const facts = resultFacts(result);
  const failures = failureLines(result);
  const names = useSegmentLabels(failures.flatMap((f) => (f.segmentId === undefined ? [] : [f.segmentId])));
  return (
    <>
      {facts.length > 0 ? (
        <dl className="facts facts-inline" aria-label="Result">
          {facts.map((f) => (
            <div key={f.key}>
              <dt>{f.label}</dt>
              <dd title={f.title}>
                {f.href ? (
                  <a href={f.href} download>
                    {f.text}
                  </a>
                ) : (
                  f.text
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {failures.length > 0 ? (
        <details className="failures" open={failures.length <= 5}>
          <summary>
            {failures.length} {failures.length === 1 ? 'item' : 'items'} failed
          </summary>
          <ul className="failure-list">
            {failures.map((f, i) => (
              <li key={i}>
                {f.href ? <Link to={f.href}>{f.segmentId !== undefined ? names.nameOf(f.segmentId) : f.what}</Link> : f.what}:{' '}
                {f.why}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
