import createClient, { type Middleware } from 'openapi-fetch';
import type { AdminApiPaths } from './admin-api';
import type { AppApiPaths } from './app-api';
import type { paths } from './schema';

/**
 * Every route of the generated OpenAPI document, with the `/app/api` routes typed by the app's
 * contract: the document names them, but its answers for them carry no schema to type.
 */
export type ApiPaths = Omit<paths, keyof AppApiPaths | keyof AdminApiPaths> & AppApiPaths & AdminApiPaths;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The double-submit token the server set beside the session cookie; it is readable because it must be echoed. */
export function csrfToken(cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'fd_csrf') return decodeURIComponent(value.join('='));
  }
  return null;
}

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (UNSAFE.has(request.method) && token) request.headers.set('X-CSRF-Token', token);
    return request;
  },
};

/** Whoever listens (the session) hears when the server stops recognising the session. */
const signedOutListeners = new Set<() => void>();

export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const expiry: Middleware = {
  onResponse({ request, response }) {
    const url = new URL(request.url);
    const signingIn = url.pathname === '/app/api/session' || url.pathname.startsWith('/app/api/magic-link');
    if (response.status === 401 && !signingIn) for (const listener of signedOutListeners) listener();
    return response;
  },
};

export const api = createClient<ApiPaths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf, expiry);
