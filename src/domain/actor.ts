/** Who is doing something, for the audit log and permission checks. */
export interface Actor {
  kind: 'admin' | 'tenant-key' | 'user' | 'widget' | 'owner' | 'system' | 'cli';
  id: string | null;
  tenantId: string | null;
  requestId: string | null;
}

export const systemActor: Actor = { kind: 'system', id: null, tenantId: null, requestId: null };
export const cliActor: Actor = { kind: 'cli', id: null, tenantId: null, requestId: null };
