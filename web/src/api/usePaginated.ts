import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { isAbort, type Page } from './client';
import { hasMore, initialPagedState, pagedReducer, type PagedState } from './pagination';
import { toApiError } from './useApiData';
import { useLive, LIVE_DEFAULT, type LiveFilter } from './useLive';

export type PageLoader<T> = (after: number | null, signal: AbortSignal) => Promise<Page<T>>;

export interface Paginated<T> extends PagedState<T> {
  hasMore: boolean;
  /** Asks for the next page and appends it; does nothing while a request is under way or on the last page. */
  loadMore: () => void;
  /** Retries what failed: the first page, or the page that "Load more" asked for. */
  retry: () => void;
  /** Starts over from the first page. */
  reload: () => void;
  /** Reads the pages shown again, keeping them on screen until the new ones are there (live updates). */
  refresh: () => void;
}

/**
 * A list read page by page from a paginated endpoint; `deps` (filters) restart it from the first page. It follows the
 * server's changes like `useApiData` (`live`), reading the pages shown again after each one.
 */
export function usePaginated<T>(
  loadPage: PageLoader<T>,
  deps: readonly unknown[],
  options: { live?: LiveFilter | null } = {},
): Paginated<T> {
  const [state, dispatch] = useReducer(pagedReducer<T>, undefined, initialPagedState<T>);
  const [generation, setGeneration] = useState(0);
  const loaderRef = useRef(loadPage);
  loaderRef.current = loadPage;
  const inFlight = useRef<AbortController | null>(null);

  const fetchPage = useCallback((after: number | null, append: boolean) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    loaderRef.current(after, controller.signal).then(
      (page) => {
        if (!controller.signal.aborted) dispatch({ type: 'loaded', page, append });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) dispatch({ type: 'failed', error: toApiError(error) });
      },
    );
  }, []);

  useEffect(() => {
    dispatch({ type: 'reset' });
    fetchPage(null, false);
    return () => inFlight.current?.abort();
    // Restart only when the caller's deps (its filters) change; the loader itself is read through a ref.
  }, [...deps, generation, fetchPage]);

  const busy = state.status === 'loading' || state.status === 'loadingMore';
  const loadMore = useCallback(() => {
    if (busy || state.nextAfter === null) return;
    dispatch({ type: 'loadMore' });
    fetchPage(state.nextAfter, true);
  }, [busy, state.nextAfter, fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const retry = useCallback(() => {
    if (state.items.length === 0) {
      reload();
    } else {
      dispatch({ type: 'loadMore' });
      fetchPage(state.nextAfter, true);
    }
  }, [state.items.length, state.nextAfter, fetchPage, reload]);

  const shown = useRef(0);
  shown.current = state.items.length;
  const refresh = useCallback(() => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const want = Math.max(1, shown.current);
    (async () => {
      // the same number of rows as shown (new rows included), page by page, then one swap
      let page = await loaderRef.current(null, controller.signal);
      const items = [...page.items];
      while (items.length < want && page.next_after !== null) {
        page = await loaderRef.current(page.next_after, controller.signal);
        items.push(...page.items);
      }
      return { ...page, items };
    })().then(
      (page) => {
        if (!controller.signal.aborted) dispatch({ type: 'loaded', page, append: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) dispatch({ type: 'failed', error: toApiError(error) });
      },
    );
  }, []);

  useLive(options.live === undefined ? LIVE_DEFAULT : options.live, refresh);
  return { ...state, hasMore: hasMore(state), loadMore, retry, reload, refresh };
}
