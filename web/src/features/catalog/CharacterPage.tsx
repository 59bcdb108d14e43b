import type { ReactNode } from 'react';
import { useApiData } from '../../api/useApiData';
import { usePaginated } from '../../api/usePaginated';
import { Link, navigate } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { formatDateTime } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useSlot } from '../../shared/slots';
import { catalogApi, type Character } from './api';
import { routes } from '../../shared/routes';
import { Tags } from './Tags';
import { CreateButton, DeleteButton, EditButton } from './EditControls';
import { FIELDS, sceneFields } from './edits';
import { CharacterImages } from './CharacterImages';

export function CharacterPage({ id }: { id: number }) {
  const MetadataPanel = useSlot('MetadataPanel');
  const chain = useApiData(async (signal) => {
    const character = await catalogApi.character(id, signal);
    const [project, sceneTypes] = await Promise.all([
      catalogApi.project(character.project_id, signal),
      catalogApi.sceneTypes(character.project_id, signal),
    ]);
    return {
      character,
      project,
      sceneTypes: sceneTypes.items,
      sceneTypeNames: new Map(sceneTypes.items.map((t) => [t.id, t.name])),
    };
  }, [id]);
  const scenes = usePaginated((after, signal) => catalogApi.scenes(id, after, signal), [id]);
  useDocumentTitle(chain.data?.character.name ?? `Character ${id}`);

  if (chain.status === 'loading') return <Loading label="Loading the character…" />;
  if (chain.status === 'error') {
    return (
      <>
        <PageHeader title={`Character ${id}`} crumbs={[{ label: 'Projects', to: routes.projects() }]} />
        <ErrorNotice error={chain.error} title="Could not load the character" onRetry={chain.reload} />
      </>
    );
  }
  const { character, project, sceneTypes, sceneTypeNames } = chain.data;
  return (
    <>
      <PageHeader
        title={character.name}
        kicker="Character"
        crumbs={[
          { label: 'Projects', to: routes.projects() },
          { label: project.name, to: routes.project(project.id) },
        ]}
        actions={
          <>
            <EditButton
              kind="characters"
              fields={FIELDS.characters}
              record={character}
              name={character.name}
              projectId={project.id}
              onSaved={chain.reload}
            />
            <DeleteButton
              kind="characters"
              id={character.id}
              name={character.name}
              projectId={project.id}
              consequence={`Deleting “${character.name}” deletes their images, scenes and segments.`}
              onDeleted={() => navigate(routes.project(project.id))}
            />
          </>
        }
      >
        {character.description ? <p>{character.description}</p> : null}
      </PageHeader>

      <CharacterDetails character={character} />

      <CharacterImages characterId={character.id} projectId={project.id} />

      <MetadataPanel entity="character" id={character.id} projectId={project.id} />

      <section aria-labelledby="scenes-heading">
        <div className="section-head">
          <h2 id="scenes-heading" className="section-title">
            Scenes
          </h2>
          {sceneTypes.length > 0 ? (
            <CreateButton
              kind="scenes"
              fields={sceneFields(sceneTypes)}
              parent={{ character_id: character.id }}
              defaults={{ status: 'pending', scene_type_id: String(sceneTypes[0]!.id) }}
              projectId={project.id}
              onCreated={(created) => navigate(routes.scene(created.id))}
            />
          ) : null}
        </div>
        <PagedSection paged={scenes} noun="scenes" empty={<p>No scenes for this character yet.</p>}>
          {(items) => (
            <div className="table-wrap">
              <table className="data-table stack-on-phone">
                <thead>
                  <tr>
                    <th scope="col">Scene</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((scene) => (
                    <tr key={scene.id}>
                      <th scope="row" data-label="Scene">
                        <Link to={routes.scene(scene.id)}>{scene.name}</Link>
                      </th>
                      <td data-label="Type">{sceneTypeNames.get(scene.scene_type_id) ?? `#${scene.scene_type_id}`}</td>
                      <td data-label="Status">
                        <StatusBadge status={scene.status} />
                      </td>
                      <td data-label="Updated">
                        <time dateTime={scene.updated_at}>{formatDateTime(scene.updated_at)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </PagedSection>
      </section>
    </>
  );
}

function CharacterDetails({ character }: { character: Character }) {
  const custom = character.custom_fields ? Object.entries(character.custom_fields) : [];
  const rows: [string, ReactNode][] = [
    ['Tags', <Tags key="tags" tags={character.tags} />],
    ['Height', character.height ?? '—'],
    ['Build', character.build ?? '—'],
    ['Hair', character.hair_color ?? '—'],
    ['Eyes', character.eye_color ?? '—'],
    ...custom.map(([key, value]): [string, ReactNode] => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  ];
  return (
    <section aria-labelledby="details-heading" className="panel">
      <h2 id="details-heading" className="section-title">
        Details
      </h2>
      <dl className="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
