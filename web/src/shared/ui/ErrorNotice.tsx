import type { ApiError } from '../../api/client';

interface Props {
  error: ApiError;
  /** What failed, e.g. "Could not load the character". */
  title?: string;
  onRetry?: () => void;
  /** Compact, inline form (inside a card) instead of a block. */
  inline?: boolean;
}

/** Shows an API error as the server worded it, with its status and code for the people who debug it. */
export function ErrorNotice({ error, title = 'Something went wrong', onRetry, inline = false }: Props) {
  const code = error.status > 0 ? `${error.status} ${error.code}` : error.code;
  return (
    <div className={inline ? 'notice notice-error notice-inline' : 'notice notice-error'} role="alert">
      <p className="notice-title">{title}</p>
      <p className="notice-message">{error.message}</p>
      <p className="notice-meta">
        <code>{code}</code>
        {error.field ? (
          <>
            {' · field '}
            <code>{error.field}</code>
          </>
        ) : null}
      </p>
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
