import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { CopyableHash } from './CopyableHash';
import { StaleMarker, StaleSegmentsProvider } from './StaleSegments';

const report = {
  project_id: 1,
  asset_id: null,
  total_segments: 3,
  segments_with_receipts: 3,
  segments_without_receipts: 0,
  total_stale_segments: 1,
  total_stale_scenes: 1,
  by_asset: [],
  stale_segments: [
    {
      segment_id: 2,
      scene_id: 1,
      sequence_index: 1,
      receipt_id: 2,
      regenerated_as: [],
      reasons: [
        { asset_type: 'lora', asset_name: 'chloe-likeness', used_id: 4, receipt_version: 'v1', current_id: 8, current_version: 'v2' },
      ],
    },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('stale markers', () => {
  it('load the report once per project and mark only stale segments', async () => {
    const fetch = mockFetch((url) => {
      if (url === '/api/projects/1/staleness-report') return jsonResponse(report);
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(
      <StaleSegmentsProvider projectId={1}>
        {[1, 2, 3].map((id) => (
          <div key={id} data-testid={`seg-${id}`}>
            <StaleMarker segmentId={id} />
          </div>
        ))}
      </StaleSegmentsProvider>,
    );
    const marker = await screen.findByRole('link', { name: 'Stale: lora chloe-likeness v1 → v2' });
    expect(marker.getAttribute('href')).toBe('/provenance/segments/2');
    expect(screen.getByTestId('seg-2').textContent).toBe('stale');
    expect(screen.getByTestId('seg-1').textContent).toBe('');
    expect(screen.getByTestId('seg-3').textContent).toBe('');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('show nothing without a provider', () => {
    render(<StaleMarker segmentId={2} />);
    expect(screen.queryByRole('link')).toBeNull();
  });
});

describe('CopyableHash', () => {
  const hash = 'e3b0dac85226e2a9ff182b839ce6ab7e3b5124de1513dfdf6dda0a056f8ef353';

  it('shows the hash shortened, copies all of it and confirms', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    render(<CopyableHash value={hash} label="inputs hash" />);
    expect(screen.getByText('e3b0dac85226…').getAttribute('title')).toBe(hash);
    fireEvent.click(screen.getByRole('button', { name: 'Copy inputs hash' }));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(hash);
  });

  it('says so when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    render(<CopyableHash value={hash} label="inputs hash" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy inputs hash' }));
    // The status element is there from the start (empty); wait for the rejected copy to fill it.
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Copy failed'));
  });

  it('shows a dash for no hash', () => {
    render(<CopyableHash value={null} label="x" />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('—')).toBeTruthy();
  });
});
