import { useApiData } from '../../api/useApiData';
import { usePaginated } from '../../api/usePaginated';
import { setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { JOB_STATUSES, jobsApi, type JobStatus } from '../../shared/jobs/api';
import { JobCard } from './JobCard';

function parseStatus(value: string | null): JobStatus | null {
  return JOB_STATUSES.find((s) => s === value) ?? null;
}

function parseId(value: string | null): number | null {
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

/** Background jobs, each followed live; `?job=ID` highlights one (the one the user just started). */
export function JobsPage() {
  useDocumentTitle('Jobs');
  const { search } = useLocation();
  const status = parseStatus(search.get('status'));
  const focusId = parseId(search.get('job'));
  // new jobs and status changes appear without a reload (each card follows its own job's progress)
  const jobs = usePaginated((after, signal) => jobsApi.list(status, after, signal), [status], {
    live: (e) => e.topic === 'job' && e.action !== 'running',
  });
  // The job named in the URL is highlighted in the list; when the loaded pages do not hold it (a later page, or
  // filtered out), it is shown on its own above the list.
  const focusInList = focusId !== null && jobs.items.some((j) => j.id === focusId);
  const showFocused = focusId !== null && jobs.status !== 'loading' && !focusInList;

  return (
    <>
      <PageHeader
        title="Jobs"
        kicker="Background work"
        actions={
          <button type="button" className="button" onClick={jobs.reload}>
            Refresh list
          </button>
        }
      >
        <p>
          Long work (thumbnails today; exports and tagging later) runs as jobs on the server. Progress updates live;
          a paused job continues from its last checkpoint, also after a server restart.
        </p>
      </PageHeader>

      {showFocused ? <FocusedJob id={focusId} /> : null}

      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading" className="section-title">
          All jobs
        </h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter jobs">
          <label>
            Status
            <select value={status ?? ''} onChange={(e) => setQuery({ status: e.target.value || null })}>
              <option value="">Any status</option>
              {JOB_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </form>
        <PagedSection
          paged={jobs}
          noun="jobs"
          empty={
            <p>
              {status ? `No ${status} jobs.` : 'No jobs yet.'} Start one from a project page (Generate thumbnails).
            </p>
          }
        >
          {(items) => (
            <ul className="job-list">
              {items.map((job) => (
                <li key={job.id}>
                  <JobCard initial={job} highlighted={job.id === focusId} />
                </li>
              ))}
            </ul>
          )}
        </PagedSection>
      </section>
    </>
  );
}

/** The job named in the URL when the list does not show it. */
function FocusedJob({ id }: { id: number }) {
  const job = useApiData((signal) => jobsApi.get(id, signal), [id]);
  return (
    <section aria-labelledby="focused-job-heading" className="focused-job">
      <h2 id="focused-job-heading" className="section-title">
        Job #{id}
      </h2>
      {job.status === 'loading' ? <Loading label={`Loading job #${id}…`} /> : null}
      {job.status === 'error' ? (
        <ErrorNotice error={job.error} title={`Could not load job #${id}`} onRetry={job.reload} />
      ) : null}
      {job.status === 'ready' ? <JobCard key={job.data.id} initial={job.data} highlighted /> : null}
    </section>
  );
}
