import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
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

  it("re-reads the operation on each event of its job's stream (the shared job follower), and closes it at the end", async () => {
    const sources: { url: string; closed: boolean; emit: (type: string, data: unknown) => void }[] = [];
    class FakeEventSource {
      url: string;
      closed = false;
      onerror: (() => void) | null = null;
      private listeners = new Map<string, ((e: MessageEvent) => void)[]>();
      constructor(url: string) {
        this.url = url;
        sources.push(this);
      }
      addEventListener(type: string, l: (e: MessageEvent) => void) {
        this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
      }
      close() {
        this.closed = true;
      }
      emit(type: string, data: unknown) {
        for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
      }
    }
    vi.stubGlobal('EventSource', FakeEventSource);
    let done = 1;
    let status = 'in_progress';
    let reads = 0;
    mockFetch((url) => {
      if (url === '/api/metadata/operations/7') {
        reads++;
        return jsonResponse({
          operation: operation(status, done),
          items: [],
          progress: { done, total: 4 },
          job: job({ id: 3, kind: 'tagging.write', status: status === 'in_progress' ? 'running' : 'completed' }),
          events_url: '/api/jobs/3/events',
        });
      }
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    // a poll interval no test waits for: only the stream's events can move the operation on
    render(<OperationMonitor id={7} title="Write" pollMs={60_000} />);
    const region = await screen.findByRole('region', { name: 'Write #7' });
    await waitFor(() => expect(sources.map((x) => x.url)).toEqual(['/api/jobs/3/events']));
    const bar = within(region).getByRole('progressbar', { name: 'Progress of operation #7' });
    expect(bar.getAttribute('aria-valuetext')).toBe('25% (1 of 4)');

    const before = reads;
    done = 3;
    sources[0]!.emit('progress', job({ id: 3, kind: 'tagging.write', status: 'running', progress_done: 3 }));
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toBe('75% (3 of 4)'));
    expect(reads).toBeGreaterThan(before);

    done = 4;
    status = 'completed';
    sources[0]!.emit('end', job({ id: 3, kind: 'tagging.write', status: 'completed', progress_done: 4 }));
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('completed'));
    expect(sources[0]!.closed).toBe(true);
  });
});
