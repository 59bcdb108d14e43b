import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { ProvenancePage } from './ProvenancePage';

const reason = { asset_type: 'lora', asset_name: 'chloe-likeness', used_id: 4, receipt_version: 'v1', current_id: 8, current_version: 'v2' };
const staleSegment = (id: number) => ({ segment_id: id, scene_id: 1, sequence_index: 0, receipt_id: id, reasons: [reason], regenerated_as: [] });
const report = {
  project_id: 1,
  asset_id: null,
  total_segments: 5,
  segments_with_receipts: 5,
  segments_without_receipts: 0,
  total_stale_segments: 3,
  total_stale_scenes: 1,
  by_asset: [
    {
      ...reason,
      affected_segments: 3,
      affected_scenes: 1,
      segment_ids: [2, 3, 5],
      message: '3 segments across 1 scene used chloe-likeness v1 — you are on v2',
    },
  ],
  stale_segments: [staleSegment(2), staleSegment(3), staleSegment(5)],
};
const project = { id: 1, name: 'Night Shift', description: null, created_at: '2026-11-23T10:00:00Z', updated_at: '2026-11-23T10:00:00Z' };
const job = {
  id: 9,
  kind: 'provenance.regenerate',
  status: 'completed',
  params: { project_id: 1, segment_ids: [2, 5] },
  state: null,
  result: { regenerated: 2, drafts: [{ old_segment_id: 2, new_segment_id: 6 }, { old_segment_id: 5, new_segment_id: 7 }] },
  error: null,
  progress_done: 2,
  progress_total: 2,
  current_item: null,
  claimed_by: null,
  heartbeat_at: null,
  attempts: 1,
  created_at: '2026-11-23T10:00:00Z',
  updated_at: '2026-11-23T10:00:00Z',
  started_at: '2026-11-23T10:00:00Z',
  finished_at: '2026-11-23T10:00:01Z',
};

afterEach(() => vi.unstubAllGlobals());

describe('ProvenancePage', () => {
  it('shows the report and regenerates the selected segments in table order', async () => {
    const posted: unknown[] = [];
    let reports = 0;
    mockFetch((url, init) => {
      if (url.startsWith('/api/projects?')) return jsonResponse({ items: [project], total: 1, next_after: null });
      if (url === '/api/projects/1/staleness-report') {
        reports++;
        return jsonResponse(report);
      }
      if (url === '/api/projects/1/regenerate-stale' && init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return jsonResponse({ job, segment_ids: [2, 5], message: '2 segment(s) queued for regeneration' }, 202);
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<ProvenancePage />);
    expect(await screen.findByText('3 segments across 1 scene used chloe-likeness v1 — you are on v2')).toBeTruthy();
    const button = screen.getByRole('button', { name: /^Re-generate selected/ }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select segment #5' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select segment #2' }));
    const all = screen.getByRole('checkbox', { name: 'Select all stale segments' }) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    expect(button.textContent).toBe('Re-generate selected (2)');
    fireEvent.click(button);

    await waitFor(() => expect(posted).toEqual([{ segment_ids: [2, 5] }]));
    const card = await screen.findByRole('article', { name: 'Regeneration job #9' });
    expect(within(card).getByRole('list', { name: 'New segments' }).textContent).toContain('segment #5 → new take #7');
    expect(screen.getByRole('status').textContent).toBe('2 segment(s) queued for regeneration');
    // the ended job reloads the report
    await waitFor(() => expect(reports).toBe(2));
  });

  it('does not offer a segment whose new take is pending, so a second click cannot make a duplicate draft', async () => {
    const queued = { ...report, stale_segments: [{ ...staleSegment(2), regenerated_as: [6], open_draft_id: 1 }, staleSegment(3)] };
    mockFetch((url) => {
      if (url.startsWith('/api/projects?')) return jsonResponse({ items: [project], total: 1, next_after: null });
      if (url === '/api/projects/1/staleness-report') return jsonResponse(queued);
      if (url.startsWith('/api/segment-labels')) {
        return jsonResponse({
          items: [2, 3, 6].map((id) => ({
            segment_id: id, label: `Chloé Martin — dance · seg ${id}`, character_id: 1, character_name: 'Chloé Martin',
            scene_id: 1, scene_name: 'café', scene_type: 'dance', sequence_index: 0, status: 'complete', has_video: true,
          })),
        });
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<ProvenancePage />);
    const pending = (await screen.findByRole('checkbox', { name: 'Chloé Martin — dance · seg 2 already has a pending take' })) as HTMLInputElement;
    expect(pending.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all stale segments' }));
    expect(screen.getByRole('button', { name: /^Re-generate selected/ }).textContent).toBe('Re-generate selected (1)');
    expect(screen.getByText(/1 segment already has a pending take/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Chloé Martin — dance · seg 3' })).toBeTruthy();
  });
});
