import { useEffect } from 'react';

/** Sets the browser tab's title to "<title> · Reelmark". */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Reelmark` : 'Reelmark';
  }, [title]);
}
