import { useEffect, useState } from 'react';
import { setQuery, useLocation } from '../../shared/router';
import { Dialog } from '../../shared/ui/Dialog';
import { useCan } from '../../shared/session/permissions';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { useKeptData } from '../../shared/useKeptData';
import { taggingApi, type HistoryFilter, type Operation, type OperationStatus, type RollbackAnswer } from './api';
import { canRollBack, operationTone, files, rollbackConflicts } from './logic';
import { OperationMonitor } from './OperationMonitor';
import { CommentDiff } from './CommentDiff';

/** Every write and rollback, newest first, each with its files and a Rollback button for finished writes. */
export function HistoryView() {
  const { search } = useLocation();
  const filter: HistoryFilter = {
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
    status: search.get('status') ?? '',
    file: search.get('file') ?? '',
    person: search.get('person') ?? '',
  };
  const page = Math.max(1, Number(search.get('page') ?? '1') || 1);
  const setPage = (p: number) => setQuery({ page: p === 1 ? null : String(p) }, { replace: false });
  const history = useApiData((signal) => taggingApi.history(page, filter, signal), [page, search.toString()]);
  // Kept while it reloads (after a rollback), so the entries and what they show stay in place.
  const data = useKeptData(history);

  const filtered = Object.values(filter).some((v) => v !== '');
  const filters = <HistoryFilters filter={filter} />;
  if (history.status === 'error') {
    return (
      <>
        {filters}
        <ErrorNotice error={history.error} title="Could not load the history" onRetry={history.reload} />
      </>
    );
  }
  if (!data) return <Loading label="Loading the history…" />;
  const { items, total, total_pages } = data;
  if (items.length === 0) {
    return (
      <>
        {filters}
        <div className="empty">
          {filtered ? (
            <p>No operation matches these filters.</p>
          ) : (
            <p>No writes yet. Tags written from the planner show up here, with a way back.</p>
          )}
        </div>
      </>
    );
  }
  return (
    <section aria-labelledby="history-heading">
      {filters}
      <h2 id="history-heading" className="section-title">
        Operations <span className="muted">({total})</span>
      </h2>
      <div className="tag-history" aria-busy={history.status === 'loading'}>
        {items.map((op) => (
          <HistoryEntry key={op.id} op={op} onChanged={history.reload} />
        ))}
      </div>
      {total_pages > 1 ? (
        <nav className="list-footer" aria-label="History pages">
          <button type="button" className="button button-small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span className="meta">
            Page {page} of {total_pages}
          </span>
          <button type="button" className="button button-small" disabled={page >= total_pages} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </nav>
      ) : null}
    </section>
  );
}

const HISTORY_STATUSES = ['completed', 'partial', 'failed', 'cancelled', 'running', 'paused', 'rolled_back'];

/** Date, status, file and person filters; applied to the URL on submit (text) or change (date, status). */
function HistoryFilters({ filter }: { filter: HistoryFilter }) {
  const [file, setFile] = useState(filter.file);
  const [person, setPerson] = useState(filter.person);
  useEffect(() => {
    setFile(filter.file);
    setPerson(filter.person);
  }, [filter.file, filter.person]);
  return (
    <form
      className="filters tag-filters"
      role="search"
      aria-label="Filter the history"
      onSubmit={(e) => {
        e.preventDefault();
        setQuery({ file: file.trim(), person: person.trim(), page: null });
      }}
    >
      <label>
        From
        <input type="date" value={filter.from} onChange={(e) => setQuery({ from: e.target.value, page: null })} />
      </label>
      <label>
        To
        <input type="date" value={filter.to} onChange={(e) => setQuery({ to: e.target.value, page: null })} />
      </label>
      <label>
        Status
        <select value={filter.status} onChange={(e) => setQuery({ status: e.target.value, page: null })}>
          <option value="">any</option>
          {HISTORY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        File
        <input type="search" value={file} placeholder="path contains" onChange={(e) => setFile(e.target.value)} />
      </label>
      <label>
        Person
        <input type="search" value={person} placeholder="name" onChange={(e) => setPerson(e.target.value)} />
      </label>
      <button type="submit" className="button button-small">
        Filter
      </button>
    </form>
  );
}

function HistoryEntry({ op, onChanged }: { op: Operation; onChanged: () => void }) {
  const canRoll = useCan('lead');
  const [asking, setAsking] = useState(false);
  const [open, setOpen] = useState(false);
  const [rolling, setRolling] = useState(false);
  const [rollback, setRollback] = useState<RollbackAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const roll = async () => {
    setAsking(false);
    setRolling(true);
    setError(null);
    try {
      setRollback(await taggingApi.rollback(op.id));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setRolling(false);
    }
  };

  return (
    <article className="tag-history-entry" aria-label={`Operation #${op.id}`} data-status={op.status}>
      <div className="tag-history-header">
        <p>
          <strong>{op.operation_type === 'rollback' ? 'Rollback' : 'Write'}</strong>{' '}
          <span className="mono muted">#{op.id}</span>{' '}
          <span className={`badge badge-${operationTone(op.status)}`}>{op.status.replace(/_/g, ' ')}</span>{' '}
          <span className="meta">
            {op.success_count} written · {op.failure_count} failed · {op.skipped_count} skipped of {op.file_count} ·{' '}
            <time dateTime={op.started_at}>{formatDateTime(op.started_at)}</time>
            {op.rollback_of ? ` · undoes #${op.rollback_of}` : ''}
            {op.user_note && !op.rollback_of ? ` · ${op.user_note}` : ''}
          </span>
        </p>
        <div className="job-actions">
          <button type="button" className="button button-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide files' : 'Files'}
          </button>
          {canRoll && canRollBack(op) && rollback === null ? (
            <button type="button" className="button button-small button-danger" disabled={rolling} onClick={() => setAsking(true)}>
              {rolling ? 'Rolling back…' : 'Rollback'}
            </button>
          ) : null}
        </div>
      </div>
      {asking ? (
        <Dialog
          title={`Roll back operation #${op.id}?`}
          onClose={() => setAsking(false)}
          description={
            <p>
              The comments of the {op.success_count} files it wrote are restored from their backups. A file changed
              since then is left alone and listed as a conflict.
            </p>
          }
        >
          <div className="form-actions">
            <button type="button" className="button" data-autofocus onClick={() => setAsking(false)}>
              Cancel
            </button>
            <button type="button" className="button button-danger" onClick={roll}>
              Roll back
            </button>
          </div>
        </Dialog>
      ) : null}
      {error ? <ErrorNotice error={error} title="Could not roll back" inline /> : null}
      {rollback ? <RollbackResult answer={rollback} onFinished={onChanged} /> : null}
      {open ? <OperationFiles id={op.id} /> : null}
    </article>
  );
}

/**
 * A rollback runs in the background: its job checks each file, so the files it must leave alone (changed since
 * Reelmark wrote them) are known when it ends, beside those known at the start (a missing backup).
 */
function RollbackResult({ answer, onFinished }: { answer: RollbackAnswer; onFinished: () => void }) {
  const [final, setFinal] = useState<OperationStatus | null>(null);
  const conflicts = rollbackConflicts(answer.conflicts ?? [], final);
  const restored = final?.items.filter((i) => i.status === 'success').length ?? 0;
  return (
    <div className="tag-rollback">
      <p role="status" className="meta">
        {final === null
          ? `Rollback started as operation #${answer.operation_id}: ${files(answer.feasible ?? 0)} to check and restore` +
            (conflicts.length > 0 ? `, ${conflicts.length} ${conflicts.length === 1 ? 'conflict' : 'conflicts'} already.` : '.')
          : `Rollback #${answer.operation_id}: ${restored} restored, ${conflicts.length} ${conflicts.length === 1 ? 'conflict' : 'conflicts'}.`}
      </p>
      {conflicts.length > 0 ? (
        <ul className="tag-conflicts" aria-label="Rollback conflicts">
          {conflicts.map((c) => (
            <li key={c.key}>
              <code>{c.file_path}</code>: <span className="error-text">{c.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {answer.job_id !== undefined && answer.operation_id !== undefined ? (
        <OperationMonitor
          id={answer.operation_id}
          title="Rollback"
          onFinished={(status) => {
            setFinal(status);
            onFinished();
          }}
        />
      ) : null}
    </div>
  );
}

function OperationFiles({ id }: { id: number }) {
  const details = useApiData((signal) => taggingApi.details(id, signal), [id]);
  if (details.status === 'loading') return <Loading label="Loading the files…" />;
  if (details.status === 'error') return <ErrorNotice error={details.error} title="Could not load the files" inline />;
  return (
    <div className="table-wrap">
      <table className="data-table stack-on-phone" aria-label={`Files of operation #${id}`}>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col">People</th>
            <th scope="col">Comment before → after</th>
          </tr>
        </thead>
        <tbody>
          {details.data.items.map((i) => (
            <tr key={i.id} data-status={i.status}>
              <th scope="row" data-label="File">
                <code>{i.file_path}</code>
              </th>
              <td data-label="Status">
                <span className={`badge badge-${operationTone(i.status)}`}>{i.status}</span>
                {i.error_message ? <span className="error-text"> {i.error_message}</span> : null}
              </td>
              <td data-label="People">
                {i.tags_added.map((t) => (
                  <span key={`+${t}`} className="chip tag-add">
                    + {t}
                  </span>
                ))}
                {i.tags_removed.map((t) => (
                  <span key={`-${t}`} className="chip tag-remove">
                    − {t}
                  </span>
                ))}
              </td>
              <td data-label="Comment">
                <CommentDiff before={i.previous_comment} after={i.new_comment} label="Changed part" />
                <details>
                  <summary>Whole comments</summary>
                  <span className="tag-comment-before">{i.previous_comment ?? 'none'}</span> →{' '}
                  <span className="tag-comment-after">{i.new_comment ?? 'none'}</span>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
