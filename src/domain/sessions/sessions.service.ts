import type { DataMode } from '../actor.js';
import type { Clock } from '../../lib/clock.js';
import { safeEqual } from '../../lib/crypto.js';
import { newId, newToken } from '../../lib/ids.js';
import { hashKey } from '../../lib/secrets.js';
import { AppError, notFound } from '../errors.js';
import type { SessionMeta, SessionRecord } from './session-record.js';
import {
  canonical,
  contextView,
  deepMerge,
  MINUTE,
  productOf,
  statusOf,
  toSession,
  type Session,
} from './session-view.js';
import type { SessionsRepo } from './sessions.repo.js';

/*
 * Chat sessions: a visitor's stay on a channel, with context the site keeps up to date (current
 * page, cart, …) and a history of appended entries. A session expires `timeout_minutes` after its
 * last activity (chat messages slide it; `extend` pushes it); an expired or ended session can
 * still be read but refuses every change with GONE.
 */

export interface CreateSessionInput {
  channel: string;
  userId?: string | undefined;
  initialContext?: Record<string, unknown> | undefined;
  timeoutMinutes: number;
  /** False: the context lives only as long as the session and is wiped when it ends. */
  enableContextPersistence: boolean;
  mode: DataMode;
}

export interface ContextChange {
  updatedFields: string[];
  context: Record<string, unknown>;
}

export interface SessionsService {
  create(tenantId: string, input: CreateSessionInput): Promise<{ session: Session; sessionToken: string }>;
  get(tenantId: string, id: string): Promise<Session>;
  /** Changes the user id, merges `metadata`, deep-merges `context`. */
  update(
    tenantId: string,
    id: string,
    patch: {
      userId?: string | undefined;
      metadata?: Record<string, unknown> | undefined;
      context?: Record<string, unknown> | undefined;
    },
  ): Promise<Session>;
  end(tenantId: string, id: string): Promise<Session>;
  extend(
    tenantId: string,
    id: string,
    minutes: number,
    reason: string | undefined,
  ): Promise<{ previousExpiry: string; newExpiry: string }>;
  /** Deep-merges `contextUpdates` (null removes a key) and appends each `appendToHistory` entry. */
  updateContext(
    tenantId: string,
    id: string,
    change: {
      contextUpdates?: Record<string, unknown> | undefined;
      appendToHistory?: Record<string, unknown> | undefined;
    },
  ): Promise<ContextChange>;
  /** The session a chat message names: must exist in the tenant and be active. */
  requireActive(tenantId: string, id: string): Promise<Session>;
  /** A chat message arrived in the session: activity now, expiry slid forward, contact linked. */
  touch(tenantId: string, id: string, contactId: string | null): Promise<void>;
  /** Whether `token` is the session's own token (what a public widget must show to act on a session). */
  verifyToken(tenantId: string, id: string, token: string | undefined): Promise<boolean>;
}

interface SessionDeps {
  repo: SessionsRepo;
  clock: Clock;
}

async function load(deps: SessionDeps, tenantId: string, id: string): Promise<SessionRecord> {
  const session = await deps.repo.findById(tenantId, id);
  if (!session) throw notFound('session', id);
  return session;
}

/** Changes are refused on a session that ended or expired. */
async function loadActive(deps: SessionDeps, tenantId: string, id: string): Promise<SessionRecord> {
  const s = await load(deps, tenantId, id);
  const status = statusOf(s, deps.clock.now());
  if (status === 'expired')
    throw new AppError('GONE', `Session '${id}' has expired`, {
      details: { reason: 'SESSION_EXPIRED', session_id: id, expired_at: s.expiresAt },
    });
  if (status === 'ended')
    throw new AppError('GONE', `Session '${id}' has ended`, {
      details: { reason: 'SESSION_ENDED', session_id: id, ended_at: s.meta.ended_at },
    });
  return s;
}

async function create(deps: SessionDeps, tenantId: string, input: CreateSessionInput) {
  const now = deps.clock.now();
  const at = now.toISOString();
  const token = newToken('st_');
  const initial = input.initialContext ?? {};
  const product = productOf(initial.page_url);
  const returning = input.userId ? await deps.repo.existsForUser(tenantId, input.userId) : false;
  const context = {
    ...initial,
    ...(product && initial.product_interest === undefined ? { product_interest: product } : {}),
    visitor_type: returning ? 'returning' : 'new',
  };
  const meta: SessionMeta = {
    timeout_minutes: input.timeoutMinutes,
    persist_context: input.enableContextPersistence,
    token_hash: hashKey(token),
    ended_at: null,
    extensions: [],
    custom: {},
  };
  const id = newId('sess');
  await deps.repo.insert(tenantId, {
    id,
    contactId: null,
    userId: input.userId ?? null,
    channel: input.channel,
    status: 'active',
    context,
    history: [],
    meta,
    createdAt: at,
    updatedAt: at,
    lastActivityAt: at,
    mode: input.mode,
    expiresAt: new Date(now.getTime() + input.timeoutMinutes * MINUTE).toISOString(),
  });
  return { session: await toSession(deps, tenantId, await load(deps, tenantId, id)), sessionToken: token };
}

async function updateContext(
  deps: SessionDeps,
  tenantId: string,
  id: string,
  change: Parameters<SessionsService['updateContext']>[2],
): Promise<ContextChange> {
  const s = await loadActive(deps, tenantId, id);
  const at = deps.clock.now().toISOString();
  const before = s.context;
  const after = change.contextUpdates ? deepMerge(before, change.contextUpdates) : before;
  const updatedFields = Object.keys(change.contextUpdates ?? {}).filter(
    (k) => canonical(before[k]) !== canonical(after[k]),
  );
  const history = [...s.history];
  for (const [type, value] of Object.entries(change.appendToHistory ?? {})) history.push({ type, value, at });
  await deps.repo.update(tenantId, id, { context: after, history, updatedAt: at, lastActivityAt: at });
  const updated = await load(deps, tenantId, id);
  return { updatedFields, context: await contextView(deps.repo, tenantId, updated, deps.clock.now()) };
}

/** Ending, extending and touching a session: changes of its lifetime rather than its content. */
function lifetime(deps: SessionDeps): Pick<SessionsService, 'end' | 'extend' | 'touch'> {
  return {
    async end(tenantId, id) {
      const s = await loadActive(deps, tenantId, id);
      const at = deps.clock.now().toISOString();
      await deps.repo.update(tenantId, id, {
        status: 'ended',
        meta: { ...s.meta, ended_at: at },
        ...(s.meta.persist_context ? {} : { context: {}, history: [] }),
        updatedAt: at,
      });
      return toSession(deps, tenantId, await load(deps, tenantId, id));
    },

    async extend(tenantId, id, minutes, reason) {
      const s = await loadActive(deps, tenantId, id);
      const at = deps.clock.now().toISOString();
      const newExpiry = new Date(Date.parse(s.expiresAt) + minutes * MINUTE).toISOString();
      const meta = { ...s.meta, extensions: [...s.meta.extensions, { minutes, reason: reason ?? null, at }] };
      await deps.repo.update(tenantId, id, { expiresAt: newExpiry, meta, updatedAt: at, lastActivityAt: at });
      return { previousExpiry: s.expiresAt, newExpiry };
    },

    async touch(tenantId, id, contactId) {
      const s = await load(deps, tenantId, id);
      const now = deps.clock.now();
      const slid = new Date(now.getTime() + s.meta.timeout_minutes * MINUTE).toISOString();
      await deps.repo.update(tenantId, id, {
        lastActivityAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ...(slid > s.expiresAt ? { expiresAt: slid } : {}),
        ...(contactId && !s.contactId ? { contactId } : {}),
      });
    },
  };
}

export function createSessionsService(deps: SessionDeps): SessionsService {
  return {
    create: (tenantId, input) => create(deps, tenantId, input),
    get: async (tenantId, id) => toSession(deps, tenantId, await load(deps, tenantId, id)),

    async update(tenantId, id, patch) {
      const s = await loadActive(deps, tenantId, id);
      const at = deps.clock.now().toISOString();
      await deps.repo.update(tenantId, id, {
        ...(patch.userId !== undefined ? { userId: patch.userId } : {}),
        ...(patch.metadata ? { meta: { ...s.meta, custom: deepMerge(s.meta.custom, patch.metadata) } } : {}),
        ...(patch.context ? { context: deepMerge(s.context, patch.context) } : {}),
        updatedAt: at,
        lastActivityAt: at,
      });
      return toSession(deps, tenantId, await load(deps, tenantId, id));
    },

    ...lifetime(deps),
    updateContext: (tenantId, id, change) => updateContext(deps, tenantId, id, change),
    requireActive: async (tenantId, id) => toSession(deps, tenantId, await loadActive(deps, tenantId, id)),

    async verifyToken(tenantId, id, token) {
      if (!token) return false;
      const s = await load(deps, tenantId, id);
      return safeEqual(hashKey(token), s.meta.token_hash);
    },
  };
}
