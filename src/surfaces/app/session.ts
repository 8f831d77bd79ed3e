import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden } from '../../domain/errors.js';
import type { SignedIn, StartedSession } from '../../domain/people/index.js';
import { safeEqual } from '../../lib/crypto.js';
import { newToken } from '../../lib/ids.js';
import type { AppDeps } from './services.js';

/** The session cookie: HttpOnly, so page scripts never see it; sent only to `/app` paths. */
export const SESSION_COOKIE = 'fd_session';
/** The CSRF cookie: readable by the app's script, which echoes it in `X-CSRF-Token` on every unsafe request. */
export const CSRF_COOKIE = 'fd_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A web-app route that needs a signed-in person (and, for unsafe methods, the CSRF echo). */
    appSession?: 'required';
  }
  interface FastifyRequest {
    /** Who the `fd_session` cookie signs in; null without one (or with a dead one). */
    signedIn: SignedIn | null;
  }
}

/** Sets the session and CSRF cookies of a new session; `Secure` when the app is served over https. */
export function setSessionCookies(reply: FastifyReply, started: StartedSession, secure: boolean): void {
  const expires = new Date(started.expiresAt);
  void reply.setCookie(SESSION_COOKIE, started.sessionId, {
    path: '/app',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires,
  });
  void reply.setCookie(CSRF_COOKIE, newToken('', 24), { path: '/', httpOnly: false, sameSite: 'lax', secure, expires });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/app', httpOnly: true, sameSite: 'lax', secure });
  void reply.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'lax', secure });
}

/**
 * Reads the session cookie on every request of the scope, then, on routes that need a session:
 * refuses a request without one (401) and an unsafe one whose `X-CSRF-Token` does not echo the
 * `fd_csrf` cookie (403). A cross-site page can make the browser send cookies but cannot read
 * `fd_csrf`, so it cannot echo it.
 */
export function registerSessionHooks(scope: FastifyInstance, deps: AppDeps): void {
  scope.decorateRequest('signedIn', null);
  scope.addHook('onRequest', async (request) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) request.signedIn = (await deps.services.appSessions.identify(sessionId)) ?? null;
    if (request.routeOptions.config.appSession !== 'required') return;
    if (!request.signedIn) throw new AppError('UNAUTHENTICATED', 'Sign in first: no session, or it has expired');
    if (UNSAFE.has(request.method)) checkCsrf(request);
  });
}

function checkCsrf(request: FastifyRequest): void {
  const cookie = request.cookies[CSRF_COOKIE];
  const raw = request.headers[CSRF_HEADER];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (!cookie || !header || !safeEqual(cookie, header))
    throw forbidden('CSRF check failed: send the fd_csrf cookie value in the X-CSRF-Token header');
}

/** The session of a route that requires one (the hook guarantees it). */
export function signedInOf(request: FastifyRequest): SignedIn {
  if (!request.signedIn) throw new AppError('UNAUTHENTICATED', 'Sign in first: no session, or it has expired');
  return request.signedIn;
}

/** A tenant's person with `permission`: the tenant they act on. The platform admin's session has no tenant here. */
export function tenantWith(request: FastifyRequest, permission: string): { tenantId: string; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (!signedIn.tenantId) throw forbidden('The platform admin session has no tenant: sign in as a tenant’s person');
  if (!signedIn.permissions.includes(permission))
    throw forbidden(`Your role (${signedIn.role}) lacks the '${permission}' permission`);
  return { tenantId: signedIn.tenantId, signedIn };
}
