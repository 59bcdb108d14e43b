import { useMemo } from 'react';
import { useApiData } from '../../api/useApiData';
import { watchApi, type SegmentLabel } from './api';

/**
 * Names for many segments with one request: "Chloé Martin — dance · seg 0". Until they arrive (or for an id that no
 * longer exists) {@link nameOf} falls back to "segment #ID".
 */
export function useSegmentLabels(ids: readonly number[]) {
  const key = [...new Set(ids)].sort((x, y) => x - y).join(',');
  const labels = useApiData(
    (signal) => watchApi.labels(key === '' ? [] : key.split(',').map(Number), signal),
    [key],
    { live: (e) => e.topic === 'catalog' && ['characters', 'scenes', 'scene_types', 'segments'].includes(e.entity) },
  );
  return useMemo(() => {
    const byId = new Map<number, SegmentLabel>((labels.data ?? []).map((l) => [l.segment_id, l]));
    return {
      byId,
      nameOf: (id: number) => byId.get(id)?.label ?? `segment #${id}`,
    };
  }, [labels.data]);
}
