import { useApiData } from '../../api/useApiData';
import { CharacterPortrait } from '../../shared/media/CharacterPortrait';
import { usePaginated } from '../../api/usePaginated';
import { Link, navigate } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { formatDateTime } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { catalogApi } from './api';
import { routes } from '../../shared/routes';
import { Tags } from './Tags';
import { ThumbnailsJobButton } from './ThumbnailsJobButton';
import { CreateButton, DeleteButton, EditButton } from './EditControls';
import { FIELDS } from './edits';

export function ProjectPage({ id }: { id: number }) {
  const project = useApiData((signal) => catalogApi.project(id, signal), [id]);
  const characters = usePaginated((after, signal) => catalogApi.characters(id, after, signal), [id]);
  const sceneTypes = useApiData((signal) => catalogApi.sceneTypes(id, signal), [id]);
  useDocumentTitle(project.data?.name ?? `Project ${id}`);

  if (project.status === 'loading') return <Loading label="Loading the project…" />;
  if (project.status === 'error') {
    return (
      <>
        <PageHeader title={`Project ${id}`} crumbs={[{ label: 'Projects', to: routes.projects() }]} />
        <ErrorNotice error={project.error} title="Could not load the project" onRetry={project.reload} />
      </>
    );
  }
  const p = project.data;
  return (
    <>
      <PageHeader
        title={p.name}
        kicker="Project"
        crumbs={[{ label: 'Projects', to: routes.projects() }]}
        actions={
          <>
            <ThumbnailsJobButton projectId={p.id} />
            <EditButton kind="projects" fields={FIELDS.projects} record={p} name={p.name} projectId={p.id} onSaved={project.reload} />
            <DeleteButton
              kind="projects"
              id={p.id}
              name={p.name}
              projectId={p.id}
              permission="admin"
              typeToConfirm
              consequence={`Deleting “${p.name}” deletes its ${characters.total} characters with their scenes, segments and receipts.`}
              onDeleted={() => navigate(routes.projects())}
            />
          </>
        }
      >
        {p.description ? <p>{p.description}</p> : null}
        <p className="meta">
          <Link to={routes.projectScenes(p.id)}>All scenes and segments</Link> · <span className="mono">#{p.id}</span> · created <time dateTime={p.created_at}>{formatDateTime(p.created_at)}</time>
        </p>
      </PageHeader>

      <section aria-labelledby="characters-heading">
        <div className="section-head">
          <h2 id="characters-heading" className="section-title">
            Characters
          </h2>
          <CreateButton
            kind="characters"
            fields={FIELDS.characters}
            parent={{ project_id: p.id }}
            projectId={p.id}
            onCreated={characters.reload}
          />
        </div>
        <PagedSection
          paged={characters}
          noun="characters"
          empty={<p>This project has no characters yet. Add one with “New character”.</p>}
        >
          {(items) => (
            <div className="table-wrap">
              <table className="data-table stack-on-phone">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Look</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" data-label="Name">
                        <span className="with-portrait">
                          <CharacterPortrait characterId={c.id} name={c.name} size={32} />
                          <Link to={routes.character(c.id)}>{c.name}</Link>
                        </span>
                      </th>
                      <td data-label="Tags">
                        <Tags tags={c.tags} />
                      </td>
                      <td data-label="Look">{[c.build, c.hair_color && `${c.hair_color} hair`].filter(Boolean).join(', ') || '—'}</td>
                      <td data-label="Updated">
                        <time dateTime={c.updated_at}>{formatDateTime(c.updated_at)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </PagedSection>
      </section>

      <section aria-labelledby="scene-types-heading">
        <div className="section-head">
          <h2 id="scene-types-heading" className="section-title">
            Scene types
          </h2>
          <CreateButton
            kind="scene-types"
            fields={FIELDS['scene-types']}
            parent={{ project_id: p.id }}
            projectId={p.id}
            onCreated={sceneTypes.reload}
          />
        </div>
        {sceneTypes.status === 'loading' ? <Loading label="Loading scene types…" /> : null}
        {sceneTypes.status === 'error' ? (
          <ErrorNotice error={sceneTypes.error} title="Could not load the scene types" onRetry={sceneTypes.reload} />
        ) : null}
        {sceneTypes.status === 'ready' ? (
          sceneTypes.data.items.length === 0 ? (
            <p className="empty">No scene types yet.</p>
          ) : (
            <ul className="plain-list">
              {sceneTypes.data.items.map((t) => (
                <li key={t.id} className="row-with-actions">
                  <span>
                    <strong>{t.name}</strong>
                    {t.description ? <span className="muted"> — {t.description}</span> : null}
                  </span>
                  <span className="row-actions">
                    <EditButton
                      kind="scene-types"
                      fields={FIELDS['scene-types']}
                      record={t}
                      name={t.name}
                      projectId={p.id}
                      onSaved={sceneTypes.reload}
                    />
                    <DeleteButton
                      kind="scene-types"
                      id={t.id}
                      name={t.name}
                      projectId={p.id}
                      permission="edit"
                      consequence={`The scene type “${t.name}” can only go when no scene uses it.`}
                      onDeleted={sceneTypes.reload}
                    />
                  </span>
                </li>
              ))}
            </ul>
          )
        ) : null}
      </section>
    </>
  );
}
