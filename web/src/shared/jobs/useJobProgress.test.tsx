import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
import type { Job } from './api';
import { MAX_STREAMS, openStreamCount, useJobProgress } from './useJobProgress';

/** A stand-in EventSource that tests drive by hand. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  closed = false;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
  }

  emit(type: 'progress' | 'end', data: Job) {
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data: JSON.stringify(data) }));
  }

  fail() {
    this.onerror?.(new Event('error'));
  }
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useJobProgress', () => {
  it('follows progress events from the stream and closes it on the end event', () => {
    const { result } = renderHook(() => useJobProgress(job({ status: 'queued', progress_done: 0 })));
    const source = FakeEventSource.instances.at(-1)!;
    expect(source.url).toBe('/api/jobs/7/events');
    expect(result.current.transport).toBe('stream');

    act(() => source.emit('progress', job({ status: 'running', progress_done: 5 })));
    expect(result.current.job).toMatchObject({ status: 'running', progress_done: 5 });

    act(() => source.emit('end', job({ status: 'completed', progress_done: 12 })));
    expect(result.current.job.status).toBe('completed');
    expect(result.current.transport).toBe('done');
    expect(source.closed).toBe(true);
    expect(openStreamCount()).toBe(0);
  });

  it('falls back to polling GET /api/jobs/{id} when the stream errors, until the job ends', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const answers = [job({ progress_done: 6 }), job({ progress_done: 9 }), job({ status: 'completed', progress_done: 12 })];
    const fetch = mockFetch(() => jsonResponse(answers.shift() ?? job({ status: 'completed', progress_done: 12 })));
    const { result } = renderHook(() => useJobProgress(job(), { pollMs: 500 }));
    const source = FakeEventSource.instances.at(-1)!;

    act(() => source.fail());
    expect(source.closed).toBe(true);
    expect(result.current.transport).toBe('polling');
    await waitFor(() => expect(result.current.job.progress_done).toBe(6));
    expect(fetch.mock.calls[0]![0]).toBe('/api/jobs/7');

    await act(() => vi.advanceTimersByTimeAsync(500));
    await waitFor(() => expect(result.current.job.progress_done).toBe(9));
    await act(() => vi.advanceTimersByTimeAsync(500));
    await waitFor(() => expect(result.current.job.status).toBe('completed'));
    expect(result.current.transport).toBe('done');

    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('keeps polling through a failed poll and shows the error meanwhile', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let calls = 0;
    mockFetch(() => {
      calls++;
      return calls === 1
        ? jsonResponse({ status: 503, error: 'unavailable', message: 'server restarting', field: null }, 503)
        : jsonResponse(job({ status: 'completed', progress_done: 12 }));
    });
    const { result } = renderHook(() => useJobProgress(job(), { pollMs: 200 }));
    act(() => FakeEventSource.instances.at(-1)!.fail());
    await waitFor(() => expect(result.current.pollError?.message).toBe('server restarting'));
    await act(() => vi.advanceTimersByTimeAsync(200));
    await waitFor(() => expect(result.current.job.status).toBe('completed'));
    expect(result.current.pollError).toBeNull();
  });

  it('polls when the browser has no EventSource', async () => {
    vi.stubGlobal('EventSource', undefined);
    mockFetch(() => jsonResponse(job({ status: 'completed', progress_done: 12 })));
    const { result } = renderHook(() => useJobProgress(job()));
    await waitFor(() => expect(result.current.job.status).toBe('completed'));
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('opens no stream for a job that already ended', () => {
    const { result } = renderHook(() => useJobProgress(job({ status: 'failed', error: 'disk full' })));
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(result.current.transport).toBe('done');
  });

  it(`opens at most ${MAX_STREAMS} streams at once and polls the other jobs`, () => {
    mockFetch(() => jsonResponse(job()));
    const hooks = Array.from({ length: MAX_STREAMS + 2 }, (_, i) =>
      renderHook(() => useJobProgress(job({ id: 100 + i }), { pollMs: 60_000 })),
    );
    expect(FakeEventSource.instances).toHaveLength(MAX_STREAMS);
    expect(hooks.at(-1)!.result.current.transport).toBe('polling');
    hooks.forEach((h) => h.unmount());
    expect(openStreamCount()).toBe(0);
  });

  it('takes a newer job from an action answer but never moves back from a terminal state', () => {
    const { result } = renderHook(() => useJobProgress(job()));
    act(() => result.current.update(job({ status: 'paused' })));
    expect(result.current.job.status).toBe('paused');
    act(() => result.current.update(job({ status: 'cancelled' })));
    act(() => result.current.update(job({ status: 'running' })));
    expect(result.current.job.status).toBe('cancelled');
  });
});
