import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { TaggingPage } from './TaggingPage';

const item = (hash: string, risk: 'safe' | 'warning' | 'danger', comment: string | null) => ({
  file_hash: hash,
  file_path: `/data/media/${hash}.mp4`,
  file_name: `${hash}.mp4`,
  file_type: 'mp4',
  size_bytes: 1000,
  modified_at: null,
  segment_ids: [1],
  db_people: ['Ava'],
  existing_people: [],
  result_people: ['Ava'],
  tags_to_add: ['Ava'],
  tags_to_remove: [],
  existing_comment: comment,
  result_comment: 'People: Ava',
  comment_kind: comment === null ? 'none' : 'custom',
  provenance: null,
  risk_level: risk,
  can_update: true,
  issues: [],
  warnings: [],
  conflict_type: comment === null ? 'none' : 'custom_comment',
  has_changes: true,
  edited: false,
  skipped: false,
  preserve_comment: false,
});

const statistics = {
  total_files: 2,
  safe_count: 1,
  warning_count: 0,
  danger_count: 1,
  blocked_count: 0,
  total_tags_to_add: 2,
  total_tags_to_remove: 0,
  will_overwrite_custom: 1,
  with_provenance: 0,
  unchanged_count: 0,
  skipped_count: 0,
  edited_count: 0,
  ready_count: 2,
};

const plan = {
  items: [item('aaa', 'safe', null), item('ddd', 'danger', 'Shot on location')],
  statistics,
  categories: { safe: ['aaa'], danger: ['ddd'], ready: ['aaa', 'ddd'] },
  page: 1,
  per_page: 10,
  total_items: 2,
  total_pages: 1,
  generated_in_ms: 1,
  cache_hits: 2,
  probed: 0,
  ffprobe_calls: 0,
};

afterEach(() => vi.unstubAllGlobals());

describe('TaggingPage planner', () => {
  it('asks before writing a danger file, writes nothing on cancel, and sends confirm_danger on confirm', async () => {
    const posted: unknown[] = [];
    mockFetch((url, init) => {
      if (url.startsWith('/api/metadata/plan?')) return jsonResponse(plan);
      if (url === '/api/metadata/write' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        posted.push(body);
        // the dry run is a background operation (#3), read back once it ended
        if (body.dry_run) return jsonResponse({ operation_id: 3, job_id: 8, events_url: '/api/jobs/8/events' }, 202);
        return jsonResponse({ operation_id: 4, job_id: 9, events_url: '/api/jobs/9/events' }, 202);
      }
      if (url === '/api/metadata/operations/3') {
        return jsonResponse({
          operation: {
            id: 3, operation_type: 'dry_run', status: 'completed_with_errors', job_id: 8, rollback_of: null, file_count: 2,
            success_count: 1, failure_count: 1, skipped_count: 0, error_message: null, user_note: null,
            started_at: '2026-11-23T09:59:00Z', completed_at: '2026-11-23T09:59:01Z', updated_at: '2026-11-23T09:59:01Z',
          },
          items: [
            { id: 30, operation_id: 3, seq: 0, file_hash: 'aaa', file_hash_after: null, file_path: '/data/media/aaa.mp4', status: 'success',
              previous_comment: null, new_comment: 'People: Ava', tags_added: [], tags_removed: [], rollback_item_id: null,
              error_message: null, processed_at: null, has_backup: false, write_path: null },
            { id: 31, operation_id: 3, seq: 1, file_hash: 'ddd', file_hash_after: null, file_path: '/data/media/ddd.mp4', status: 'failed',
              previous_comment: null, new_comment: 'People: Ava', tags_added: [], tags_removed: [], rollback_item_id: null,
              error_message: 'not writable; disk full', processed_at: null, has_backup: false, write_path: null },
          ],
          progress: { done: 2, total: 2 },
        });
      }
      if (url === '/api/metadata/operations/4') {
        return jsonResponse({
          operation: {
            id: 4, operation_type: 'write', status: 'completed', job_id: 9, rollback_of: null, file_count: 2,
            success_count: 2, failure_count: 0, skipped_count: 0, error_message: null, user_note: null,
            started_at: '2026-11-23T10:00:00Z', completed_at: '2026-11-23T10:00:01Z', updated_at: '2026-11-23T10:00:01Z',
          },
          items: [],
          progress: { done: 2, total: 2 },
        });
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<TaggingPage />);
    const summary = await screen.findByRole('region', { name: 'Plan summary' });
    expect(summary.textContent).toContain('Danger1');
    const write = screen.getByRole('button', { name: 'Write selected (0)' }) as HTMLButtonElement;
    expect(write.disabled).toBe(true);

    fireEvent.click(within(screen.getByRole('group', { name: 'Select' })).getByRole('button', { name: 'All' }));
    expect(screen.getByTestId('selection-count').textContent).toBe('2 of 2 files selected');
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const dry = await screen.findByRole('region', { name: 'Dry run' });
    expect(dry.textContent).toContain('Dry run: 1 ok · 1 with errors · 0 skipped · 0 files written.');
    expect(within(dry).getByRole('list', { name: 'Dry run errors' }).textContent).toBe('/data/media/ddd.mp4: not writable; disk full');

    fireEvent.click(screen.getByRole('button', { name: 'Write selected (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Replace comment text?' });
    expect(dialog.textContent).toContain('1 of the 2 files you selected');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(posted).toEqual([{ file_hashes: ['aaa', 'ddd'], dry_run: true, background: true }]);

    fireEvent.click(screen.getByRole('button', { name: 'Write selected (2)' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Replace and write' }));
    await waitFor(() => expect(posted).toHaveLength(2));
    expect(posted[1]).toEqual({ file_hashes: ['aaa', 'ddd'], dry_run: false, confirm_danger: true });
    const monitor = await screen.findByRole('region', { name: 'Write #4' });
    await waitFor(() => expect(monitor.getAttribute('data-status')).toBe('completed'));
    expect(within(monitor).getByRole('status').textContent).toBe('2 written · 0 failed · 0 skipped');
  });

  it('writes only safe files without asking', async () => {
    const posted: unknown[] = [];
    mockFetch((url, init) => {
      if (url.startsWith('/api/metadata/plan?')) return jsonResponse(plan);
      if (url === '/api/metadata/write') {
        posted.push(JSON.parse(String(init?.body)));
        return jsonResponse({ status: 400, error: 'invalid_field', message: 'nope', field: 'file_hashes' }, 400);
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<TaggingPage />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select /data/media/aaa.mp4' }));
    fireEvent.click(screen.getByRole('button', { name: 'Write selected (1)' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await screen.findByRole('alert')).textContent).toContain('nope');
    expect(posted).toEqual([{ file_hashes: ['aaa'], dry_run: false }]);
  });
});
