import { useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { setQuery } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes, formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { useCan } from '../../shared/session/permissions';
import { useKeptData } from '../../shared/useKeptData';
import { exportsApi, type DatasetExport, type Job, type Project } from './api';
import { JobProgress } from '../../shared/jobs/JobProgress';
import { checkSplits, datasetFormProblem, datasetRequest, manifestSplits, toggle, type DatasetForm, type Splits } from './logic';

/** The dataset export form (filters, splits), the running export, and the project's past datasets. */
export function DatasetPanel({ project, segmentIds = [] }: { project: Project; segmentIds?: readonly number[] }) {
  const datasets = useApiData((signal) => exportsApi.datasets(project.id, signal), [project.id]);
  const list = useKeptData(datasets);
  const [latest, setLatest] = useState<number | null>(null);
  const canExport = useCan('lead', project.id);

  return (
    <>
      {canExport ? (
        <DatasetForm
          project={project}
          segmentIds={segmentIds}
          onStarted={(d) => {
            setLatest(d.id);
            datasets.reload();
          }}
          onFinished={() => datasets.reload()}
        />
      ) : (
        <p className="muted">Exporting a dataset needs the lead role; the datasets below can be downloaded.</p>
      )}
      <h3 className="exports-subtitle" id="datasets-heading">
        Datasets of {project.name}
      </h3>
      {datasets.status === 'loading' && !list ? <Loading label="Loading the datasets…" /> : null}
      {datasets.status === 'error' ? (
        <ErrorNotice error={datasets.error} title="Could not load the datasets" onRetry={datasets.reload} />
      ) : null}
      {list && datasets.status !== 'error' ? (
        list.items.length === 0 ? (
          <p className="muted">No datasets exported from this project yet.</p>
        ) : (
          <DatasetTable projectId={project.id} items={list.items} latest={latest} />
        )
      ) : null}
    </>
  );
}

function DatasetForm({
  project,
  segmentIds,
  onStarted,
  onFinished,
}: {
  project: Project;
  segmentIds: readonly number[];
  onStarted: (d: DatasetExport) => void;
  onFinished: () => void;
}) {
  const options = useApiData(
    async (signal) => {
      const [types, characters] = await Promise.all([
        exportsApi.sceneTypes(project.id, signal),
        exportsApi.characters(project.id, signal),
      ]);
      return { types: types.items, characters: characters.items };
    },
    [project.id],
  );
  if (options.status === 'loading') return <Loading label="Loading scene types and characters…" />;
  if (options.status === 'error') {
    return <ErrorNotice error={options.error} title="Could not load the project's scene types and characters" onRetry={options.reload} />;
  }
  return (
    <DatasetFormFields
      project={project}
      segmentIds={segmentIds}
      sceneTypes={options.data.types.map((t) => t.name)}
      characters={options.data.characters.map((c) => ({ id: c.id, name: c.name }))}
      onStarted={onStarted}
      onFinished={onFinished}
    />
  );
}

function DatasetFormFields({
  project,
  segmentIds,
  sceneTypes,
  characters,
  onStarted,
  onFinished,
}: {
  project: Project;
  segmentIds: readonly number[];
  sceneTypes: string[];
  characters: { id: number; name: string }[];
  onStarted: (d: DatasetExport) => void;
  onFinished: () => void;
}) {
  const [name, setName] = useState(`${project.name} dataset`);
  const [useQuality, setUseQuality] = useState(false);
  const [quality, setQuality] = useState(0.5);
  const [types, setTypes] = useState<string[]>(sceneTypes);
  const [chars, setChars] = useState<number[]>(characters.map((c) => c.id));
  const [splits, setSplits] = useState<Splits>({ train: '80', validation: '10', test: '10' });
  const [includeVideos, setIncludeVideos] = useState(true);
  const [frameImages, setFrameImages] = useState(true);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [running, setRunning] = useState(false);

  const form: DatasetForm = {
    name,
    useQuality,
    quality,
    allSceneTypes: sceneTypes,
    sceneTypes: types,
    allCharacterIds: characters.map((c) => c.id),
    characterIds: chars,
    splits,
    includeVideos,
    frameImages,
    segmentIds,
  };
  const split = checkSplits(splits);
  const problem = datasetFormProblem(form);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const created = await exportsApi.exportDataset(project.id, datasetRequest(form));
      onStarted(created);
      if (created.job_id !== null) {
        const started = await exportsApi.job(created.job_id);
        setJob(started);
        setRunning(true);
      }
    } catch (error) {
      setStartError(toApiError(error));
    } finally {
      setStarting(false);
    }
  };

  const splitInput = (key: keyof Splits, label: string) => (
    <label className="exports-split">
      {label}
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        inputMode="numeric"
        value={splits[key]}
        aria-invalid={!split.valid ? true : undefined}
        onChange={(e) => setSplits({ ...splits, [key]: e.target.value })}
      />
      <span aria-hidden="true">%</span>
    </label>
  );

  return (
    <div className="panel exports-form" role="form" aria-label="Dataset export">
      <p className="meta">
        Packages the project's segments as a Hugging Face <code>videofolder</code> dataset: videos, frame images and
        per-sample metadata in train, validation and test folders, with a manifest.
      </p>
      <div className="exports-field">
        <label htmlFor="dataset-name">Name</label>
        <input id="dataset-name" type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </div>
      {segmentIds.length > 0 ? (
        <fieldset className="exports-fieldset">
          <legend>Selection</legend>
          <p className="meta" role="status">
            Only the {segmentIds.length === 1 ? 'segment' : `${segmentIds.length} segments`} picked in the segment list
            (the filters below still apply).
          </p>
          <button type="button" className="button button-small" onClick={() => setQuery({ segments: null })}>
            Use every segment
          </button>
        </fieldset>
      ) : null}
      <fieldset className="exports-fieldset">
        <legend>Quality</legend>
        <label className="exports-check">
          <input type="checkbox" checked={useQuality} onChange={(e) => setUseQuality(e.target.checked)} />
          Only segments with a quality score of at least
        </label>
        <div className="exports-range">
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={quality}
            disabled={!useQuality}
            aria-label="Quality threshold"
            aria-valuetext={quality.toFixed(2)}
            onChange={(e) => setQuality(Number(e.target.value))}
          />
          <output className="mono" data-testid="quality-value">
            {quality.toFixed(2)}
          </output>
        </div>
        <p className="meta">{useQuality ? 'Segments without a quality score are left out.' : 'Every segment, scored or not.'}</p>
      </fieldset>
      <fieldset className="exports-fieldset">
        <legend>Scene types</legend>
        {sceneTypes.length === 0 ? <p className="muted">The project has no scene types.</p> : null}
        <div className="exports-checks">
          {sceneTypes.map((t) => (
            <label key={t} className="exports-check">
              <input type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes(toggle(types, t, e.target.checked))} />
              {t}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="exports-fieldset">
        <legend>Characters</legend>
        {characters.length === 0 ? <p className="muted">The project has no characters.</p> : null}
        <div className="exports-checks">
          {characters.map((c) => (
            <label key={c.id} className="exports-check">
              <input type="checkbox" checked={chars.includes(c.id)} onChange={(e) => setChars(toggle(chars, c.id, e.target.checked))} />
              {c.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="exports-fieldset">
        <legend>Splits</legend>
        <div className="exports-splits">
          {splitInput('train', 'Train')}
          {splitInput('validation', 'Validation')}
          {splitInput('test', 'Test')}
          <p className="exports-split-sum" data-valid={split.valid} aria-live="polite" data-testid="split-sum">
            Sum: {split.sum}%
          </p>
        </div>
        {split.problem ? <p className="field-error error-text">{split.problem}</p> : null}
      </fieldset>
      <fieldset className="exports-fieldset">
        <legend>Contents</legend>
        <label className="exports-check">
          <input type="checkbox" checked={includeVideos} onChange={(e) => setIncludeVideos(e.target.checked)} />
          Videos
        </label>
        <label className="exports-check">
          <input type="checkbox" checked={frameImages} onChange={(e) => setFrameImages(e.target.checked)} />
          Frame images
        </label>
      </fieldset>
      <div className="job-actions" role="group" aria-label="Dataset export actions">
        <button
          type="button"
          className="button button-primary"
          onClick={start}
          disabled={problem !== null || starting || running}
          aria-busy={starting}
        >
          {starting ? 'Starting…' : 'Export dataset'}
        </button>
        {problem && !split.problem ? <span className="muted">{problem}</span> : null}
      </div>
      {startError ? <ErrorNotice error={startError} title="Could not start the dataset export" inline /> : null}
      {job ? (
        <JobProgress className="exports-job"
          key={job.id}
          initial={job}
          label="Dataset export"
          onFinished={() => {
            setRunning(false);
            onFinished();
          }}
        />
      ) : null}
    </div>
  );
}

function DatasetTable({ projectId, items, latest }: { projectId: number; items: DatasetExport[]; latest: number | null }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="table-wrap">
      <table className="data-table stack-on-phone" aria-labelledby="datasets-heading">
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Status</th>
            <th scope="col">Samples</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <DatasetRow
              key={d.id}
              projectId={projectId}
              dataset={d}
              latest={d.id === latest}
              open={open === d.id}
              onToggle={() => setOpen(open === d.id ? null : d.id)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DatasetRow({
  projectId,
  dataset: d,
  latest,
  open,
  onToggle,
}: {
  projectId: number;
  dataset: DatasetExport;
  latest: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const split = d.config.splits;
  return (
    <>
      <tr data-dataset-id={d.id} data-status={d.status} data-latest={latest || undefined}>
        <th scope="row" data-label="Dataset">
          {d.name} <span className="mono muted">#{d.id}</span>
          {split ? (
            <span className="meta exports-split-note">
              {' '}
              {split.train}/{split.validation}/{split.test}
            </span>
          ) : null}
        </th>
        <td data-label="Status">
          <StatusBadge status={d.status} />
          {d.error ? <span className="error-text"> {d.error}</span> : null}
        </td>
        <td data-label="Samples" data-testid="dataset-samples">
          {d.sample_count ?? '—'}
          {d.failed_count ? <span className="error-text"> ({d.failed_count} failed)</span> : null}
        </td>
        <td data-label="Size">{d.file_size_bytes === null ? '—' : formatBytes(d.file_size_bytes)}</td>
        <td data-label="Created">
          <time dateTime={d.created_at}>{formatDateTime(d.created_at)}</time>
        </td>
        <td data-label="Actions">
          {d.status === 'completed' ? (
            <span className="exports-row-actions">
              <button type="button" className="button button-small" aria-expanded={open} onClick={onToggle}>
                {open ? 'Hide manifest' : 'Manifest'}
              </button>
              <a className="button button-small" href={d.download ?? exportsApi.datasetDownloadUrl(projectId, d.id)} download>
                Download
              </a>
            </span>
          ) : (
            '—'
          )}
        </td>
      </tr>
      {open ? (
        <tr className="exports-manifest-row">
          <td colSpan={6}>
            <Manifest projectId={projectId} datasetId={d.id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Manifest({ projectId, datasetId }: { projectId: number; datasetId: number }) {
  const detail = useApiData((signal) => exportsApi.dataset(projectId, datasetId, signal), [projectId, datasetId]);
  if (detail.status === 'loading') return <Loading label="Loading the manifest…" />;
  if (detail.status === 'error') return <ErrorNotice error={detail.error} title="Could not load the manifest" onRetry={detail.reload} inline />;
  return (
    <div role="region" aria-label={`Manifest of dataset #${datasetId}`}>
      <ul className="exports-manifest-splits" aria-label="Splits">
        {manifestSplits(detail.data.manifest).map((s) => (
          <li key={s.split} data-split={s.split}>
            <strong>{s.split}</strong>: {s.samples} {s.samples === 1 ? 'sample' : 'samples'}
            {s.actual !== null ? ` · ${s.actual}%` : ''}
            {s.requested !== null ? <span className="muted"> (asked {s.requested}%)</span> : null}
          </li>
        ))}
      </ul>
      <pre className="json-preview">{JSON.stringify(detail.data.manifest, null, 2)}</pre>
    </div>
  );
}
