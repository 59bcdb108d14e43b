// The watch feature's API calls: a segment's video (original or browser proxy), its frame metrics and its name.
import { api, apiUrl, type Schemas } from '../../api/client';

export type SegmentMedia = Schemas['SegmentMedia'];
export type FrameMetric = Schemas['FrameMetric'];
export type SegmentLabel = Schemas['SegmentLabel'];

export const videoUrl = (segmentId: number) => apiUrl('/api/segments/{id}/video', { id: segmentId });
export const proxyUrl = (segmentId: number) => apiUrl('/api/segments/{id}/video/proxy', { id: segmentId });
export const portraitUrl = (characterId: number) => apiUrl('/api/characters/{id}/portrait', { id: characterId });

/** What the player plays: the file itself when browsers decode it, else its proxy (made by the server once). */
export function playbackUrl(media: Pick<SegmentMedia, 'segment_id' | 'browser_playable'>): string {
  return media.browser_playable ? videoUrl(media.segment_id) : proxyUrl(media.segment_id);
}

export const watchApi = {
  media: (segmentId: number, signal: AbortSignal): Promise<SegmentMedia> =>
    api.get('/api/segments/{id}/media', { path: { id: segmentId }, signal }),
  /** Every measured frame of the segment (the API pages at 500; clips longer than that show the first 500). */
  frameMetrics: async (segmentId: number, signal: AbortSignal): Promise<FrameMetric[]> => {
    const page = await api.get('/api/frame-metrics', { query: { segment_id: segmentId, limit: 500 }, signal });
    return page.items;
  },
  labels: async (ids: readonly number[], signal?: AbortSignal): Promise<SegmentLabel[]> => {
    if (ids.length === 0) return [];
    const answer = await api.get('/api/segment-labels', { query: { ids: ids.join(',') }, signal });
    return answer.items;
  },
};
