import { useSegmentLabels } from '../../shared/media/useSegmentLabels';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Link, setQuery as setUrlQuery, useLocation } from '../../shared/router';
import { Dialog } from '../../shared/ui/Dialog';
import { useCan } from '../../shared/session/permissions';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useKeptData } from '../../shared/useKeptData';
import { taggingApi, type Plan, type PlanFilters, type PlanItem, type WriteAnswer } from './api';
import { HistoryView } from './HistoryView';
import { bulkSelect, files, keepWritable, selectedDanger, toggle, type BulkSelection, dryRunAnswerOf } from './logic';
import { OperationMonitor } from './OperationMonitor';
import { PlanCard } from './PlanCard';

export const PLAN_PAGE_SIZE = 10;

/** The Tagging screen: the planner (default) or the history of writes (`?view=history`). */
export function TaggingPage() {
  useDocumentTitle('Tagging');
  const { search } = useLocation();
  const history = search.get('view') === 'history';
  return (
    <>
      <PageHeader title="Tagging" kicker="People in the video files">
        <p>
          Reelmark writes the people of each video into the file's comment tag as <code>People: A, B</code>. Plan the
          change, check it with a dry run, write the files you select, and roll a write back from the history.
        </p>
      </PageHeader>
      <nav className="tabs" aria-label="Tagging views">
        <Link to="/tagging" aria-current={history ? undefined : 'page'}>
          Planner
        </Link>
        <Link to="/tagging?view=history" aria-current={history ? 'page' : undefined}>
          History
        </Link>
      </nav>
      {history ? <HistoryView /> : <Planner />}
    </>
  );
}

const EMPTY_FILTERS: PlanFilters = { risk: '', fileType: '', conflict: '', q: '', page: 1 };

type Confirm = { hashes: string[]; danger: string[] } | null;

/** The planner's filters and page, read from the URL (so a filtered plan can be shared and survives a reload). */
export function filtersFromSearch(search: URLSearchParams): PlanFilters {
  return {
    risk: search.get('risk') ?? '',
    fileType: search.get('file_type') ?? '',
    conflict: search.get('conflict') ?? '',
    q: search.get('q') ?? '',
    page: Math.max(1, Number(search.get('page') ?? '1') || 1),
  };
}

function toSearch(f: PlanFilters): Record<string, string | null> {
  return { risk: f.risk, file_type: f.fileType, conflict: f.conflict, q: f.q, page: f.page === 1 ? null : String(f.page) };
}

function Planner() {
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const setFilters = (change: PlanFilters | ((f: PlanFilters) => PlanFilters)) =>
    setUrlQuery(toSearch(typeof change === 'function' ? change(filters) : change), { replace: false });
  const [query, setQuery] = useState(filters.q);
  useEffect(() => setQuery(filters.q), [filters.q]);
  const canWrite = useCan('lead');
  const plan = useApiData((signal) => taggingApi.plan(filters, PLAN_PAGE_SIZE, signal), [
    filters.risk,
    filters.fileType,
    filters.conflict,
    filters.q,
    filters.page,
  ]);
  const data = useKeptData(plan);
  const [edited, setEdited] = useState<Record<string, PlanItem>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<'dry' | 'write' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [dryRun, setDryRun] = useState<WriteAnswer | null>(null);
  const [dryRunOperation, setDryRunOperation] = useState<number | null>(null);
  const [operation, setOperation] = useState<number | null>(null);
  const [operationEnded, setOperationEnded] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const labels = useSegmentLabels(data?.items.flatMap((i) => i.segment_ids) ?? []);

  // A new plan replaces the edits kept for the cards and drops what can no longer be written from the selection.
  useEffect(() => {
    if (plan.status !== 'ready') return;
    setEdited({});
    setSelected((s) => keepWritable(s, plan.data.categories));
  }, [plan.status, plan.data]);

  const set = (change: Partial<PlanFilters>) => setFilters({ ...filters, page: 1, ...change });

  const write = async (hashes: string[], dry: boolean, confirmDanger: boolean) => {
    setBusy(dry ? 'dry' : 'write');
    setActionError(null);
    setDryRun(null);
    if (dry) setDryRunOperation(null);
    try {
      const answer = await taggingApi.write(hashes, dry, confirmDanger);
      // a background dry run answers with its operation; its results are shown when the monitor sees it end
      if (dry && answer.operation_id !== undefined) setDryRunOperation(answer.operation_id);
      else if (dry) setDryRun(answer);
      else if (answer.operation_id !== undefined) {
        setOperationEnded(false);
        setOperation(answer.operation_id);
      }
      setConfirm(null);
    } catch (e) {
      const error = toApiError(e);
      if (error.status === 409 && error.field === 'confirm_danger') setConfirm({ hashes, danger: [] });
      else setActionError(error);
    } finally {
      setBusy(null);
    }
  };

  const startWrite = () => {
    if (!data) return;
    const hashes = [...selected];
    const danger = selectedDanger(selected, data.categories);
    if (danger.length > 0) setConfirm({ hashes, danger });
    else void write(hashes, false, false);
  };

  if (plan.status === 'error' && !data) {
    return <ErrorNotice error={plan.error} title="Could not plan the tags" onRetry={plan.reload} />;
  }
  if (!data) return <Loading label="Reading every video's comment…" />;

  const stats = data.statistics;
  const running = operation !== null && !operationEnded;
  return (
    <>
      <Summary plan={data} />

      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading" className="section-title">
          Plan
        </h2>
        <form
          className="filters tag-filters"
          role="search"
          aria-label="Filter the plan"
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: query });
          }}
        >
          <label>
            Risk
            <select value={filters.risk} onChange={(e) => set({ risk: e.target.value })}>
              <option value="">any</option>
              <option value="safe">safe</option>
              <option value="warning">warning</option>
              <option value="danger">danger</option>
              <option value="blocked">blocked</option>
            </select>
          </label>
          <label>
            File type
            <select value={filters.fileType} onChange={(e) => set({ fileType: e.target.value })}>
              <option value="">any</option>
              {['mp4', 'mkv', 'mov', 'm4v', 'webm'].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label>
            Conflict
            <select value={filters.conflict} onChange={(e) => set({ conflict: e.target.value })}>
              <option value="">any</option>
              <option value="none">none</option>
              <option value="custom_comment">custom comment</option>
              <option value="provenance">ComfyUI provenance</option>
              <option value="tag_removal">removes people</option>
            </select>
          </label>
          <label>
            Search
            <input type="search" value={query} placeholder="file, path or person" onChange={(e) => setQuery(e.target.value)} />
          </label>
          <button type="submit" className="button button-small">
            Search
          </button>
          {filters.risk || filters.fileType || filters.conflict || filters.q ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setQuery('');
                setFilters(EMPTY_FILTERS);
              }}
            >
              Clear filters
            </button>
          ) : null}
        </form>

        {canWrite ? <div className="tag-toolbar">
          <div className="job-actions" role="group" aria-label="Select">
            <span className="meta">Select:</span>
            {(
              [
                ['all', 'All'],
                ['none', 'None'],
                ['inverse', 'Inverse'],
                ['safe', 'Safe'],
                ['warning', 'Warning'],
                ['danger', 'Danger'],
                ['provenance', 'With provenance'],
                ['edited', 'Edited'],
              ] as [BulkSelection, string][]
            ).map(([action, label]) => (
              <button
                key={action}
                type="button"
                className="button button-small"
                onClick={() => setSelected((s) => bulkSelect(action, s, data.categories))}
              >
                {label}
              </button>
            ))}
          </div>
          <p className="meta" aria-live="polite" data-testid="selection-count">
            {selected.size} of {files(data.categories.ready?.length ?? 0)} selected
          </p>
          <div className="job-actions" role="group" aria-label="Write">
            <a className="button button-small" href="/api/metadata/plan/export" download="reelmark-tag-plan.json">
              Export plan (JSON)
            </a>
            <button
              type="button"
              className="button"
              disabled={selected.size === 0 || busy !== null}
              aria-busy={busy === 'dry'}
              onClick={() => write([...selected], true, false)}
            >
              {busy === 'dry' ? 'Checking…' : 'Dry run'}
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={selected.size === 0 || busy !== null || running}
              aria-busy={busy === 'write'}
              onClick={startWrite}
            >
              {busy === 'write' ? 'Starting…' : `Write selected (${selected.size})`}
            </button>
          </div>
        </div> : null}
        {actionError ? <ErrorNotice error={actionError} title="Could not write the tags" inline /> : null}
        {dryRunOperation !== null && dryRun === null ? (
          <div className="panel">
            <OperationMonitor
              key={dryRunOperation}
              id={dryRunOperation}
              title="Checking"
              onFinished={(status) => {
                setDryRun(dryRunAnswerOf(status));
                setDryRunOperation(null);
              }}
            />
          </div>
        ) : null}
        {dryRun ? <DryRunResult answer={dryRun} onClose={() => setDryRun(null)} /> : null}
        {operation !== null ? (
          <div className="panel">
            <OperationMonitor
              key={operation}
              id={operation}
              title="Write"
              onFinished={() => {
                setOperationEnded(true);
                setSelected(new Set());
                plan.reload();
              }}
            />
            <button type="button" className="button button-small" onClick={() => setOperation(null)}>
              Close
            </button>{' '}
            <Link to="/tagging?view=history" className="meta">
              See it in the history
            </Link>
          </div>
        ) : null}

        <div aria-busy={plan.status === 'loading'}>
          <p className="meta" data-testid="plan-count">
            {data.total_items === stats.total_files
              ? `${files(data.total_items)}`
              : `${data.total_items} of ${files(stats.total_files)} match`}{' '}
            · page {data.page} of {data.total_pages}
          </p>
          {data.items.length === 0 ? (
            <div className="empty">
              <p>No file matches these filters.</p>
            </div>
          ) : (
            <div className="tag-cards">
              {data.items.map((raw) => {
                const item = edited[raw.file_hash] ?? raw;
                return (
                  <PlanCard
                    key={`${item.file_hash}-${item.file_path}`}
                    item={item}
                    selected={selected.has(item.file_hash)}
                    canEdit={canWrite}
                    clips={item.segment_ids.map((id) => ({
                      id,
                      sceneId: labels.byId.get(id)?.scene_id ?? null,
                      name: labels.nameOf(id),
                      hasVideo: labels.byId.get(id)?.has_video ?? false,
                    }))}
                    onSelect={(on) => setSelected((s) => toggle(s, item.file_hash, on))}
                    onEdited={(next) => {
                      setEdited((e) => ({ ...e, [next.file_hash]: next }));
                      if (!(next.can_update && !next.skipped && next.has_changes)) {
                        setSelected((s) => toggle(s, next.file_hash, false));
                      }
                      plan.reload();
                    }}
                  />
                );
              })}
            </div>
          )}
          {data.total_pages > 1 ? (
            <nav className="list-footer" aria-label="Plan pages">
              <button
                type="button"
                className="button button-small"
                disabled={data.page <= 1}
                onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}
              >
                Previous page
              </button>
              <span className="meta">
                Page {data.page} of {data.total_pages}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={data.page >= data.total_pages}
                onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
              >
                Next page
              </button>
            </nav>
          ) : null}
        </div>
      </section>

      {confirm ? (
        <ConfirmDialog
          count={confirm.hashes.length}
          danger={confirm.danger.length}
          busy={busy === 'write'}
          onCancel={() => setConfirm(null)}
          onConfirm={() => write(confirm.hashes, false, true)}
        />
      ) : null}
    </>
  );
}

function Summary({ plan }: { plan: Plan }) {
  const s = plan.statistics;
  const tiles: [string, number, string][] = [
    ['Files', s.total_files, 'neutral'],
    ['Ready to write', s.ready_count, 'neutral'],
    ['Safe', s.safe_count, 'good'],
    ['Warning', s.warning_count, 'wait'],
    ['Danger', s.danger_count, 'bad'],
    ['Blocked', s.blocked_count, 'neutral'],
    ['People to add', s.total_tags_to_add, 'neutral'],
    ['People to remove', s.total_tags_to_remove, 'neutral'],
    ['With provenance', s.with_provenance, 'neutral'],
    ['Unchanged', s.unchanged_count, 'neutral'],
  ];
  return (
    <section aria-label="Plan summary" className="tag-summary">
      <dl>
        {tiles.map(([label, value, tone]) => (
          <div key={label} className={`tag-stat tag-stat-${tone}`} data-stat={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DryRunResult({ answer, onClose }: { answer: WriteAnswer; onClose: () => void }) {
  const errors = (answer.items ?? []).filter((i) => i.status === 'error');
  return (
    <div className="panel tag-dry-run" role="region" aria-label="Dry run">
      <p role="status">
        Dry run: {answer.ok_count ?? 0} ok · {answer.error_count ?? 0} with errors · {answer.skipped_count ?? 0} skipped ·{' '}
        {answer.files_written ?? 0} files written.
      </p>
      {errors.length > 0 ? (
        <ul aria-label="Dry run errors">
          {errors.map((i) => (
            <li key={`${i.file_hash}-${i.file_path}`}>
              <code>{i.file_path}</code>: <span className="error-text">{(i.errors ?? []).join('; ')}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button-small" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

/** Asked before a write that would replace comment text (danger files). */
function ConfirmDialog({
  count,
  danger,
  busy,
  onCancel,
  onConfirm,
}: {
  count: number;
  danger: number;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog title="Replace comment text?" onClose={onCancel} busy={busy} description={
        <p>
          {danger > 0
            ? `${danger} of the ${files(count)} you selected carry comment text that is not a People line; writing replaces it. `
            : `Some of the ${files(count)} you selected carry comment text that writing would replace. `}
          A backup is kept and the write can be rolled back from the history. To keep the text instead, cancel and tick
          “Keep the current comment text” on those files.
        </p>
      }>
        <div className="job-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
            {busy ? 'Starting…' : 'Replace and write'}
          </button>
        </div>
    </Dialog>
  );
}
