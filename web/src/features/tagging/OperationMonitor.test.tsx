import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { OperationMonitor } from './OperationMonitor';

const operation = (status: string, done: number) => ({
  id: 7,
  operation_type: 'write',
  status,
  job_id: 3,
  rollback_of: null,
  file_count: 4,
  success_count: done,
  failure_count: 0,
  skipped_count: 0,
  error_message: null,
  user_note: null,
  started_at: '2026-11-23T10:00:00Z',
  completed_at: null,
  updated_at: '2026-11-23T10:00:00Z',
});

afterEach(() => vi.unstubAllGlobals());

describe('OperationMonitor', () => {
  it('shows progress, pauses, resumes and cancels the operation, and reports the end once', async () => {
    let status = 'in_progress';
    const actions: string[] = [];
    mockFetch((url, init) => {
      const action = /^\/api\/metadata\/operations\/7\/(pause|resume|cancel)$/.exec(url)?.[1];
      if (action && init?.method === 'POST') {
        actions.push(action);
        status = action === 'pause' ? 'paused' : action === 'resume' ? 'in_progress' : 'cancelled';
        return jsonResponse(operation(status, 1));
      }
      if (url === '/api/metadata/operations/7') {
        return jsonResponse({
          operation: operation(status, 1),
          items: [
            { id: 1, operation_id: 7, seq: 1, file_hash: 'a', file_hash_after: 'b', file_path: '/m/a.mp4', status: 'success',
              previous_comment: null, new_comment: 'People: A', tags_added: ['A'], tags_removed: [], rollback_item_id: null,
              error_message: null, processed_at: null, has_backup: true },
          ],
          progress: { done: 1, total: 4, ...(status === 'in_progress' ? { current_item: '/m/b.mp4' } : {}) },
        });
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    const onFinished = vi.fn();
    render(<OperationMonitor id={7} title="Write" pollMs={10} onFinished={onFinished} />);
    const region = await screen.findByRole('region', { name: 'Write #7' });
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('in_progress'));
    const bar = within(region).getByRole('progressbar', { name: 'Progress of operation #7' });
    expect(bar.getAttribute('aria-valuetext')).toBe('25% (1 of 4)');
    expect(region.textContent).toContain('Now: /m/b.mp4');

    fireEvent.click(within(region).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('paused'));
    fireEvent.click(await within(region).findByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('in_progress'));
    fireEvent.click(await within(region).findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('cancelled'));
    expect(actions).toEqual(['pause', 'resume', 'cancel']);
    expect(within(region).queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(within(region).getByRole('status').textContent).toBe('1 written · 0 failed · 0 skipped');
    await waitFor(() => expect(onFinished).toHaveBeenCalledTimes(1));
  });
});
