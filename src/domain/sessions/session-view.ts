import type { DataMode } from '../actor.js';
import type { Clock } from '../../lib/clock.js';
import type { SessionRecord } from './session-record.js';
import type { SessionsRepo } from './sessions.repo.js';

export type SessionStatus = 'active' | 'ended' | 'expired';

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
  /** `test` when a test key opened it: what happens in it is test data. */
  mode: DataMode;
}

export const MINUTE = 60_000;

/** History entry types and the list in the context that shows them (`page_visits` feed `pages_visited`). */
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
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** `/products/widget-pro` → `widget-pro`: the product a page is about, when its path says so. */
export function productOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const match = /\/products?\/([^/?#]+)/.exec(new URL(url).pathname);
    return match?.[1] ? decodeURIComponent(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function statusOf(s: SessionRecord, now: Date): SessionStatus {
  return s.status === 'ended' ? 'ended' : s.expiresAt <= now.toISOString() ? 'expired' : 'active';
}

/** The stored context with the lists its history feeds, the interests its pages show and its intents so far. */
export async function contextView(
  repo: SessionsRepo,
  tenantId: string,
  s: SessionRecord,
  now: Date,
): Promise<Record<string, unknown>> {
  const stored = s.context;
  const view: Record<string, unknown> = { ...stored };
  const pages: unknown[] = typeof stored.page_url === 'string' ? [stored.page_url] : [];
  const lists: Record<string, unknown[]> = { pages_visited: pages };
  for (const entry of s.history) (lists[historyList(entry.type)] ??= []).push(entry.value);
  for (const [key, list] of Object.entries(lists)) if (list.length > 0) view[key] = list;
  const lastPage = pages.at(-1);
  if (view.current_page === undefined && typeof lastPage === 'string') view.current_page = lastPage;
  const interests = [
    ...new Set([stored.product_interest, ...pages.map(productOf)].filter((p): p is string => typeof p === 'string')),
  ];
  if (interests.length > 0) view.interests = interests;
  view.intent_history = await repo.intents(tenantId, s.id);
  const end =
    s.status === 'ended'
      ? (s.meta.ended_at ?? s.updatedAt)
      : now.toISOString() < s.expiresAt
        ? now.toISOString()
        : s.expiresAt;
  view.session_duration_minutes = Math.max(0, Math.floor((Date.parse(end) - Date.parse(s.createdAt)) / MINUTE));
  return view;
}

export async function toSession(deps: { repo: SessionsRepo; clock: Clock }, tenantId: string, s: SessionRecord) {
  const now = deps.clock.now();
  const counts = await deps.repo.counts(tenantId, s.id);
  const session: Session = {
    id: s.id,
    userId: s.userId,
    contactId: s.contactId,
    channel: s.channel,
    status: statusOf(s, now),
    createdAt: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    expiresAt: s.expiresAt,
    endedAt: s.meta.ended_at,
    timeoutMinutes: s.meta.timeout_minutes,
    metadata: s.meta.custom,
    context: await contextView(deps.repo, tenantId, s, now),
    conversationCount: counts.conversations,
    messageCount: counts.messages,
    mode: s.mode,
  };
  return session;
}
