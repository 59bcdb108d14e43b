import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { UNAUTHORIZED_EVENT, isAbort, type ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { authApi, type Me } from '../../shared/session/api';
import { SessionContext } from '../../shared/session/session';
import { LoginPage } from './LoginPage';

export { useSession } from '../../shared/session/session';

type State = { status: 'checking' } | { status: 'in'; me: Me } | { status: 'out' } | { status: 'error'; error: ApiError };

/**
 * Asks the server who we are before showing the app: with no users the local operator is let in at once; once the
 * server has users, a 401 shows the login screen (and so does any later 401, when a session ends).
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'checking' });

  const check = useCallback((signal?: AbortSignal) => {
    authApi.me(signal).then(
      (me) => setState({ status: 'in', me }),
      (error: unknown) => {
        if (isAbort(error)) return;
        const e = toApiError(error);
        setState(e.status === 401 ? { status: 'out' } : { status: 'error', error: e });
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    check(controller.signal);
    const onUnauthorized = () => setState((s) => (s.status === 'in' && s.me.auth_required ? { status: 'out' } : s));
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => {
      controller.abort();
      window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    };
  }, [check]);

  const logout = useCallback(() => {
    authApi.logout().finally(() => setState({ status: 'out' }));
  }, []);

  if (state.status === 'checking') return <Loading label="Checking who you are…" />;
  if (state.status === 'error') {
    return <ErrorNotice error={state.error} title="Could not reach the server" onRetry={() => check()} />;
  }
  if (state.status === 'out') return <LoginPage onLoggedIn={(me) => setState({ status: 'in', me })} />;
  return <SessionContext.Provider value={{ me: state.me, logout }}>{children}</SessionContext.Provider>;
}
