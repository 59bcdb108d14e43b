import { useEffect, useRef, useState } from 'react';
import { shortHash } from './logic';

type CopyState = 'idle' | 'copied' | 'failed';

/** A hash shown shortened (the whole value in its title) with a Copy button that confirms visibly. */
export function CopyableHash({ value, label }: { value: string | null | undefined; label: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);

  if (!value) return <span className="muted">—</span>;

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2500);
  };

  return (
    <span className="hash" data-hash={value}>
      <code title={value}>{shortHash(value)}</code>{' '}
      <button type="button" className="button button-small copy-button" onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span role="status" className={state === 'failed' ? 'copy-status error-text' : 'copy-status'}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the hash in the tooltip' : ''}
      </span>
    </span>
  );
}
