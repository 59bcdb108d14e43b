import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { isAbort, type Page } from './client';
import { hasMore, initialPagedState, pagedReducer, type PagedState } from './pagination';
import { toApiError } from './useApiData';

export type PageLoader<T> = (after: number | null, signal: AbortSignal) => Promise<Page<T>>;

export interface Paginated<T> extends PagedState<T> {
  hasMore: boolean;
  /** Asks for the next page and appends it; does nothing while a request is under way or on the last page. */
  loadMore: () => void;
  /** Retries what failed: the first page, or the page that "Load more" asked for. */
  retry: () => void;
  /** Starts over from the first page. */
  reload: () => void;
}

/** A list read page by page from a paginated endpoint; `deps` (filters) restart it from the first page. */
export function usePaginated<T>(loadPage: PageLoader<T>, deps: readonly unknown[]): Paginated<T> {
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

  return { ...state, hasMore: hasMore(state), loadMore, retry, reload };
}
