import { useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { useCan } from '../../shared/session/permissions';
import { catalogApi, type Job } from './api';

type State = { step: 'idle' } | { step: 'starting' } | { step: 'started'; job: Job } | { step: 'failed'; error: ApiError };

/** Starts the background job that makes the thumbnail of every segment of the project, and links to it. */
export function ThumbnailsJobButton({ projectId }: { projectId: number }) {
  const [state, setState] = useState<State>({ step: 'idle' });
  const can = useCan('edit', projectId);

  const start = async () => {
    setState({ step: 'starting' });
    try {
      setState({ step: 'started', job: await catalogApi.startThumbnails(projectId) });
    } catch (error) {
      setState({ step: 'failed', error: toApiError(error) });
    }
  };

  if (!can) return null;
  return (
    <div className="job-starter">
      <button type="button" className="button button-primary" onClick={start} disabled={state.step === 'starting'}>
        {state.step === 'starting' ? 'Starting…' : 'Generate thumbnails'}
      </button>
      <div aria-live="polite">
        {state.step === 'started' ? (
          <p className="job-started">
            Thumbnail job #{state.job.id} is {state.job.status}.{' '}
            <Link to={`/jobs?job=${state.job.id}`}>Follow job #{state.job.id} on the Jobs screen</Link>
          </p>
        ) : null}
        {state.step === 'failed' ? (
          <ErrorNotice error={state.error} title="Could not start the thumbnail job" onRetry={start} inline />
        ) : null}
      </div>
    </div>
  );
}
