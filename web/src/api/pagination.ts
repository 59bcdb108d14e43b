import type { ApiError, Page } from './client';

/**
 * The state of a paginated list that grows with "Load more": the API pages in id order and tells the `after` of the
 * next page (`next_after`, null on the last page).
 */
export interface PagedState<T> {
  items: T[];
  total: number;
  nextAfter: number | null;
  /** loading: the first page; loadingMore: a further page; error: the last request failed. */
  status: 'loading' | 'ready' | 'loadingMore' | 'error';
  error: ApiError | null;
}

export type PagedAction<T> =
  | { type: 'reset' }
  | { type: 'loadMore' }
  | { type: 'loaded'; page: Page<T>; append: boolean }
  | { type: 'failed'; error: ApiError };

export function initialPagedState<T>(): PagedState<T> {
  return { items: [], total: 0, nextAfter: null, status: 'loading', error: null };
}

export function pagedReducer<T>(state: PagedState<T>, action: PagedAction<T>): PagedState<T> {
  switch (action.type) {
    case 'reset':
      return initialPagedState<T>();
    case 'loadMore':
      return { ...state, status: 'loadingMore', error: null };
    case 'loaded':
      return {
        items: action.append ? [...state.items, ...action.page.items] : action.page.items,
        total: action.page.total,
        nextAfter: action.page.next_after,
        status: 'ready',
        error: null,
      };
    case 'failed':
      return { ...state, status: 'error', error: action.error };
  }
}

/** Whether another page can be asked for. */
export function hasMore(state: PagedState<unknown>): boolean {
  return state.nextAfter !== null;
}
