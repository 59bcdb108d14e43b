import { useApiData } from '../../api/useApiData';
import { ProjectSelect } from '../../shared/ui/ProjectSelect';
import { setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useKeptData } from '../../shared/useKeptData';
import { exportsApi } from './api';
import { DatasetPanel } from './DatasetPanel';
import { parseSegmentIds } from './logic';
import { SidecarExportPanel } from './SidecarExportPanel';
import { TemplatesPanel } from './TemplatesPanel';
import { useProjects } from '../../shared/query';

/** The project id in `?project=`, or null. */
function parseProject(raw: string | null): number | null {
  return raw && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

/** Sidecar templates and their export, and training-dataset exports. */
export function ExportsPage() {
  useDocumentTitle('Exports');
  const { search } = useLocation();
  const templates = useApiData((signal) => exportsApi.templates(signal), []);
  const projects = useProjects();
  const asked = parseProject(search.get('project'));
  const segmentIds = parseSegmentIds(search.get('segments'));

  // Kept while the list reloads after a save, so the editor stays open.
  const templateList = useKeptData(templates)?.items;

  let templatesBody;
  if (templates.status === 'error') {
    templatesBody = <ErrorNotice error={templates.error} title="Could not load the sidecar templates" onRetry={templates.reload} />;
  } else if (!templateList) templatesBody = <Loading label="Loading the templates…" />;
  else templatesBody = <TemplatesPanel templates={templateList} onChanged={templates.reload} />;

  let projectBody;
  if (projects.status === 'loading') projectBody = <Loading label="Loading projects…" />;
  else if (projects.status === 'error') {
    projectBody = <ErrorNotice error={projects.error} title="Could not load the projects" onRetry={projects.reload} />;
  } else if (projects.data.items.length === 0) {
    projectBody = (
      <div className="empty">
        <p>
          No projects yet, so nothing to export. Create one with <code>POST /api/projects</code>, or run{' '}
          <code>reelmark demo</code>.
        </p>
      </div>
    );
  } else {
    const items = projects.data.items;
    const project = items.find((p) => p.id === asked) ?? items[0]!;
    projectBody = (
      <>
        <div className="filters">
          <ProjectSelect projects={items} value={project.id} onChange={(id) => setQuery({ project: id, segments: null })} />
        </div>
        <div className="exports-columns">
          <section aria-labelledby="sidecar-export-heading">
            <h2 id="sidecar-export-heading" className="section-title">
              Sidecar export
            </h2>
            {templateList ? (
              <SidecarExportPanel key={project.id} project={project} templates={templateList} />
            ) : (
              <p className="muted">The export needs the templates.</p>
            )}
          </section>
          <section aria-labelledby="dataset-export-heading">
            <h2 id="dataset-export-heading" className="section-title">
              Dataset export
            </h2>
            <DatasetPanel key={project.id} project={project} segmentIds={project.id === asked ? segmentIds : []} />
          </section>
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Exports" kicker="Sidecars and datasets">
        <p>
          VFX sidecars carry each video's technical facts and generation parameters to Nuke, Resolve, Avid, After
          Effects and OpenTimelineIO; training datasets package the catalog's segments for model training.
        </p>
      </PageHeader>
      <section aria-labelledby="templates-heading">
        <h2 id="templates-heading" className="section-title">
          Sidecar templates
        </h2>
        {templatesBody}
      </section>
      {projectBody}
    </>
  );
}
