import { useCan } from '../../shared/session/permissions';
import { useState } from 'react';
import { ProjectSelect } from '../../shared/ui/ProjectSelect';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Link, setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes, formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { routes } from '../../shared/routes';
import { isTerminal } from '../../shared/jobs/jobStatus';
import { JobProgress } from '../../shared/jobs/JobProgress';
import {
  metadataApi,
  type Delivery,
  type DeliveryCheck,
  type DeliveryFormat,
  type Job,
  type MetadataStatus,
  type Project,
} from './api';
import {
  describeProblem,
  describeStatus,
  files,
  reasonLabel,
  regenerationResult,
  summarizeRegeneration,
} from './metadataStatus';
import { useKeptData } from '../../shared/useKeptData';
import { useProjects } from '../../shared/query';

/** The project id in `?project=`, or null. */
function parseProject(raw: string | null): number | null {
  return raw && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

/** A project's metadata files: which are stale and why, regeneration with live progress, and delivery packaging. */
export function MetadataPage() {
  useDocumentTitle('Metadata');
  const { search } = useLocation();
  const projects = useProjects();
  const asked = parseProject(search.get('project'));

  let body;
  if (projects.status === 'loading') body = <Loading label="Loading projects…" />;
  else if (projects.status === 'error') {
    body = <ErrorNotice error={projects.error} title="Could not load the projects" onRetry={projects.reload} />;
  } else if (projects.data.items.length === 0) {
    body = (
      <div className="empty">
        <p>
          No projects yet, so no metadata. Create one with <code>POST /api/projects</code>, or run{' '}
          <code>reelmark demo</code>.
        </p>
      </div>
    );
  } else {
    const items = projects.data.items;
    const project = items.find((p) => p.id === asked) ?? items[0]!;
    body = (
      <>
        <div className="filters">
          <ProjectSelect projects={items} value={project.id} onChange={(id) => setQuery({ project: id })} />
        </div>
        <ProjectMetadata key={project.id} project={project} />
      </>
    );
  }

  return (
    <>
      <PageHeader title="Metadata" kicker="Generated files">
        <p>
          Reelmark writes a <code>character_metadata.json</code> for every character and a{' '}
          <code>video_metadata.json</code> for every scene, and rewrites them shortly after the catalog changes. A file
          is stale when its sources changed since, when it was never written, or when it was deleted or edited on
          disk.
        </p>
      </PageHeader>
      {body}
    </>
  );
}

function ProjectMetadata({ project }: { project: Project }) {
  const stale = useApiData((signal) => metadataApi.stale(project.id, signal), [project.id]);
  const check = useApiData((signal) => metadataApi.deliveryCheck(project.id, signal), [project.id]);
  const staleData = useKeptData(stale);
  const checkData = useKeptData(check);
  const [job, setJob] = useState<Job | null>(null);
  const [starting, setStarting] = useState<'stale' | 'all' | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const canEdit = useCan('edit', project.id);

  const reload = () => {
    stale.reload();
    check.reload();
  };

  const start = async (staleOnly: boolean) => {
    setStarting(staleOnly ? 'stale' : 'all');
    setStartError(null);
    try {
      setJob(await metadataApi.regenerateProject(project.id, staleOnly));
    } catch (error) {
      setStartError(toApiError(error));
    } finally {
      setStarting(null);
    }
  };

  const running = job !== null && !isTerminal(job.status);
  return (
    <>
      <section aria-labelledby="regenerate-heading">
        <h2 id="regenerate-heading" className="section-title">
          Regenerate
        </h2>
        <div className="panel">
          <p className="meta">
            Rewrites the project's metadata files as a background job: only the stale ones, or every one. Each file is
            built from the catalog and, for scenes, measured with ffprobe.
          </p>
          <div className="job-actions" role="group" aria-label="Regenerate the project's metadata">
            {canEdit ? (
              <>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => start(true)}
                  disabled={starting !== null || running}
                  aria-busy={starting === 'stale'}
                >
                  {starting === 'stale' ? 'Starting…' : 'Regenerate stale'}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => start(false)}
                  disabled={starting !== null || running}
                  aria-busy={starting === 'all'}
                >
                  {starting === 'all' ? 'Starting…' : 'Regenerate all'}
                </button>
              </>
            ) : null}
            <button type="button" className="button" onClick={reload}>
              Check again
            </button>
          </div>
          {startError ? <ErrorNotice error={startError} title="Could not start the regeneration" inline /> : null}
          {job ? (
            <RegenerationJob
              key={job.id}
              initial={job}
              onChange={setJob}
              onFinished={reload}
            />
          ) : null}
        </div>
      </section>

      <section aria-labelledby="stale-heading">
        <h2 id="stale-heading" className="section-title">
          Stale files
        </h2>
        {stale.status === 'loading' && !staleData ? <Loading label="Checking every metadata file…" /> : null}
        {stale.status === 'error' ? (
          <ErrorNotice error={stale.error} title="Could not check the metadata files" onRetry={stale.reload} />
        ) : null}
        {staleData && stale.status !== 'error' ? (
          <div aria-busy={stale.status === 'loading'}>
            <p className="muted" aria-live="polite" data-testid="stale-summary">
              {staleData.stale_count === 0
                ? `All ${files(staleData.checked_count)} are current.`
                : `${staleData.stale_count} of ${files(staleData.checked_count)} stale.`}
            </p>
            {staleData.stale_count > 0 ? (
              <>
                <StaleTable title="Character metadata" entries={staleData.character_metadata} />
                <StaleTable title="Video metadata" entries={staleData.video_metadata} />
              </>
            ) : null}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="delivery-heading">
        <h2 id="delivery-heading" className="section-title">
          Delivery
        </h2>
        {check.status === 'loading' && !checkData ? (
          <Loading label="Checking whether the project can be delivered…" />
        ) : null}
        {check.status === 'error' ? (
          <ErrorNotice error={check.error} title="Could not run the delivery check" onRetry={check.reload} />
        ) : null}
        {checkData && check.status !== 'error' ? (
          <DeliveryPanel projectId={project.id} check={checkData} checking={check.status === 'loading'} />
        ) : null}
      </section>
    </>
  );
}

/** The regeneration job, followed live; `onFinished` runs once when it reaches a terminal state. */
function RegenerationJob({
  initial,
  onChange,
  onFinished,
}: {
  initial: Job;
  onChange: (job: Job) => void;
  onFinished: () => void;
}) {
  const staleOnly = !!initial.params && !!(initial.params as Record<string, unknown>).stale_only;
  return (
    <JobProgress
      className="metadata-job"
      label="Regeneration"
      title={staleOnly ? 'Stale files' : 'Every file'}
      initial={initial}
      onChange={onChange}
      onFinished={() => onFinished()}
    >
      {(job) => {
        const result = isTerminal(job.status) ? regenerationResult(job.result) : null;
        return result ? (
          <div role="status">
            <p className="metadata-result">{summarizeRegeneration(result)}</p>
            {result.failures.length > 0 ? (
              <ul className="metadata-failures" aria-label="Failures">
                {result.failures.map((f) => (
                  <li key={`${f.entity_type}-${f.entity_id}`}>
                    <Link to={f.entity_type === 'character' ? routes.character(f.entity_id) : routes.scene(f.entity_id)}>
                      {f.name || `${f.entity_type} #${f.entity_id}`}
                    </Link>{' '}
                    <span className="muted">({f.entity_type})</span>: <span className="error-text">{f.error}</span>
                  </li>
                ))}
                {result.failed > result.failures.length ? (
                  <li className="muted">…and {result.failed - result.failures.length} more</li>
                ) : null}
              </ul>
            ) : null}
          </div>
        ) : null;
      }}
    </JobProgress>
  );
}

function StaleTable({ title, entries }: { title: string; entries: readonly MetadataStatus[] }) {
  const headingId = `stale-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <div className="metadata-group">
      <h3 id={headingId} className="metadata-group-title">
        {title} <span className="muted">({entries.length})</span>
      </h3>
      {entries.length === 0 ? (
        <p className="muted">All current.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table stack-on-phone metadata-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{title.startsWith('Character') ? 'Character' : 'Scene'}</th>
                <th scope="col">Status</th>
                <th scope="col">Generated</th>
                <th scope="col">Catalog updated</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const view = describeStatus(e);
                return (
                  <tr key={`${e.entity_type}-${e.entity_id}`}>
                    <th scope="row" data-label={title.startsWith('Character') ? 'Character' : 'Scene'}>
                      <Link to={e.entity_type === 'character' ? routes.character(e.entity_id) : routes.scene(e.entity_id)}>
                        {e.name}
                      </Link>
                    </th>
                    <td data-label="Status">
                      <span className={`badge badge-${view.tone}`}>{view.badge}</span>{' '}
                      <span className="metadata-reasons">{e.reasons.map(reasonLabel).join(', ')}</span>
                    </td>
                    <td data-label="Generated">
                      {e.generated_at ? <time dateTime={e.generated_at}>{formatDateTime(e.generated_at)}</time> : 'never'}
                    </td>
                    <td data-label="Catalog updated">
                      <time dateTime={e.current_updated_at}>{formatDateTime(e.current_updated_at)}</time>
                    </td>
                    <td data-label="File">{e.file_path ? <code>{e.file_path}</code> : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Packaging =
  | { step: 'idle' }
  | { step: 'busy'; format: DeliveryFormat }
  | { step: 'done'; delivery: Delivery }
  | { step: 'failed'; error: ApiError };

/** Which characters block a delivery (and why), and the buttons that package one. */
function DeliveryPanel({ projectId, check, checking }: { projectId: number; check: DeliveryCheck; checking: boolean }) {
  const [packaging, setPackaging] = useState<Packaging>({ step: 'idle' });
  const canDeliver = useCan('lead', projectId);
  const blocking = check.characters.filter((c) => c.problems.length > 0);

  const deliver = async (format: DeliveryFormat) => {
    setPackaging({ step: 'busy', format });
    try {
      setPackaging({ step: 'done', delivery: await metadataApi.deliver(projectId, format) });
    } catch (error) {
      setPackaging({ step: 'failed', error: toApiError(error) });
    }
  };

  return (
    <div className="panel" aria-busy={checking}>
      <p className="metadata-status" data-ready={check.ready}>
        {check.ready ? (
          <>
            <span className="badge badge-good">Ready</span> Every character's metadata is present and current.
          </>
        ) : check.characters.length === 0 ? (
          <>
            <span className="badge badge-wait">Nothing to deliver</span> The project has no characters.
          </>
        ) : (
          <>
            <span className="badge badge-bad">Blocked</span> {blocking.length} of {check.characters.length}{' '}
            {check.characters.length === 1 ? 'character blocks' : 'characters block'} packaging. Regenerate their
            files first.
          </>
        )}
      </p>
      {check.characters.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table stack-on-phone metadata-table" aria-label="Delivery check">
            <thead>
              <tr>
                <th scope="col">Character</th>
                <th scope="col">Ready</th>
                <th scope="col">Character file</th>
                <th scope="col">Scene files</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {check.characters.map((c) => (
                <tr key={c.character_id} data-ready={c.problems.length === 0}>
                  <th scope="row" data-label="Character">
                    <Link to={routes.character(c.character_id)}>{c.character_name}</Link>
                  </th>
                  <td data-label="Ready">
                    {c.problems.length === 0 ? (
                      <span className="badge badge-good">Ready</span>
                    ) : (
                      <span className="badge badge-bad">Blocks</span>
                    )}
                  </td>
                  <td data-label="Character file">{c.has_character_metadata ? 'present' : 'missing'}</td>
                  <td data-label="Scene files">{c.has_video_metadata ? 'present' : 'missing'}</td>
                  <td data-label="Problems">
                    {c.problems.length === 0 ? (
                      '—'
                    ) : (
                      <ul className="metadata-problems">
                        {c.problems.map((p) => (
                          <li key={p}>{describeProblem(p)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canDeliver ? (
        <div className="job-actions" role="group" aria-label="Package delivery">
          {(['folder', 'zip'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className={format === 'folder' ? 'button button-primary' : 'button'}
              disabled={!check.ready || checking || packaging.step === 'busy'}
              aria-busy={packaging.step === 'busy' && packaging.format === format}
              onClick={() => deliver(format)}
            >
              {packaging.step === 'busy' && packaging.format === format
                ? 'Packaging…'
                : format === 'folder'
                  ? 'Package delivery (folder)'
                  : 'Package delivery (ZIP)'}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted">Packaging a delivery needs the lead role.</p>
      )}
      <div aria-live="polite">
        {packaging.step === 'done' ? (
          <p role="status" className="meta">
            Packaged {files(packaging.delivery.files.length)} ({formatBytes(packaging.delivery.bytes)}) as a{' '}
            {packaging.delivery.format}.{' '}
            <a className="button button-small" href={packaging.delivery.download} download>
              Download the package{packaging.delivery.format === 'folder' ? ' (ZIP)' : ''}
            </a>{' '}
            <span className="muted" title={packaging.delivery.path}>
              on the server: {packaging.delivery.path.split(/[\\/]/).pop()}
            </span>
          </p>
        ) : null}
        {packaging.step === 'failed' ? (
          <ErrorNotice
            error={packaging.error}
            title={packaging.error.code === 'metadata_not_ready' ? 'The metadata is not ready' : 'Could not package the delivery'}
            inline
          />
        ) : null}
      </div>
    </div>
  );
}
