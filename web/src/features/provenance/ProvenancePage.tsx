import { useCan } from '../../shared/session/permissions';
import { useCallback, useState } from 'react';
import { ProjectSelect } from '../../shared/ui/ProjectSelect';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Link, setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { provenanceApi, type Job, type Project, type StalenessReport } from './api';
import {
  allSelected,
  describeReason,
  selectedInOrder,
  someSelected,
  toggle,
  toggleAll,
  type Selection,
} from './logic';
import { RegenerationJob } from './RegenerationJob';
import { provenanceRoutes } from '../../shared/routes';
import { JobProgress } from '../../shared/jobs/JobProgress';
import { useSegmentLabels } from '../../shared/media/useSegmentLabels';
import { ClipThumb } from '../../shared/media/CharacterPortrait';
import { useProjects } from '../../shared/query';

/** The Provenance section: pick a project, see what is stale and why, and regenerate selected segments. */
export function ProvenancePage() {
  useDocumentTitle('Provenance');
  const { search } = useLocation();
  const projects = useProjects();
  const header = (
    <PageHeader title="Provenance" kicker="Reelmark">
      <p>
        Generation receipts record exactly which model, LoRA and workflow versions made each segment. When an asset gets
        a new version, the segments made with the old one are stale: regenerate the ones you choose.
      </p>
    </PageHeader>
  );
  if (projects.status === 'loading') return <Loading label="Loading projects…" />;
  if (projects.status === 'error') {
    return (
      <>
        {header}
        <ErrorNotice error={projects.error} title="Could not load the projects" onRetry={projects.reload} />
      </>
    );
  }
  const items = projects.data.items;
  if (items.length === 0) {
    return (
      <>
        {header}
        <p className="empty">No projects yet. Run <code>reelmark demo</code> to get one with receipts.</p>
      </>
    );
  }
  const requested = Number(search.get('project'));
  const project = items.find((p) => p.id === requested) ?? items[0]!;
  return (
    <>
      {header}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Choose a project">
        <ProjectSelect projects={items} value={project.id} onChange={(id) => setQuery({ project: id })} />
      </form>
      <ProjectStaleness key={project.id} project={project} />
    </>
  );
}

function ProjectStaleness({ project }: { project: Project }) {
  // counts and rows follow new receipts, asset versions and finished jobs without a reload
  const report = useApiData((signal) => provenanceApi.report(project.id, signal), [project.id], {
    live: (e) => (e.topic === 'job' ? ['completed', 'failed', 'cancelled'].includes(e.action) : e.topic !== 'metadata'),
  });
  const [jobs, setJobs] = useState<Job[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const reload = report.reload;
  const onFinished = useCallback(() => reload(), [reload]);

  return (
    <>
      {report.status === 'loading' && !report.data ? <Loading label="Computing the staleness report…" /> : null}
      {report.status === 'error' ? (
        <ErrorNotice error={report.error} title="Could not compute the staleness report" onRetry={report.reload} />
      ) : null}
      {report.status === 'ready' ? (
        <>
          <Summary report={report.data} />
          <ByAsset report={report.data} />
          <StaleTable
            project={project}
            report={report.data}
            running={jobs[0] ?? null}
            onQueued={(job, text) => {
              setMessage(text);
              if (job) setJobs((list) => [job, ...list]);
            }}
          />
        </>
      ) : null}
      {message || jobs.length > 0 ? (
        <section aria-labelledby="regeneration-heading" className="regeneration-jobs">
          <h2 id="regeneration-heading" className="section-title">
            Regeneration
          </h2>
          {message ? (
            <p role="status" className="muted">
              {message}
            </p>
          ) : null}
          {jobs.map((job) => (
            <RegenerationJob key={job.id} initial={job} onFinished={onFinished} />
          ))}
        </section>
      ) : null}
    </>
  );
}

function Summary({ report }: { report: StalenessReport }) {
  return (
    <dl className="facts facts-inline staleness-summary" aria-label="Staleness summary">
      <div>
        <dt>Stale segments</dt>
        <dd data-testid="total-stale">{report.total_stale_segments}</dd>
      </div>
      <div>
        <dt>of segments</dt>
        <dd data-testid="total-segments">{report.total_segments}</dd>
      </div>
      <div>
        <dt>Scenes affected</dt>
        <dd>{report.total_stale_scenes}</dd>
      </div>
      <div>
        <dt>Without receipt</dt>
        <dd>{report.segments_without_receipts}</dd>
      </div>
      <div>
        <dt>Queued (open drafts)</dt>
        <dd data-testid="total-queued">{report.total_queued_segments ?? 0}</dd>
      </div>
      <div>
        <dt>Superseded</dt>
        <dd data-testid="total-superseded">{report.total_superseded_segments ?? 0}</dd>
      </div>
    </dl>
  );
}

function ByAsset({ report }: { report: StalenessReport }) {
  return (
    <section aria-labelledby="by-asset-heading">
      <h2 id="by-asset-heading" className="section-title">
        Outdated asset versions
      </h2>
      {report.by_asset.length === 0 ? (
        <p className="empty">
          {report.segments_with_receipts === 0
            ? 'No segment of this project has a generation receipt yet, so nothing can be stale.'
            : 'Every segment with a receipt was made with the current versions. Nothing is stale.'}
        </p>
      ) : (
        <ul className="card-grid stale-groups">
          {report.by_asset.map((g) => (
            <li key={`${g.asset_type}:${g.used_id ?? g.asset_name}`} className="card stale-group" data-asset-name={g.asset_name}>
              <p className="stale-message">{g.message}</p>
              <p className="meta">
                <span className="badge badge-neutral">{g.asset_type.replace('_', ' ')}</span> {g.affected_segments}{' '}
                {g.affected_segments === 1 ? 'segment' : 'segments'} · {g.affected_scenes}{' '}
                {g.affected_scenes === 1 ? 'scene' : 'scenes'}
                {g.used_id != null && (g.asset_type === 'model' || g.asset_type === 'lora' || g.asset_type === 'workflow') ? (
                  <>
                    {' · '}
                    <Link to={provenanceRoutes.asset(g.current_id ?? g.used_id)}>usage by version</Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StaleTable({
  project,
  report,
  onQueued,
  running,
}: {
  project: Project;
  report: StalenessReport;
  onQueued: (job: Job | null, message: string) => void;
  running: Job | null;
}) {
  const segments = report.stale_segments;
  // a segment with a pending take is not offered again: a second click must not make a duplicate draft
  const ids = segments.filter((s) => s.open_draft_id == null).map((s) => s.segment_id);
  const queuedCount = segments.length - ids.length;
  const labels = useSegmentLabels([...segments.map((s) => s.segment_id), ...segments.flatMap((s) => s.regenerated_as)]);
  const [selection, setSelection] = useState<Selection>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const canRegenerate = useCan('edit', project.id);

  if (segments.length === 0) return null;
  const chosen = selectedInOrder(selection, segments).filter((id) => ids.includes(id));

  const regenerate = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await provenanceApi.regenerate(project.id, chosen);
      setSelection(new Set());
      onQueued(answer.job, answer.message);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="stale-heading">
      <h2 id="stale-heading" className="section-title">
        Stale segments
      </h2>
      <div className="table-actions">
        {canRegenerate ? (
          <button type="button" className="button button-primary" disabled={chosen.length === 0 || busy} onClick={regenerate}>
            {busy ? 'Queuing…' : `Re-generate selected (${chosen.length})`}
          </button>
        ) : null}
        {running ? <JobProgress variant="inline" label="Regeneration" key={running.id} initial={running} /> : null}
        <span className="muted">
          Each creates a new pending segment at the same position, planned with the current versions; the old one is kept.
          {queuedCount > 0
            ? ` ${queuedCount} ${queuedCount === 1 ? 'segment already has' : 'segments already have'} a pending take and cannot be queued again.`
            : ''}
        </span>
      </div>
      {error ? <ErrorNotice error={error} title="Could not queue the regeneration" inline /> : null}
      <div className="table-wrap">
        <table className="data-table stale-table">
          <thead>
            <tr>
              {canRegenerate ? <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all stale segments"
                  checked={allSelected(selection, ids)}
                  ref={(el) => {
                    if (el) el.indeterminate = someSelected(selection, ids);
                  }}
                  onChange={() => setSelection((s) => toggleAll(s, ids))}
                />
              </th> : null}
              <th scope="col">Segment</th>
              <th scope="col">Scene</th>
              <th scope="col">Why it is stale</th>
              <th scope="col">Regenerated as</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr key={s.segment_id} data-segment-id={s.segment_id}>
                {canRegenerate ? <td>
                  <input
                    type="checkbox"
                    aria-label={
                      s.open_draft_id != null
                        ? `${labels.nameOf(s.segment_id)} already has a pending take`
                        : `Select ${labels.nameOf(s.segment_id)}`
                    }
                    disabled={s.open_draft_id != null}
                    title={s.open_draft_id != null ? 'Already queued: its new take is pending' : undefined}
                    checked={s.open_draft_id == null && selection.has(s.segment_id)}
                    onChange={(e) => setSelection((sel) => toggle(sel, s.segment_id, e.target.checked))}
                  />
                </td> : null}
                <th scope="row">
                  <span className="with-portrait">
                    <ClipThumb segmentId={s.segment_id} hasVideo={labels.byId.get(s.segment_id)?.has_video ?? false} />
                    <Link to={provenanceRoutes.segment(s.segment_id)}>{labels.nameOf(s.segment_id)}</Link>
                  </span>
                </th>
                <td>
                  <Link to={`/catalog/scenes/${s.scene_id}`}>
                    {labels.byId.get(s.segment_id)?.scene_name ?? `scene #${s.scene_id}`}
                  </Link>
                </td>
                <td>
                  <ul className="reason-list">
                    {s.reasons.map((r) => (
                      <li key={`${r.asset_type}:${r.used_id ?? r.asset_name}`}>{describeReason(r)}</li>
                    ))}
                  </ul>
                </td>
                <td className="regenerated-as">
                  {s.regenerated_as.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    s.regenerated_as.map((n, i) => (
                      <span key={n}>
                        {i > 0 ? ', ' : null}
                        <Link to={provenanceRoutes.segment(n)}>new take #{n}</Link>
                      </span>
                    ))
                  )}
                  {s.open_draft_id != null ? <span className="badge badge-pending">pending</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
