import { useRef } from 'react';
import type { AsyncState } from '../api/useApiData';

/**
 * The last data a `useApiData` state was ready with, kept while it reloads, so a "Check again" or a reload after a
 * job does not blank the screen (and does not reset what the user just did there). Undefined before the first load.
 */
export function useKeptData<T>(state: AsyncState<T>): T | undefined {
  const kept = useRef<T | undefined>(undefined);
  if (state.status === 'ready') kept.current = state.data;
  return kept.current;
}
