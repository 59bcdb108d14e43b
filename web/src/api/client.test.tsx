import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorNotice } from '../shared/ui/ErrorNotice';
import { jsonResponse, mockFetch } from '../test/fetchMock';
import { api, ApiError, apiUrl } from './client';

describe('api client', () => {
  it('returns the typed JSON of a success and builds the URL from path and query parameters', async () => {
    const fetch = mockFetch(() => jsonResponse({ items: [], total: 0, next_after: null }));
    const page = await api.get('/api/characters', { query: { project_id: 3, after: 40 } });
    expect(page).toEqual({ items: [], total: 0, next_after: null });
    expect(fetch.mock.calls[0]![0]).toBe('/api/characters?project_id=3&after=40');
    expect((fetch.mock.calls[0]![1]!.headers as Record<string, string>).Accept).toBe('application/json');
  });

  it("turns the server's JSON error into an ApiError with status, code, message and field", async () => {
    mockFetch(() =>
      jsonResponse({ status: 400, error: 'invalid_field', message: 'name: is required', field: 'name' }, 400),
    );
    const error = await api.post('/api/projects', { body: { name: '' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_field', message: 'name: is required', field: 'name' });
  });

  it('keeps a 404 as the server worded it', async () => {
    mockFetch(() =>
      jsonResponse({ status: 404, error: 'not_found', message: 'character 99 does not exist', field: null }, 404),
    );
    const error = await api.get('/api/characters/{id}', { path: { id: 99 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: 'character 99 does not exist', field: null });
  });

  it('sends a JSON body on POST', async () => {
    const fetch = mockFetch(() => jsonResponse({ id: 1 }, 201));
    await api.post('/api/projects', { body: { name: 'Night Shift' } });
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"name":"Night Shift"}');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('describes an error answer that is not JSON (e.g. a proxy page) by its status', async () => {
    mockFetch(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = await api.get('/api/projects', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'http_error', message: 'The server answered 502 Bad Gateway.' });
  });

  it('reports a server it cannot reach as a network error with status 0', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = await api.get('/api/projects', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    expect((error as ApiError).message).toContain('Cannot reach the Reelmark server (Failed to fetch)');
  });

  it('lets an aborted request reject with the AbortError, not an ApiError', async () => {
    mockFetch(() => jsonResponse({}));
    const controller = new AbortController();
    controller.abort();
    const error = await api.get('/api/projects', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('flags a success whose body is not JSON', async () => {
    mockFetch(() => new Response('not json', { status: 200 }));
    const error = await api.get('/api/projects', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('returns undefined for 204 No Content', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(api.delete('/api/projects/{id}', { path: { id: 2 } })).resolves.toBeUndefined();
  });

  it('encodes path parameters and drops empty query values', () => {
    expect(apiUrl('/api/x/{id}', { id: 'a/b' }, { a: 1, b: null, c: '', d: false })).toBe('/api/x/a%2Fb?a=1&d=false');
    expect(() => apiUrl('/api/x/{id}')).toThrow("missing path parameter 'id'");
  });
});

describe('ErrorNotice', () => {
  it('shows the message, the status and code, and the field as an alert', () => {
    render(
      <ErrorNotice
        title="Could not save"
        error={new ApiError({ status: 409, error: 'conflict', message: 'name is taken', field: 'name' })}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not save');
    expect(alert.textContent).toContain('name is taken');
    expect(alert.textContent).toContain('409 conflict');
    expect(alert.textContent).toContain('field name');
  });
});
