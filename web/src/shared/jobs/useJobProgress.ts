import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api/client';
import { isAbort } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { jobsApi, type Job } from './api';
import { isTerminal } from './jobStatus';

/** How the hook is following the job right now. */
export type Transport = 'stream' | 'polling' | 'done';

export interface JobProgressOptions {
  /** Polling interval when the event stream is unavailable. */
  pollMs?: number;
  /** Runs with every newer state of the job (the initial one included). */
  onChange?: (job: Job) => void;
  /** Runs once, when the job reaches a terminal state (completed, failed, cancelled). */
  onFinished?: (job: Job) => void;
}

/**
 * Browsers allow six HTTP/1.1 connections per server; each event stream holds one open, and the tab's change stream
 * (api/live.ts) one more. Past this many open job streams further jobs are polled instead, so the page's own
 * requests (and its videos) never queue behind streams.
 */
export const MAX_STREAMS = 3;
let openStreams = 0;

/** For tests. */
export function openStreamCount(): number {
  return openStreams;
}

/**
 * The one way the web app follows a job (shown by `JobProgress`, and by the Jobs screen's cards): its Server-Sent
 * Events stream (`progress` events, then `end`), or polling GET /api/jobs/{id} when EventSource is missing, fails, or
 * too many streams are open. Stops when the job reaches a terminal state, then calls `onFinished` once.
 * `update` takes a newer job from elsewhere (e.g. the answer to a pause).
 */
export function useJobProgress(initial: Job, options: JobProgressOptions = {}) {
  const pollMs = options.pollMs ?? 1000;
  // the callbacks are new closures on every render; only the job's changes should call them
  const callbacks = useRef(options);
  callbacks.current = options;
  const finished = useRef(false);
  const [job, setJob] = useState<Job>(initial);
  const [transport, setTransport] = useState<Transport>(isTerminal(initial.status) ? 'done' : 'stream');
  const [pollError, setPollError] = useState<ApiError | null>(null);
  const id = initial.id;
  const ended = isTerminal(job.status);
  const jobRef = useRef(job);
  jobRef.current = job;

  const accept = useCallback((next: Job) => {
    // Never move back from a terminal state (a late poll answer after the final event).
    if (isTerminal(jobRef.current.status) && !isTerminal(next.status)) return;
    jobRef.current = next;
    setJob(next);
  }, []);

  useEffect(() => {
    if (ended) {
      setTransport('done');
      return;
    }
    let disposed = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const controller = new AbortController();

    const closeStream = () => {
      if (source) {
        source.close();
        source = null;
        openStreams--;
      }
    };

    const poll = async () => {
      timer = null;
      try {
        const next = await jobsApi.get(id, controller.signal);
        if (disposed) return;
        setPollError(null);
        accept(next);
        if (isTerminal(next.status)) return;
      } catch (error) {
        if (disposed || isAbort(error)) return;
        setPollError(toApiError(error));
      }
      timer = setTimeout(poll, pollMs);
    };

    const startPolling = () => {
      if (disposed || timer !== null) return;
      setTransport('polling');
      void poll();
    };

    const onEvent = (event: MessageEvent<string>) => {
      try {
        accept(JSON.parse(event.data) as Job);
      } catch {
        // a malformed event: the next one, or polling, corrects the view
      }
    };

    if (typeof EventSource === 'undefined' || openStreams >= MAX_STREAMS) {
      startPolling();
    } else {
      source = new EventSource(jobsApi.eventsUrl(id));
      openStreams++;
      setTransport('stream');
      source.addEventListener('progress', onEvent as EventListener);
      source.addEventListener('end', ((event: MessageEvent<string>) => {
        onEvent(event);
        closeStream();
      }) as EventListener);
      // EventSource would reconnect by itself; a poll is cheaper to reason about and shows the server's errors.
      source.onerror = () => {
        closeStream();
        startPolling();
      };
    }

    return () => {
      disposed = true;
      closeStream();
      controller.abort();
      if (timer !== null) clearTimeout(timer);
    };
  }, [id, ended, pollMs, accept]);

  useEffect(() => {
    callbacks.current.onChange?.(job);
    if (isTerminal(job.status) && !finished.current) {
      finished.current = true;
      callbacks.current.onFinished?.(job);
    }
  }, [job]);

  return { job, transport: ended ? ('done' as const) : transport, pollError, update: accept };
}
