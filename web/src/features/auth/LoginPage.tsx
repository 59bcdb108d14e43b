import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { authApi, type Me } from '../../shared/session/api';

/** The login screen: a user's name and web password (set with `reelmark users add NAME --password-stdin`). */
export function LoginPage({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  useDocumentTitle('Log in');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    authApi.login(name, password).then(onLoggedIn, (e: unknown) => {
      setError(toApiError(e));
      setBusy(false);
    });
  };

  return (
    <main id="main" className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-heading">
        <h1 id="login-heading">Log in to Reelmark</h1>
        <div className="exports-field">
          <label htmlFor="login-name">Name</label>
          <input
            id="login-name"
            type="text"
            autoComplete="username"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="exports-field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? (
          <p className="field-error" role="alert">
            {error.status === 401 ? 'Wrong name or password.' : error.message}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
