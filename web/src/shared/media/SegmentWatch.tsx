import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { ComparePlayer } from './ComparePlayer';
import { SegmentPlayer } from './SegmentPlayer';
import { useSegmentLabels } from './useSegmentLabels';

type SegmentProvenance = Schemas['SegmentProvenance'];
type Segment = Schemas['Segment'];

/** The pair to compare for a segment: the take it replaced, or the newest take that replaces it. */
export function comparePair(p: SegmentProvenance): { stale: number; regenerated: number } | null {
  if (p.regenerated_from && p.regenerated_from.replaces.exists) {
    return { stale: p.regenerated_from.replaces_segment_id, regenerated: p.segment_id };
  }
  const newest = [...p.regenerations].sort((x, y) => y.id - x.id)[0];
  return newest ? { stale: p.segment_id, regenerated: newest.new_segment_id } : null;
}

/** The receipt page's player, and the A/B comparison with the other take when regeneration made one. */
export function SegmentWatch({ provenance }: { provenance: SegmentProvenance }) {
  const pair = comparePair(provenance);
  const { nameOf } = useSegmentLabels(pair ? [provenance.segment_id, pair.stale, pair.regenerated] : [provenance.segment_id]);
  return (
    <section aria-labelledby="watch-heading" className="watch">
      <h2 id="watch-heading" className="section-title">
        Watch
      </h2>
      <SegmentPlayer segmentId={provenance.segment_id} title={nameOf(provenance.segment_id)} />
      {pair && (
        <section aria-labelledby="compare-heading">
          <h3 id="compare-heading">Compare the stale take with its regeneration</h3>
          <ComparePlayer
            a={{ segmentId: pair.stale, name: nameOf(pair.stale), role: 'stale' }}
            b={{ segmentId: pair.regenerated, name: nameOf(pair.regenerated), role: 'regenerated' }}
          />
        </section>
      )}
    </section>
  );
}

/** The scene page's player: pick a segment of the scene that has a video and watch it frame by frame. */
export function SceneWatch({ segments, nameOf }: { segments: readonly Segment[]; nameOf: (s: Segment) => string }) {
  const playable = segments.filter((s) => s.output_video_path);
  const [chosen, setChosen] = useState<number | null>(null);
  const current = playable.find((s) => s.id === chosen) ?? playable[0];
  if (!current) return null;
  return (
    <section aria-labelledby="scene-watch-heading" className="watch">
      <h2 id="scene-watch-heading" className="section-title">
        Watch
      </h2>
      <label className="field-inline">
        <span>Segment</span>{' '}
        <select value={current.id} onChange={(e) => setChosen(Number(e.target.value))}>
          {playable.map((s) => (
            <option key={s.id} value={s.id}>
              {nameOf(s)}
            </option>
          ))}
        </select>
      </label>
      <SegmentPlayer key={current.id} segmentId={current.id} title={nameOf(current)} />
    </section>
  );
}
