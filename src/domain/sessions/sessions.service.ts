import type { Clock } from '../../lib/clock.js';
import { newId, newToken } from '../../lib/ids.js';
import { safeEqual } from '../../lib/crypto.js';
import { hashKey } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import { AppError, notFound } from '../errors.js';
import * as repo from './sessions.repo.js';

/**
 * Chat sessions: a visitor's stay on a channel, with context the site keeps up to date
 * (current page, cart, …) and a history of appended entries. A session expires
 * `timeout_minutes` after its last activity (chat messages slide it; `extend` pushes it);
 * an expired or ended session can still be read but refuses every change with GONE.
 */

export type SessionStatus = 'active' | 'ended' | 'expired';

export interface CreateSessionInput {
  channel: string;
  userId?: string | undefined;
  initialContext?: Record<string, unknown> | undefined;
  timeoutMinutes: number;
  /** False: the context lives only as long as the session and is wiped when it ends. */
  enableContextPersistence: boolean;
}

export interface Session {
  id: string;
  userId: string | null;
  contactId: string | null;
  channel: string;
  status: SessionStatus;
  createdAt: string;
  lastActivityAt: string;
  expiresAt: string;
  endedAt: string | null;
  timeoutMinutes: number;
  metadata: Record<string, unknown>;
  /** Stored context plus what is derived from history and the session's conversations. */
  context: Record<string, unknown>;
  conversationCount: number;
  messageCount: number;
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

interface SessionMeta {
  timeout_minutes: number;
  persist_context: boolean;
  token_hash: string;
  ended_at: string | null;
  extensions: { minutes: number; reason: string | null; at: string }[];
  custom: Record<string, unknown>;
}

interface HistoryEntry {
  type: string;
  value: unknown;
  at: string;
}

const MINUTE = 60_000;

/** History entry types and the list in the context that shows them (spec D: `page_visits` feed `pages_visited`). */
const historyList = (type: string): string => (type === 'page_visits' ? 'pages_visited' : type);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars replace; null removes the key. */
export function deepMerge(base: Record<string, unknown>, updates: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = deepMerge(out[key], value);
    else out[key] = value;
  }
  return out;
}

/** Key order does not make two values different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** `/products/widget-pro` → `widget-pro`: the product a page is about, when its path says so. */
function productOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const match = /\/products?\/([^/?#]+)/.exec(new URL(url).pathname);
    return match?.[1] ? decodeURIComponent(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function createSessionsService(deps: { db: Db; clock: Clock }): SessionsService {
  const metaOf = (row: repo.SessionRow) =>
    fromJson<SessionMeta>(row.metadata, {
      timeout_minutes: 30,
      persist_context: true,
      token_hash: '',
      ended_at: null,
      extensions: [],
      custom: {},
    });

  const statusOf = (row: repo.SessionRow, now: Date): SessionStatus =>
    row.status === 'ended' ? 'ended' : row.expires_at <= now.toISOString() ? 'expired' : 'active';

  const load = async (tenantId: string, id: string) => {
    const row = await repo.findById(deps.db, tenantId, id);
    if (!row) throw notFound('session', id);
    return row;
  };

  const contextView = async (tenantId: string, row: repo.SessionRow, now: Date): Promise<Record<string, unknown>> => {
    const stored = fromJson<Record<string, unknown>>(row.context, {});
    const history = fromJson<HistoryEntry[]>(row.history, []);
    const view: Record<string, unknown> = { ...stored };
    const pages: unknown[] = typeof stored.page_url === 'string' ? [stored.page_url] : [];
    const lists: Record<string, unknown[]> = { pages_visited: pages };
    for (const entry of history) (lists[historyList(entry.type)] ??= []).push(entry.value);
    for (const [key, list] of Object.entries(lists)) if (list.length > 0) view[key] = list;
    const lastPage = pages.at(-1);
    if (view.current_page === undefined && typeof lastPage === 'string') view.current_page = lastPage;
    const interests = [
      ...new Set([stored.product_interest, ...pages.map(productOf)].filter((p): p is string => typeof p === 'string')),
    ];
    if (interests.length > 0) view.interests = interests;
    view.intent_history = await repo.intents(deps.db, tenantId, row.id);
    const end =
      row.status === 'ended'
        ? (metaOf(row).ended_at ?? row.updated_at)
        : now.toISOString() < row.expires_at
          ? now.toISOString()
          : row.expires_at;
    view.session_duration_minutes = Math.max(0, Math.floor((Date.parse(end) - Date.parse(row.created_at)) / MINUTE));
    return view;
  };

  const toSession = async (tenantId: string, row: repo.SessionRow): Promise<Session> => {
    const now = deps.clock.now();
    const meta = metaOf(row);
    const counts = await repo.counts(deps.db, tenantId, row.id);
    return {
      id: row.id,
      userId: row.user_id,
      contactId: row.contact_id,
      channel: row.channel,
      status: statusOf(row, now),
      createdAt: row.created_at,
      lastActivityAt: row.last_activity_at,
      expiresAt: row.expires_at,
      endedAt: meta.ended_at,
      timeoutMinutes: meta.timeout_minutes,
      metadata: meta.custom,
      context: await contextView(tenantId, row, now),
      conversationCount: counts.conversations,
      messageCount: counts.messages,
    };
  };

  /** Changes are refused on a session that ended or expired. */
  const loadActive = async (tenantId: string, id: string) => {
    const row = await load(tenantId, id);
    const status = statusOf(row, deps.clock.now());
    if (status === 'expired')
      throw new AppError('GONE', `Session '${id}' has expired`, {
        details: { reason: 'SESSION_EXPIRED', session_id: id, expired_at: row.expires_at },
      });
    if (status === 'ended')
      throw new AppError('GONE', `Session '${id}' has ended`, {
        details: { reason: 'SESSION_ENDED', session_id: id, ended_at: metaOf(row).ended_at },
      });
    return row;
  };

  return {
    async create(tenantId, input) {
      const now = deps.clock.now();
      const at = now.toISOString();
      const token = newToken('st_');
      const initial = input.initialContext ?? {};
      const product = productOf(initial.page_url);
      const returning = input.userId ? await repo.existsForUser(deps.db, tenantId, input.userId) : false;
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
      await repo.insert(deps.db, tenantId, {
        id,
        contact_id: null,
        user_id: input.userId ?? null,
        channel: input.channel,
        status: 'active',
        context: toJson(context),
        history: '[]',
        metadata: toJson(meta),
        created_at: at,
        updated_at: at,
        last_activity_at: at,
        expires_at: new Date(now.getTime() + input.timeoutMinutes * MINUTE).toISOString(),
      });
      return { session: await toSession(tenantId, await load(tenantId, id)), sessionToken: token };
    },

    async get(tenantId, id) {
      return toSession(tenantId, await load(tenantId, id));
    },

    async update(tenantId, id, patch) {
      const row = await loadActive(tenantId, id);
      const at = deps.clock.now().toISOString();
      const meta = metaOf(row);
      await repo.update(deps.db, tenantId, id, {
        ...(patch.userId !== undefined ? { user_id: patch.userId } : {}),
        ...(patch.metadata ? { metadata: toJson({ ...meta, custom: deepMerge(meta.custom, patch.metadata) }) } : {}),
        ...(patch.context
          ? { context: toJson(deepMerge(fromJson<Record<string, unknown>>(row.context, {}), patch.context)) }
          : {}),
        updated_at: at,
        last_activity_at: at,
      });
      return toSession(tenantId, await load(tenantId, id));
    },

    async end(tenantId, id) {
      const row = await loadActive(tenantId, id);
      const at = deps.clock.now().toISOString();
      const meta = metaOf(row);
      await repo.update(deps.db, tenantId, id, {
        status: 'ended',
        metadata: toJson({ ...meta, ended_at: at }),
        ...(meta.persist_context ? {} : { context: '{}', history: '[]' }),
        updated_at: at,
      });
      return toSession(tenantId, await load(tenantId, id));
    },

    async extend(tenantId, id, minutes, reason) {
      const row = await loadActive(tenantId, id);
      const at = deps.clock.now().toISOString();
      const meta = metaOf(row);
      const newExpiry = new Date(Date.parse(row.expires_at) + minutes * MINUTE).toISOString();
      meta.extensions.push({ minutes, reason: reason ?? null, at });
      await repo.update(deps.db, tenantId, id, {
        expires_at: newExpiry,
        metadata: toJson(meta),
        updated_at: at,
        last_activity_at: at,
      });
      return { previousExpiry: row.expires_at, newExpiry };
    },

    async updateContext(tenantId, id, change) {
      const row = await loadActive(tenantId, id);
      const at = deps.clock.now().toISOString();
      const before = fromJson<Record<string, unknown>>(row.context, {});
      const after = change.contextUpdates ? deepMerge(before, change.contextUpdates) : before;
      const updatedFields = Object.keys(change.contextUpdates ?? {}).filter(
        (k) => canonical(before[k]) !== canonical(after[k]),
      );
      const history = fromJson<HistoryEntry[]>(row.history, []);
      for (const [type, value] of Object.entries(change.appendToHistory ?? {})) history.push({ type, value, at });
      await repo.update(deps.db, tenantId, id, {
        context: toJson(after),
        history: toJson(history),
        updated_at: at,
        last_activity_at: at,
      });
      const updated = await load(tenantId, id);
      return { updatedFields, context: await contextView(tenantId, updated, deps.clock.now()) };
    },

    async requireActive(tenantId, id) {
      return toSession(tenantId, await loadActive(tenantId, id));
    },

    async touch(tenantId, id, contactId) {
      const row = await load(tenantId, id);
      const now = deps.clock.now();
      const slid = new Date(now.getTime() + metaOf(row).timeout_minutes * MINUTE).toISOString();
      await repo.update(deps.db, tenantId, id, {
        last_activity_at: now.toISOString(),
        updated_at: now.toISOString(),
        ...(slid > row.expires_at ? { expires_at: slid } : {}),
        ...(contactId && !row.contact_id ? { contact_id: contactId } : {}),
      });
    },

    async verifyToken(tenantId, id, token) {
      if (!token) return false;
      const row = await load(tenantId, id);
      return safeEqual(hashKey(token), metaOf(row).token_hash);
    },
  };
}
