import { usePaginated } from '../../api/usePaginated';
import { Link, navigate } from '../../shared/router';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { formatDateTime } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { catalogApi } from './api';
import { CatalogTabs } from './CatalogTabs';
import { CreateButton } from './EditControls';
import { FIELDS } from './edits';
import { routes } from '../../shared/routes';

export function ProjectsPage() {
  useDocumentTitle('Projects');
  const projects = usePaginated(catalogApi.projects, []);
  return (
    <>
      <PageHeader
        title="Catalog"
        kicker="Reelmark"
        actions={
          <CreateButton
            kind="projects"
            fields={FIELDS.projects}
            onCreated={(created) => navigate(routes.project(created.id))}
          />
        }
      >
        <p>Projects, their characters, scenes and generated segments, and the versioned assets that made them.</p>
      </PageHeader>
      <CatalogTabs current="projects" />
      <section aria-labelledby="projects-heading">
        <h2 id="projects-heading" className="section-title">
          Projects
        </h2>
        <PagedSection
          paged={projects}
          noun="projects"
          empty={
            <p>
              No projects yet. Create one with “New project”, or run <code>reelmark demo</code> for a demo studio.
            </p>
          }
        >
          {(items) => (
            <ul className="card-grid">
              {items.map((project) => (
                <li key={project.id} className="card">
                  <h3 className="card-title">
                    <Link to={routes.project(project.id)}>{project.name}</Link>
                  </h3>
                  {project.description ? <p>{project.description}</p> : <p className="muted">No description.</p>}
                  <p className="meta">
                    <span className="mono">#{project.id}</span> · created{' '}
                    <time dateTime={project.created_at}>{formatDateTime(project.created_at)}</time>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </PagedSection>
      </section>
    </>
  );
}
