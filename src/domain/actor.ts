/**
 * Whose data a request writes: a tenant's test key writes test rows, which are stored and
 * readable but left out of live analytics, exports and outbound webhooks.
 */
export type DataMode = 'live' | 'test';

/** Who is doing something, for the audit log and permission checks. */
export interface Actor {
  kind: 'admin' | 'tenant-key' | 'user' | 'widget' | 'owner' | 'system' | 'cli';
  id: string | null;
  tenantId: string | null;
  requestId: string | null;
  mode: DataMode;
}

export const systemActor: Actor = { kind: 'system', id: null, tenantId: null, requestId: null, mode: 'live' };
export const cliActor: Actor = { kind: 'cli', id: null, tenantId: null, requestId: null, mode: 'live' };
