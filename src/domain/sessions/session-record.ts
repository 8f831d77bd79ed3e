import type { DataMode } from '../actor.js';

/** What a session keeps beside its context: its settings, its token's hash and its history of extensions. */
export interface SessionMeta {
  timeout_minutes: number;
  persist_context: boolean;
  token_hash: string;
  ended_at: string | null;
  extensions: { minutes: number; reason: string | null; at: string }[];
  custom: Record<string, unknown>;
}

export interface HistoryEntry {
  type: string;
  value: unknown;
  at: string;
}

/** A stored chat session. */
export interface SessionRecord {
  id: string;
  contactId: string | null;
  userId: string | null;
  channel: string;
  /** `active` or `ended` as stored; expiry is derived from `expiresAt`. */
  status: string;
  context: Record<string, unknown>;
  history: HistoryEntry[];
  meta: SessionMeta;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  expiresAt: string;
  /** `test` when a test key opened it. */
  mode: DataMode;
}

export type SessionPatch = Partial<
  Pick<
    SessionRecord,
    'contactId' | 'userId' | 'status' | 'context' | 'history' | 'meta' | 'updatedAt' | 'lastActivityAt' | 'expiresAt'
  >
>;
