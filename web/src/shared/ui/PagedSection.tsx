import type { ReactNode } from 'react';
import type { Paginated } from '../../api/usePaginated';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

interface Props<T> {
  paged: Paginated<T>;
  /** Plural noun for messages, e.g. "characters". */
  noun: string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}

/** A paginated list with its loading, error and empty states, a count, and a "Load more" button. */
export function PagedSection<T>({ paged, noun, empty, children }: Props<T>) {
  if (paged.status === 'loading') return <Loading label={`Loading ${noun}…`} />;
  if (paged.status === 'error' && paged.items.length === 0) {
    return <ErrorNotice error={paged.error!} title={`Could not load the ${noun}`} onRetry={paged.retry} />;
  }
  if (paged.items.length === 0) return <div className="empty">{empty}</div>;
  return (
    <>
      {children(paged.items)}
      <div className="list-footer">
        <p className="muted" aria-live="polite">
          Showing {paged.items.length} of {paged.total} {noun}
        </p>
        {paged.status === 'error' ? (
          <ErrorNotice error={paged.error!} title={`Could not load more ${noun}`} onRetry={paged.retry} inline />
        ) : paged.hasMore ? (
          <button
            type="button"
            className="button"
            onClick={paged.loadMore}
            disabled={paged.status === 'loadingMore'}
            aria-busy={paged.status === 'loadingMore'}
          >
            {paged.status === 'loadingMore' ? 'Loading…' : `Load more ${noun}`}
          </button>
        ) : null}
      </div>
    </>
  );
}
