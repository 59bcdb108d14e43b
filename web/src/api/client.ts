// A small typed fetch wrapper over the server's OpenAPI document. Paths, path/query parameters, request bodies and
// answers are typed from src/api/schema.gen.ts, which `npm run generate:api` makes from src/api/openapi.json.
// Every failure becomes an ApiError carrying the server's JSON error ({status, error, message, field}).
import type { components, paths } from './schema.gen';

export type Schemas = components['schemas'];
export type ErrorBody = Schemas['Error'];

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The API paths that declare the given method. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends HttpMethod> = paths[P][M];

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? X : never;
type Body<O> = O extends { requestBody?: infer RB }
  ? [NonNullable<RB>] extends [never]
    ? never
    : NonNullable<RB> extends { content: { 'application/json': infer B } }
      ? B
      : never
  : never;

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of the operation's success answer (200, 201 or 202); `undefined` for 204. */
export type SuccessOf<O> = O extends { responses: infer R }
  ?
      | (R extends { 200: infer X } ? JsonOf<X> : never)
      | (R extends { 201: infer X } ? JsonOf<X> : never)
      | (R extends { 202: infer X } ? JsonOf<X> : never)
      | (R extends { 204: unknown } ? undefined : never)
  : never;

/** Options of one request: `path` is required exactly when the path has parameters. */
export type RequestOptions<O> = ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: undefined } : { query?: QueryParams<O> }) &
  ([Body<O>] extends [never] ? { body?: undefined } : { body: Body<O> }) & { signal?: AbortSignal };

/** An API failure as shown to the user: the server's error body, or one made up for network and protocol errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = body.status;
    this.code = body.error;
    this.field = body.field ?? null;
  }

  /** A network failure (the server could not be reached at all): status 0. */
  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
    return new ApiError({
      status: 0,
      error: 'network_error',
      message: `Cannot reach the Reelmark server${detail}. Check that it is running, then try again.`,
      field: null,
    });
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export function isAbort(value: unknown): boolean {
  return value instanceof DOMException && value.name === 'AbortError';
}

/** Builds a URL from a path template such as `/api/segments/{id}/thumbnail` and its parameters. */
export function apiUrl(
  template: string,
  pathParams?: Record<string, string | number>,
  query?: Record<string, string | number | boolean | null | undefined>,
): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathParams?.[name];
    if (value === undefined) throw new Error(`missing path parameter '${name}' for ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.append(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

function looksLikeErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && typeof v.error === 'string';
}

/** Turns a non-2xx answer into an ApiError, keeping the server's JSON error when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // the body could not be read: fall through to a generic message
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (looksLikeErrorBody(parsed)) {
      return new ApiError({
        status: typeof parsed.status === 'number' ? parsed.status : response.status,
        error: parsed.error,
        message: parsed.message,
        field: typeof parsed.field === 'string' ? parsed.field : null,
      });
    }
  } catch {
    // not JSON (e.g. a proxy's HTML error page)
  }
  const reason = response.statusText ? `${response.status} ${response.statusText}` : `HTTP ${response.status}`;
  return new ApiError({
    status: response.status,
    error: 'http_error',
    message: `The server answered ${reason}.`,
    field: null,
  });
}

// The web session's CSRF token (from login or /api/auth/me): sent as X-CSRF-Token on every write, because the
// session cookie alone must never be enough to change anything.
let csrfToken: string | null = null;

/** Remembers the session's CSRF token (null after logout or without a session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Fired on window when the server answers 401: the session ended, the app shows its login screen. */
export const UNAUTHORIZED_EVENT = 'reelmark:unauthorized';

async function send(method: string, url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken && method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const init: RequestInit = { method, headers, signal: signal ?? null };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    if (isAbort(cause)) throw cause;
    throw ApiError.network(cause);
  }
  if (response.status === 401 && typeof window !== 'undefined') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError({
      status: response.status,
      error: 'invalid_response',
      message: `The server sent an answer that is not JSON for ${method} ${url}.`,
      field: null,
    });
  }
}

function request<M extends HttpMethod, P extends PathsWith<M>>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>>,
): Promise<SuccessOf<Operation<P, M>>> {
  const url = apiUrl(
    path as string,
    options.path as Record<string, string | number> | undefined,
    options.query as Record<string, string | number | boolean> | undefined,
  );
  return send(method.toUpperCase(), url, options.body, options.signal) as Promise<SuccessOf<Operation<P, M>>>;
}

/** The typed API: `api.get('/api/characters/{id}', { path: { id: 3 } })` resolves to a Character. */
export const api = {
  get<P extends PathsWith<'get'>>(path: P, options: RequestOptions<Operation<P, 'get'>>) {
    return request('get', path, options);
  },
  post<P extends PathsWith<'post'>>(path: P, options: RequestOptions<Operation<P, 'post'>>) {
    return request('post', path, options);
  },
  put<P extends PathsWith<'put'>>(path: P, options: RequestOptions<Operation<P, 'put'>>) {
    return request('put', path, options);
  },
  patch<P extends PathsWith<'patch'>>(path: P, options: RequestOptions<Operation<P, 'patch'>>) {
    return request('patch', path, options);
  },
  delete<P extends PathsWith<'delete'>>(path: P, options: RequestOptions<Operation<P, 'delete'>>) {
    return request('delete', path, options);
  },
};

/** One page of a list endpoint: `next_after` is the `after` of the next page, null on the last one. */
export interface Page<T> {
  items: T[];
  total: number;
  next_after: number | null;
}
