/**
 * The public API with the caller's token, nothing else. An error keeps the API's own body
 * (`{error: {code, message, details: [{path, message}]}}`) so a form can put each reason next to its field.
 */

export interface Session {
  token: string;
  role: string;
  sub: string;
  /** The department the token names (docs/domain.md §6.5): its staff add findings to the cases routed to it. */
  department?: string;
}

const KEY = 'console.session';

export function session(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

/** Reads role, subject and department from the token for the console's menus and forms; the API checks the signature on every call. */
export function signIn(token: string): Session {
  const payload = JSON.parse(atob(token.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? '')) as {
    role?: unknown;
    sub?: unknown;
    department?: unknown;
  };
  if (typeof payload.role !== 'string' || typeof payload.sub !== 'string')
    throw new Error('no role or sub in the token');
  const s: Session = {
    token,
    role: payload.role,
    sub: payload.sub,
    ...(typeof payload.department === 'string' && { department: payload.department }),
  };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
  ) {
    super(message);
  }
}

/** Called when the API says the token is no good (401): the console goes back to sign-in. */
let onUnauthenticated = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

/** The longest the console waits on a `Retry-After` before its one resend: a person is waiting. */
const RESEND_WAIT_MAX_MS = 3_000;

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const s = session();
  const send = () =>
    fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(s && { authorization: `Bearer ${s.token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  let res = await send();
  let body = (await res.json().catch(() => null)) as unknown;
  // A 503 `unavailable` with Retry-After changed nothing (the case was between two steps, or a
  // server refused): sent once more before the person sees an error. Without Retry-After an action
  // may still be taken, and a resend would be a second one.
  const retryAfterS = Number(res.headers.get('retry-after'));
  if (
    res.status === 503 &&
    errorOf(body)?.code === 'unavailable' &&
    res.headers.has('retry-after') &&
    retryAfterS >= 0
  ) {
    await new Promise((r) => setTimeout(r, Math.min(retryAfterS * 1000, RESEND_WAIT_MAX_MS)));
    res = await send();
    body = (await res.json().catch(() => null)) as unknown;
  }
  if (res.ok) return body as T;
  const error = errorOf(body);
  if (res.status === 401) onUnauthenticated();
  throw new ApiFailure(
    res.status,
    error?.code ?? 'http_' + res.status,
    error?.message ?? res.statusText,
    error?.details ?? [],
  );
}

function errorOf(body: unknown): { code?: string; message?: string; details?: ErrorDetail[] } | undefined {
  return (body as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)?.error;
}

/** Every page of a list (the API pages by cursor, newest first), up to `maxPages`. */
export async function listAll<T>(query: Record<string, string>, maxPages = 10): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const params = new URLSearchParams({ ...query, limit: '100', ...(cursor && { cursor }) });
    const res: { items: T[]; nextCursor: string | null } = await api(`/v1/complaints?${params.toString()}`);
    items.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return items;
}
