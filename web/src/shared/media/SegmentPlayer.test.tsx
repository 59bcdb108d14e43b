import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { ComparePlayer } from './ComparePlayer';
import { SegmentPlayer } from './SegmentPlayer';

const media = (id: number, playable: boolean) => ({
  segment_id: id, path: '/data/media/a.mkv', container: 'matroska,webm', duration_seconds: 1, width: 320, height: 180,
  resolution: '320x180', codec: playable ? 'h264' : 'mpeg4', fps: 24, pixel_format: 'yuv420p', color_space: null,
  frame_count: 24, size_bytes: 1000, bit_rate: 8000, streams: [], tags: {},
  content_type: playable ? 'video/mp4' : 'video/x-matroska', browser_playable: playable,
});
const metric = (frame: number, face: number) => ({
  id: frame + 1, segment_id: 3, frame, face_confidence: face, motion_score: null, quality_metric: 0.5, boundary_ssim: null,
  created_at: '2026-11-23T10:00:00Z', updated_at: '2026-11-23T10:00:00Z',
});

afterEach(() => vi.unstubAllGlobals());

describe('SegmentPlayer', () => {
  it('plays the proxy of a codec browsers cannot decode, steps frames and shows that frame’s metrics', async () => {
    mockFetch((url) => {
      if (url === '/api/segments/3/media') return jsonResponse(media(3, false));
      if (url.startsWith('/api/frame-metrics?')) {
        return jsonResponse({ items: [metric(0, 0.91), metric(1, 0.42)], total: 2, next_after: null });
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<SegmentPlayer segmentId={3} title="Chloé Martin — dance · seg 0" />);
    const video = (await screen.findByLabelText('Video of Chloé Martin — dance · seg 0')) as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe('/api/segments/3/video/proxy');
    expect(screen.getByText(/Playing a browser proxy: the original is mpeg4/)).toBeTruthy();
    const readout = screen.getByText(/^Frame 0/);
    expect(readout.textContent).toBe('Frame 0 / 23 · 00:00:00:00');
    expect(await screen.findByText('0.910')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next frame' }));
    expect(readout.textContent).toBe('Frame 1 / 23 · 00:00:00:01');
    expect(screen.getByText('0.420')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Previous frame' }));
    fireEvent.click(screen.getByRole('button', { name: 'Previous frame' }));
    expect(readout.textContent).toBe('Frame 0 / 23 · 00:00:00:00');
  });

  it('says a segment without a video is waiting for the generator instead of showing an error', async () => {
    mockFetch(() => jsonResponse({ status: 404, error: 'no_video', message: 'segment 3 has no output video yet', field: 'output_video_path' }, 404));
    render(<SegmentPlayer segmentId={3} title="x" />);
    expect(await screen.findByText(/No video yet/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('ComparePlayer', () => {
  it('shows both takes side by side, the file itself for a web codec', async () => {
    mockFetch((url) => {
      if (url === '/api/segments/3/media') return jsonResponse(media(3, false));
      if (url === '/api/segments/9/media') return jsonResponse(media(9, true));
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(
      <ComparePlayer
        a={{ segmentId: 3, name: 'Chloé Martin — dance · seg 0', role: 'stale' }}
        b={{ segmentId: 9, name: 'Chloé Martin — dance · seg 0', role: 'regenerated' }}
      />,
    );
    const a = (await screen.findByLabelText('A: Chloé Martin — dance · seg 0 (stale)')) as HTMLVideoElement;
    const b = screen.getByLabelText('B: Chloé Martin — dance · seg 0 (regenerated)') as HTMLVideoElement;
    expect(a.getAttribute('src')).toBe('/api/segments/3/video/proxy');
    expect(b.getAttribute('src')).toBe('/api/segments/9/video');
    expect(a.hasAttribute('controls')).toBe(true);
    expect(b.hasAttribute('controls')).toBe(false);
  });
});
