import { useApiData } from '../../api/useApiData';
import { usePaginated } from '../../api/usePaginated';
import { navigate } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { formatDateTime } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useSlot } from '../../shared/slots';
import { catalogApi } from './api';
import { routes } from '../../shared/routes';
import { SegmentCard } from './SegmentCard';
import { CreateButton, DeleteButton, EditButton } from './EditControls';
import { FIELDS, sceneFields } from './edits';
import { SegmentPeople } from './SegmentPeople';
import { SceneWatch } from '../../shared/media/SegmentWatch';
import { byTakeOrder } from './takeOrder';

export function ScenePage({ id }: { id: number }) {
  const MetadataPanel = useSlot('MetadataPanel');
  const StaleSegmentsProvider = useSlot('StaleSegmentsProvider');
  const chain = useApiData(async (signal) => {
    const scene = await catalogApi.scene(id, signal);
    const [character, sceneType] = await Promise.all([
      catalogApi.character(scene.character_id, signal),
      catalogApi.sceneType(scene.scene_type_id, signal),
    ]);
    const [project, sceneTypes] = await Promise.all([
      catalogApi.project(character.project_id, signal),
      catalogApi.sceneTypes(character.project_id, signal),
    ]);
    return { scene, sceneType, character, project, sceneTypes: sceneTypes.items };
  }, [id]);
  const segments = usePaginated((after, signal) => catalogApi.segments(id, after, signal), [id]);
  useDocumentTitle(chain.data?.scene.name ?? `Scene ${id}`);

  if (chain.status === 'loading') return <Loading label="Loading the scene…" />;
  if (chain.status === 'error') {
    return (
      <>
        <PageHeader title={`Scene ${id}`} crumbs={[{ label: 'Projects', to: routes.projects() }]} />
        <ErrorNotice error={chain.error} title="Could not load the scene" onRetry={chain.reload} />
      </>
    );
  }
  const { scene, sceneType, character, project, sceneTypes } = chain.data;
  return (
    <>
      <PageHeader
        title={scene.name}
        kicker="Scene"
        crumbs={[
          { label: 'Projects', to: routes.projects() },
          { label: project.name, to: routes.project(project.id) },
          { label: character.name, to: routes.character(character.id) },
        ]}
        actions={
          <>
            <EditButton
              kind="scenes"
              fields={sceneFields(sceneTypes)}
              record={scene}
              name={scene.name}
              projectId={project.id}
              onSaved={chain.reload}
            />
            <DeleteButton
              kind="scenes"
              id={scene.id}
              name={scene.name}
              projectId={project.id}
              consequence={`Deleting “${scene.name}” deletes its segments (the video files stay on disk).`}
              onDeleted={() => navigate(routes.character(character.id))}
            />
          </>
        }
      >
        <p className="meta">
          <StatusBadge status={scene.status} /> · type <strong>{sceneType.name}</strong> ·{' '}
          <span className="mono">#{scene.id}</span> · updated{' '}
          <time dateTime={scene.updated_at}>{formatDateTime(scene.updated_at)}</time>
        </p>
      </PageHeader>

      <MetadataPanel entity="scene" id={scene.id} projectId={project.id} />

      <SceneWatch
        segments={segments.items}
        nameOf={(s) => `${character.name} — ${sceneType.name} · seg ${s.sequence_index}`}
      />

      <StaleSegmentsProvider projectId={project.id}>
        <section aria-labelledby="segments-heading">
          <div className="section-head">
            <h2 id="segments-heading" className="section-title">
              Segments
            </h2>
            <CreateButton
              kind="segments"
              fields={FIELDS.segments}
              parent={{ scene_id: scene.id }}
              defaults={{ status: 'pending', sequence_index: String(segments.total) }}
              projectId={project.id}
              onCreated={segments.reload}
            />
          </div>
          <PagedSection paged={segments} noun="segments" empty={<p>This scene has no segments yet.</p>}>
            {(items) => (
              <ol className="segment-grid" aria-label="Segments in order">
                {byTakeOrder(items).map((segment) => (
                  <li key={segment.id}>
                    <SegmentCard segment={segment} />
                    <div className="segment-edit">
                      <SegmentPeople segmentId={segment.id} projectId={project.id} />
                      <div className="row-actions">
                        <EditButton
                          kind="segments"
                          fields={FIELDS.segments}
                          record={segment}
                          name={`segment ${segment.sequence_index}`}
                          projectId={project.id}
                          onSaved={segments.reload}
                        />
                        <DeleteButton
                          kind="segments"
                          id={segment.id}
                          name={`segment ${segment.sequence_index}`}
                          projectId={project.id}
                          consequence="Its quality scores, frame metrics and receipts go with it (the video file stays on disk)."
                          onDeleted={segments.reload}
                        />
                      </div>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </PagedSection>
        </section>
      </StaleSegmentsProvider>
    </>
  );
}
