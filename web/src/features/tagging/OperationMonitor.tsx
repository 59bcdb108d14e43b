import { useCan } from '../../shared/session/permissions';
import { useEffect, useRef, useState } from 'react';
import { isAbort, type ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import type { Job } from '../../shared/jobs/api';
import { useJobProgress } from '../../shared/jobs/useJobProgress';
import { taggingApi, type OperationStatus } from './api';
import { files, isFinalOperation, operationTone } from './logic';

/** Whether the operation's job is followed live (it has one, with an event stream, and the browser has EventSource). */
function followsJob(status: OperationStatus): boolean {
  return !!status.job && !!status.events_url && typeof EventSource !== 'undefined';
}

/** Follows the operation's job with the app's one job follower; `onChange` runs on each of its changes. */
function JobEvents({ job, onChange }: { job: Job; onChange: () => void }) {
  useJobProgress(job, { onChange });
  return null;
}

/**
 * Follows a write or rollback operation until it is final: each change of its job (`useJobProgress`: the job's event
 * stream, or polling) re-reads GET /api/metadata/operations/{id}, which is also polled (slowly while the job is
 * followed, every `pollMs` without a stream). Shows progress, the file being
 * written, each file's status, and pause/resume/cancel. `onFinished` runs once at the end.
 */
export function OperationMonitor({
  id,
  title,
  onFinished,
  pollMs = 500,
}: {
  id: number;
  title: string;
  onFinished?: (status: OperationStatus) => void;
  pollMs?: number;
}) {
  const [status, setStatus] = useState<OperationStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [acting, setActing] = useState(false);
  const [generation, setGeneration] = useState(0);
  const finished = useRef(false);
  const final = status !== null && isFinalOperation(status.operation.status);

  // set by the polling effect below: re-reads the operation now (each event of its job)
  const refreshNow = useRef<() => void>(() => {});

  useEffect(() => {
    if (final) return;
    const controller = new AbortController();
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const refresh = async (): Promise<OperationStatus | null> => {
      try {
        const next = await taggingApi.operation(id, controller.signal);
        if (disposed) return null;
        setError(null);
        setStatus(next);
        return next;
      } catch (e) {
        if (!isAbort(e) && !disposed) setError(toApiError(e));
        return null;
      }
    };
    refreshNow.current = () => void refresh();
    // Polling is the fallback, and a slow safety net while the job is followed (JobEvents below).
    const poll = async () => {
      timer = null;
      const next = await refresh();
      if (disposed || (next && isFinalOperation(next.operation.status))) return;
      timer = setTimeout(poll, next && followsJob(next) ? pollMs * 6 : pollMs);
    };
    void poll();
    return () => {
      disposed = true;
      controller.abort();
      if (timer !== null) clearTimeout(timer);
    };
  }, [id, final, pollMs, generation]);

  useEffect(() => {
    if (final && status && !finished.current) {
      finished.current = true;
      onFinished?.(status);
    }
    // onFinished is a new closure each render; only the end matters.
  }, [final, status]);

  const act = async (action: 'pause' | 'resume' | 'cancel') => {
    setActing(true);
    try {
      await taggingApi.act(id, action);
      setError(null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setActing(false);
      setGeneration((g) => g + 1);
    }
  };

  const op = status?.operation;
  // A pause is asked of the worker, which finishes the file it is writing first: until its job stops it is pausing.
  // The job is paused at once but its runner keeps its claim until it stops (claimed_by is cleared then).
  const pausing = op?.status === 'paused' && !!status?.job && status.job.status !== 'queued' && status.job.claimed_by != null;
  const shownStatus = pausing ? 'pausing…' : op?.status.replace(/_/g, ' ');
  const canControl = useCan('lead');
  const done = status?.progress.done ?? 0;
  const total = status?.progress.total ?? 0;
  const percent = total > 0 ? Math.round((done * 100) / total) : final ? 100 : 0;
  const current = (status?.progress as { current_item?: string } | undefined)?.current_item;
  return (
    <div className="tag-operation" role="region" aria-label={`${title} #${id}`} data-status={op?.status ?? 'loading'}>
      <p className="job-header">
        <strong>{title}</strong> <span className="mono muted">operation #{id}</span>{' '}
        {op ? (
          <span className={`badge badge-${pausing ? 'wait' : operationTone(op.status)}`} data-testid="operation-status">
            {pausing ? 'Pausing…' : shownStatus}
          </span>
        ) : null}
      </p>
      <div className="progress">
        <div
          className={`progress-track progress-${final ? 'completed' : 'running'}`}
          role="progressbar"
          aria-label={`Progress of operation #${id}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}% (${done} of ${total})`}
        >
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <span className="progress-label">
          {percent}% · {done} of {files(total)}
        </span>
      </div>
      {current && !final ? <p className="meta">Now: {current}</p> : null}
      {pausing ? (
        <p className="meta" role="status">
          Pausing… the file being written is finished first.
        </p>
      ) : null}
      {op && !final && canControl ? (
        <div className="job-actions" role="group" aria-label="Control the operation">
          {op.status === 'paused' && !pausing ? (
            <button type="button" className="button" disabled={acting} onClick={() => act('resume')}>
              Resume
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={acting || pausing || op.status === 'cancelling'}
              onClick={() => act('pause')}
            >
              {pausing ? 'Pausing…' : 'Pause'}
            </button>
          )}
          <button type="button" className="button button-danger" disabled={acting || op.status === 'cancelling'} onClick={() => act('cancel')}>
            Cancel
          </button>
        </div>
      ) : null}
      {op && final ? (
        <p role="status" className="tag-operation-result">
          {op.success_count} written · {op.failure_count} failed · {op.skipped_count} skipped
          {op.error_message ? ` — ${op.error_message}` : ''}
        </p>
      ) : null}
      {status && status.items.length > 0 ? (
        <ul className="tag-operation-items" aria-label={`Files of operation #${id}`}>
          {status.items.map((item) => (
            <li key={item.id} data-status={item.status}>
              <span className={`badge badge-${operationTone(item.status)}`}>{item.status}</span>{' '}
              <code>{item.file_path}</code>
              {item.error_message ? <span className="error-text"> {item.error_message}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {status?.job && !final && followsJob(status) ? (
        <JobEvents key={status.job.id} job={status.job} onChange={() => refreshNow.current()} />
      ) : null}
      {error ? <ErrorNotice error={error} title="Lost track of the operation; still retrying" inline /> : null}
    </div>
  );
}
