import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import type { Segment } from './api';
import { SegmentCard } from './SegmentCard';

const segment = (overrides: Partial<Segment> = {}): Segment => ({
  id: 5,
  scene_id: 2,
  sequence_index: 1,
  seed_frame_path: null,
  output_video_path: 'media/a/segment_1.mkv',
  last_frame_path: null,
  status: 'complete',
  created_at: '2026-11-23T10:00:00Z',
  updated_at: '2026-11-23T10:00:00Z',
  ...overrides,
});

const media = {
  segment_id: 5,
  path: '/data/media/a/segment_1.mkv',
  container: 'matroska,webm',
  duration_seconds: 2,
  width: 480,
  height: 270,
  resolution: '480x270',
  codec: 'h264',
  fps: 29.97002997,
  pixel_format: 'yuv420p',
  color_space: null,
  frame_count: 60,
  size_bytes: 123456,
  bit_rate: 400000,
};

describe('SegmentCard', () => {
  it('shows the thumbnail, technical info and quality score', async () => {
    mockFetch((url) => {
      if (url === '/api/segments/5/media') return jsonResponse(media);
      if (url === '/api/segment-quality?segment_id=5&limit=1') {
        return jsonResponse({ items: [{ id: 1, segment_id: 5, overall_score: 0.6512, failure_tags: ['face_drift'] }], total: 1, next_after: null });
      }
      throw new Error(`unexpected ${url}`);
    });
    render(<SegmentCard segment={segment()} />);
    const img = screen.getByRole('img', { name: 'Thumbnail of segment 1 (#5)' }) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe('/api/segments/5/thumbnail');
    await screen.findByText('480x270');
    expect(screen.getByText('29.97 fps')).toBeTruthy();
    expect(screen.getByText('h264')).toBeTruthy();
    expect(screen.getByText('2.00 s')).toBeTruthy();
    expect(screen.getByText('segment_1.mkv')).toBeTruthy();
    await screen.findByText('0.651');
    expect(screen.getByText('face_drift')).toBeTruthy();
  });

  it('falls back to a placeholder when the thumbnail fails and shows why the video cannot be read', async () => {
    mockFetch((url) =>
      url.endsWith('/media')
        ? jsonResponse(
            { status: 404, error: 'file_missing', message: 'the video of segment 5 is missing: media/a/segment_1.mkv', field: 'output_video_path' },
            404,
          )
        : jsonResponse({ items: [], total: 0, next_after: null }),
    );
    render(<SegmentCard segment={segment()} />);
    fireEvent.error(screen.getByRole('img', { name: 'Thumbnail of segment 1 (#5)' }));
    expect(screen.getByRole('img', { name: 'No thumbnail for segment 1 (#5)' }).textContent).toBe('No preview');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the video of segment 5 is missing: media/a/segment_1.mkv');
    await screen.findByText('Quality: no score');
  });

  it('asks for no thumbnail when the segment has no video yet', () => {
    mockFetch(() => jsonResponse({ items: [], total: 0, next_after: null }));
    render(<SegmentCard segment={segment({ output_video_path: null, status: 'generating' })} />);
    expect(screen.queryByRole('img', { name: /^Thumbnail/ })).toBeNull();
    expect(screen.getByRole('img', { name: 'No thumbnail for segment 1 (#5)' }).textContent).toBe('No video yet');
  });
});
