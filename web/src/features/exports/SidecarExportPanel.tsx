import { useCan } from '../../shared/session/permissions';
import { useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes } from '../../shared/ui/format';
import { isTerminal } from '../../shared/jobs/jobStatus';
import { exportsApi, type Job, type Project, type SidecarTemplate } from './api';
import { JobProgress } from '../../shared/jobs/JobProgress';
import { sidecarRequest, sidecarResult, toggle } from './logic';

/** The sidecar export form for whoever may export (a lead of the project); a note for everyone else. */
export function SidecarExportPanel({ project, templates }: { project: Project; templates: readonly SidecarTemplate[] }) {
  const canExport = useCan('lead', project.id);
  if (!canExport) return <p className="muted">Exporting sidecars needs the lead role.</p>;
  return <SidecarExportForm project={project} templates={templates} />;
}

/** Exports sidecars of the project or one of its characters with the ticked templates, as a job, then a ZIP. */
function SidecarExportForm({ project, templates }: { project: Project; templates: readonly SidecarTemplate[] }) {
  const characters = useApiData((signal) => exportsApi.characters(project.id, signal), [project.id]);
  const [scope, setScope] = useState<'project' | 'character'>('project');
  const [characterId, setCharacterId] = useState<number | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [includeMedia, setIncludeMedia] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [running, setRunning] = useState(false);

  const characterItems = characters.status === 'ready' ? characters.data.items : [];
  const character = characterId ?? characterItems[0]?.id ?? null;
  const ticked = chosen.filter((id) => templates.some((t) => t.id === id));
  const problem =
    ticked.length === 0
      ? 'Tick at least one template.'
      : scope === 'character' && character === null
        ? 'The project has no characters.'
        : null;

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const body = sidecarRequest(ticked, scope === 'character' && character !== null ? { kind: 'character', characterId: character } : { kind: 'project' }, includeMedia);
      const started = await exportsApi.exportSidecars(project.id, body);
      setJob(started);
      setRunning(!isTerminal(started.status));
    } catch (error) {
      setStartError(toApiError(error));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="panel exports-form">
      <p className="meta">
        Writes one sidecar per video (or per scene or export, by format) for every ticked template, into a folder and a
        ZIP you can download.
      </p>
      <fieldset className="exports-fieldset">
        <legend>Scope</legend>
        <label className="exports-check">
          <input type="radio" name="sidecar-scope" value="project" checked={scope === 'project'} onChange={() => setScope('project')} />
          Whole project
        </label>
        <label className="exports-check">
          <input type="radio" name="sidecar-scope" value="character" checked={scope === 'character'} onChange={() => setScope('character')} />
          One character
        </label>
        {scope === 'character' ? (
          characters.status === 'error' ? (
            <ErrorNotice error={characters.error} title="Could not load the characters" onRetry={characters.reload} inline />
          ) : (
            <label className="exports-inline">
              Character
              <select
                value={character === null ? '' : String(character)}
                onChange={(e) => setCharacterId(Number(e.target.value))}
                disabled={characters.status !== 'ready'}
              >
                {characterItems.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )
        ) : null}
      </fieldset>
      <fieldset className="exports-fieldset">
        <legend>Templates</legend>
        <div className="exports-checks">
          {templates.map((t) => (
            <label key={t.id} className="exports-check">
              <input
                type="checkbox"
                checked={ticked.includes(t.id)}
                onChange={(e) => setChosen(toggle(ticked, t.id, e.target.checked))}
              />
              {t.name} <code className="muted">{t.format}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="exports-check">
        <input type="checkbox" checked={includeMedia} onChange={(e) => setIncludeMedia(e.target.checked)} />
        Put the videos in the ZIP too (a delivery package)
      </label>
      <div className="job-actions" role="group" aria-label="Sidecar export">
        <button
          type="button"
          className="button button-primary"
          onClick={start}
          disabled={problem !== null || starting || running}
          aria-busy={starting}
        >
          {starting ? 'Starting…' : 'Export sidecars'}
        </button>
        {problem ? <span className="muted">{problem}</span> : null}
      </div>
      {startError ? <ErrorNotice error={startError} title="Could not start the sidecar export" inline /> : null}
      {job ? (
        <JobProgress className="exports-job" key={job.id} initial={job} label="Sidecar export" onFinished={() => setRunning(false)}>
          {(current) => {
            if (current.status !== 'completed') return null;
            const result = sidecarResult(current.result);
            return (
              <div role="status" className="exports-result">
                {result ? (
                  <p>
                    {result.files} files for {result.videos} videos
                    {result.failed > 0 ? <span className="error-text"> · {result.failed} failed</span> : null}
                    {result.zipSizeBytes !== null ? ` · ZIP ${formatBytes(result.zipSizeBytes)}` : ''}
                  </p>
                ) : null}
                <a className="button" href={result?.download ?? exportsApi.sidecarDownloadUrl(current.id)} download>
                  Download ZIP
                </a>
              </div>
            );
          }}
        </JobProgress>
      ) : null}
    </div>
  );
}
