import { api } from '../../api/client';
import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { CreateButton, DeleteButton, EditButton } from './EditControls';
import { FIELDS } from './edits';
import { AddSourceImage } from './AddSourceImage';

/** A character's current source images and their variants (front, profile…), with their create/edit/delete. */
export function CharacterImages({ characterId, projectId }: { characterId: number; projectId: number }) {
  const images = useApiData(async (signal) => {
    const page = await api.get('/api/images', {
      query: { character_id: characterId, image_type: 'source', is_current_version: true, limit: 200 },
      signal,
    });
    const variants = await Promise.all(
      page.items.map((image) => api.get('/api/image-variants', { query: { image_id: image.id, limit: 200 }, signal })),
    );
    return page.items.map((image, i) => ({ image, variants: variants[i]!.items }));
  }, [characterId]);

  return (
    <section aria-labelledby="images-heading" className="panel">
      <div className="section-head">
        <h2 id="images-heading" className="section-title">
          Source images
        </h2>
        <AddSourceImage characterId={characterId} projectId={projectId} onAdded={images.reload} />
      </div>
      {images.status === 'loading' ? <Loading label="Loading images…" /> : null}
      {images.status === 'error' ? (
        <ErrorNotice error={images.error} title="Could not load the images" onRetry={images.reload} />
      ) : null}
      {images.status === 'ready' && images.data.length === 0 ? <p className="empty">No source images yet.</p> : null}
      {images.status === 'ready' && images.data.length > 0 ? (
        <ul className="image-list">
          {images.data.map(({ image, variants }) => (
            <li key={image.id} className="image-item">
              <div className="row-with-actions">
                <span>
                  <strong>{image.filename}</strong> <span className="muted">v{image.version_number}</span>
                  <br />
                  <span className="mono path">{image.path}</span>
                </span>
                <span className="row-actions">
                  <EditButton
                    kind="images"
                    fields={FIELDS.images}
                    record={image}
                    name={image.filename}
                    projectId={projectId}
                    onSaved={images.reload}
                  />
                  <DeleteButton
                    kind="images"
                    id={image.id}
                    name={image.filename}
                    projectId={projectId}
                    consequence="Its variants go with it; the file stays on disk."
                    onDeleted={images.reload}
                  />
                </span>
              </div>
              <div className="variants">
                <span className="muted">Variants:</span>
                {variants.length === 0 ? <span className="muted"> none</span> : null}
                <ul className="plain-list">
                  {variants.map((v) => (
                    <li key={v.id} className="row-with-actions">
                      <span>
                        {v.variant_type} <StatusBadge status={v.status} />
                      </span>
                      <span className="row-actions">
                        <EditButton
                          kind="image-variants"
                          fields={FIELDS['image-variants']}
                          record={v}
                          name={`${image.filename} ${v.variant_type}`}
                          projectId={projectId}
                          onSaved={images.reload}
                        />
                        <DeleteButton
                          kind="image-variants"
                          id={v.id}
                          name={`${image.filename} ${v.variant_type}`}
                          projectId={projectId}
                          permission="edit"
                          consequence="The variant record is removed."
                          onDeleted={images.reload}
                        />
                      </span>
                    </li>
                  ))}
                </ul>
                <CreateButton
                  kind="image-variants"
                  fields={FIELDS['image-variants']}
                  parent={{ image_id: image.id }}
                  defaults={{ status: 'pending' }}
                  projectId={projectId}
                  onCreated={images.reload}
                  buttonLabel={`Add variant of ${image.filename}`}
                />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
