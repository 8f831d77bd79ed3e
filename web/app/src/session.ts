import { createContext, useContext } from 'react';
import type { Me } from './api/app-api';

export interface Session {
  me: Me;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in person; pages render only inside a session, so its absence is a wiring mistake. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** How the header names the signed-in person; a platform admin's session has no user. */
export function displayName(me: Me): string {
  if (!me.user) return 'Platform admin';
  const name = [me.user.first_name, me.user.last_name].filter(Boolean).join(' ');
  return name || me.user.email;
}

/** A viewer reads; everyone else may answer customers. The server refuses with 403 either way. */
export function canAct(me: Me): boolean {
  return me.role !== 'viewer';
}

/** A session started with the platform admin key: it sees the platform view and nothing of a tenant. */
export function isPlatformAdmin(me: Me): boolean {
  return me.kind === 'admin';
}
