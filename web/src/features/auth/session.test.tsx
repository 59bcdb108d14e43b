import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { api, setCsrfToken } from '../../api/client';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { SessionGate, useSession } from './session';

const ME = {
  name: 'ada',
  via: 'session',
  roles: [{ role: 'admin', project_id: null }],
  csrf_token: 'csrf-123',
  is_admin: true,
  auth_required: true,
};

function Who() {
  const session = useSession();
  return <p>inside as {session?.me.name}</p>;
}

afterEach(() => setCsrfToken(null));

describe('SessionGate', () => {
  it('shows the login screen on 401, logs in, and then writes carry the CSRF token (reads do not)', async () => {
    let loggedIn = false;
    const fetch = mockFetch((url, init) => {
      if (url === '/api/auth/me') {
        return loggedIn ? jsonResponse(ME) : jsonResponse({ status: 401, error: 'unauthorized', message: 'log in', field: null }, 401);
      }
      if (url === '/api/auth/login') {
        const body = JSON.parse(String(init?.body)) as { password: string };
        if (body.password !== 'right password') {
          return jsonResponse({ status: 401, error: 'invalid_credentials', message: 'wrong', field: null }, 401);
        }
        loggedIn = true;
        return jsonResponse(ME);
      }
      return jsonResponse({ id: 1 }, 201);
    });
    render(
      <SessionGate>
        <Who />
      </SessionGate>,
    );
    const name = await screen.findByLabelText('Name');
    fireEvent.change(name, { target: { value: 'ada' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong name or password.');

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByText('inside as ada')).textContent).toBe('inside as ada');

    await api.post('/api/projects', { body: { name: 'P' } });
    await api.get('/api/projects', {});
    const post = fetch.mock.calls.find((c) => c[0] === '/api/projects' && c[1]?.method === 'POST')!;
    const get = fetch.mock.calls.find((c) => c[0] === '/api/projects' && c[1]?.method === 'GET')!;
    expect((post[1]!.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-123');
    expect((get[1]!.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
  });

  it('lets the local operator of a server without users straight in', async () => {
    mockFetch(() => jsonResponse({ ...ME, name: 'local', via: 'local', csrf_token: null, auth_required: false }));
    render(
      <SessionGate>
        <Who />
      </SessionGate>,
    );
    expect((await screen.findByText('inside as local')).textContent).toBe('inside as local');
  });
});
