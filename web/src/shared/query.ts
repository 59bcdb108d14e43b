import { QueryClient, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type Page, type Schemas } from '../api/client';
import { toApiError, type AsyncState } from '../api/useApiData';
import { useLive, LIVE_DEFAULT, type LiveFilter } from '../api/useLive';

/**
 * The web app's one cache of server state (TanStack Query): a query asked for by several screens (the project list)
 * is fetched once, shared while in flight, and shown at once when a screen opens again while it is refreshed. The
 * hooks pass this client explicitly, so no provider is needed (component tests render screens bare; their setup
 * clears it after each test).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // the screens show the server's error and a Retry button; they never retry behind the user's back
      retry: false,
      refetchOnWindowFocus: false,
      // server changes arrive through the live stream (useLive), which refreshes what is cached
      staleTime: 10_000,
    },
  },
});

/**
 * `useApiData` over the shared cache: `key` names the data (the same key is the same data on every screen), `load`
 * reads it. `reload()` forgets it and shows the loading state again; `refresh()` reads it again keeping it on screen.
 * It follows the server's changes like `useApiData` (`live`; null: not at all).
 */
export function useApiQuery<T>(
  key: readonly unknown[],
  load: (signal: AbortSignal) => Promise<T>,
  options: { live?: LiveFilter | null } = {},
): AsyncState<T> & { reload: () => void; refresh: () => void } {
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => load(signal) }, queryClient);
  const keyText = JSON.stringify(key);
  const reload = useCallback(() => void queryClient.resetQueries({ queryKey: JSON.parse(keyText) }), [keyText]);
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: JSON.parse(keyText) }), [keyText]);
  useLive(options.live === undefined ? LIVE_DEFAULT : options.live, refresh);
  if (query.status === 'success') return { status: 'ready', data: query.data, reload, refresh };
  if (query.status === 'error') return { status: 'error', error: toApiError(query.error), reload, refresh };
  return { status: 'loading', reload, refresh };
}

export type Project = Schemas['Project'];

/** Every project (up to 500), for the project pickers of the feature screens: the one way they read /api/projects. */
export function useProjects() {
  return useApiQuery<Page<Project>>(['projects', { limit: 500 }], (signal) =>
    api.get('/api/projects', { query: { limit: 500 }, signal }),
  );
}
