import { useCan } from '../../shared/session/permissions';
import { useId, useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { metadataApi, type MetadataEntity, type MetadataFile, type MetadataStatus } from './api';
import { describeStatus, fileName } from './metadataStatus';
import { useKeptData } from '../../shared/useKeptData';

const FILE_TYPES: Record<MetadataEntity, string> = { character: 'character_metadata', scene: 'video_metadata' };

type Regeneration = { step: 'idle' } | { step: 'busy' } | { step: 'done'; file: MetadataFile } | { step: 'failed'; error: ApiError };

/**
 * A character's or a scene's metadata file: whether it is current (or why it is stale), when it was generated, a
 * Regenerate button, and a collapsible preview of the JSON as it would be written now.
 */
export function MetadataPanel({ entity, id, projectId }: { entity: MetadataEntity; id: number; projectId?: number }) {
  const headingId = useId();
  const status = useApiData((signal) => metadataApi.status(entity, id, signal), [entity, id]);
  const statusData = useKeptData(status);
  const [regeneration, setRegeneration] = useState<Regeneration>({ step: 'idle' });
  const [previewOpen, setPreviewOpen] = useState(false);
  const canRegenerate = useCan('edit', projectId);
  const file = fileName(statusData?.file_type ?? FILE_TYPES[entity]);

  const regenerate = async () => {
    setRegeneration({ step: 'busy' });
    try {
      const written = await metadataApi.regenerate(entity, id);
      setRegeneration({ step: 'done', file: written });
      status.reload();
    } catch (error) {
      setRegeneration({ step: 'failed', error: toApiError(error) });
    }
  };

  return (
    <section className="panel metadata-panel" aria-labelledby={headingId}>
      <div className="metadata-panel-header">
        <h2 id={headingId} className="section-title">
          Metadata file <code className="muted">{file}</code>
        </h2>
        <div className="metadata-panel-actions">
          <button
            type="button"
            className="button button-small"
            onClick={status.reload}
            disabled={status.status === 'loading'}
          >
            Check again
          </button>
          {canRegenerate ? <button
            type="button"
            className="button button-small button-primary"
            onClick={regenerate}
            disabled={regeneration.step === 'busy'}
            aria-busy={regeneration.step === 'busy'}
          >
            {regeneration.step === 'busy' ? 'Regenerating…' : 'Regenerate'}
          </button> : null}
        </div>
      </div>

      {status.status === 'loading' && !statusData ? <Loading label="Checking the metadata file…" /> : null}
      {status.status === 'error' ? (
        <ErrorNotice error={status.error} title="Could not check the metadata file" onRetry={status.reload} inline />
      ) : null}
      {statusData && status.status !== 'error' ? (
        <div aria-busy={status.status === 'loading'}>
          <StatusFacts status={statusData} />
        </div>
      ) : null}

      <div aria-live="polite">
        {regeneration.step === 'done' ? (
          <p className="meta" role="status">
            Regenerated: {file} written at{' '}
            <time dateTime={regeneration.file.generated_at}>{formatDateTime(regeneration.file.generated_at)}</time>.
          </p>
        ) : null}
        {regeneration.step === 'failed' ? (
          <ErrorNotice error={regeneration.error} title={`Could not write ${file}`} onRetry={regenerate} inline />
        ) : null}
      </div>

      <div className="metadata-preview-toggle">
        <button
          type="button"
          className="button button-small"
          aria-expanded={previewOpen}
          onClick={() => setPreviewOpen((open) => !open)}
        >
          {previewOpen ? 'Hide preview' : 'Show preview'}
        </button>
        {projectId !== undefined ? (
          <Link to={`/metadata?project=${projectId}`} className="meta">
            All metadata of this project
          </Link>
        ) : null}
      </div>
      {previewOpen ? <Preview entity={entity} id={id} file={file} /> : null}
    </section>
  );
}

function StatusFacts({ status }: { status: MetadataStatus }) {
  const view = describeStatus(status);
  return (
    <>
      <p className="metadata-status" data-current={view.current}>
        <span className={`badge badge-${view.tone}`}>{view.badge}</span>{' '}
        <span className={view.current ? 'muted' : 'metadata-reasons'}>{view.current ? 'Up to date with the catalog' : view.text}</span>
      </p>
      <dl className="facts facts-inline" aria-label="Metadata file">
        <div>
          <dt>Generated</dt>
          <dd>
            {status.generated_at ? (
              <time dateTime={status.generated_at}>{formatDateTime(status.generated_at)}</time>
            ) : (
              'never'
            )}
          </dd>
        </div>
        <div>
          <dt>Sources as of</dt>
          <dd>
            {status.source_updated_at ? (
              <time dateTime={status.source_updated_at}>{formatDateTime(status.source_updated_at)}</time>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Catalog updated</dt>
          <dd>
            <time dateTime={status.current_updated_at}>{formatDateTime(status.current_updated_at)}</time>
          </dd>
        </div>
      </dl>
      {status.file_path ? (
        <p className="file-path mono" title={status.file_path}>
          {status.file_path}
        </p>
      ) : null}
    </>
  );
}

/** The JSON as the server would write it now (nothing is written). */
function Preview({ entity, id, file }: { entity: MetadataEntity; id: number; file: string }) {
  const preview = useApiData((signal) => metadataApi.preview(entity, id, signal), [entity, id]);
  return (
    <div className="metadata-preview" role="region" aria-label={`Preview of ${file}`}>
      <div className="metadata-preview-bar">
        <p className="meta">As it would be written now; nothing is written.</p>
        <button
          type="button"
          className="button button-small"
          onClick={preview.reload}
          disabled={preview.status === 'loading'}
        >
          Refresh preview
        </button>
      </div>
      {preview.status === 'loading' ? <Loading label="Building the preview…" /> : null}
      {preview.status === 'error' ? (
        <ErrorNotice error={preview.error} title={`Could not build ${file}`} onRetry={preview.reload} inline />
      ) : null}
      {preview.status === 'ready' ? <pre className="json-preview">{JSON.stringify(preview.data, null, 2)}</pre> : null}
    </div>
  );
}
