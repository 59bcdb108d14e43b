import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbort } from './client';
import { useLive, LIVE_DEFAULT, type LiveFilter } from './useLive';

export type AsyncState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError };

/** Turns anything thrown while loading into an ApiError the UI can show. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ status: 0, error: 'client_error', message, field: null });
}

/**
 * Loads data when the component mounts and whenever `deps` change; aborts the previous request. `reload()` loads
 * again; `refresh()` loads again keeping the current data on screen until the answer is there. `load` must only read
 * what `deps` name. It follows the server's changes (`live`, default: catalog, metadata and staleness changes; null:
 * not at all) and refreshes itself after each one.
 */
export function useApiData<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  options: { live?: LiveFilter | null } = {},
): AsyncState<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const silent = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    // a refresh keeps what is shown until the new answer is there (a live update must not blank the screen)
    if (!silent.current) setState({ status: 'loading' });
    silent.current = false;
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setState({ status: 'error', error: toApiError(error) });
      },
    );
    return () => controller.abort();
    // `load` is a new closure on every render; `deps` say when what it reads has changed.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  /** Loads again without showing the loading state (live updates). */
  const refresh = useCallback(() => {
    silent.current = true;
    setGeneration((g) => g + 1);
  }, []);
  useLive(options.live === undefined ? LIVE_DEFAULT : options.live, refresh);
  return { ...state, reload, refresh };
}
