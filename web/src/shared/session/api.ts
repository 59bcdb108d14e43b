// The auth feature's API calls: who am I, web login and logout. The CSRF token they return is handed to the
// shared client, which sends it as X-CSRF-Token on every write made with the session cookie.
import { api, setCsrfToken, type Schemas } from '../../api/client';

export type Me = Schemas['Me'];

export const authApi = {
  me: async (signal?: AbortSignal): Promise<Me> => {
    const me = await api.get('/api/auth/me', { signal });
    setCsrfToken(me.csrf_token ?? null);
    return me;
  },
  login: async (name: string, password: string): Promise<Me> => {
    const me = await api.post('/api/auth/login', { body: { name, password } });
    setCsrfToken(me.csrf_token ?? null);
    return me;
  },
  logout: async (): Promise<void> => {
    try {
      await api.post('/api/auth/logout', {});
    } finally {
      setCsrfToken(null);
    }
  },
};
