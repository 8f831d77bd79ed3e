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

/** A viewer reads; everyone else may answer customers. The server refuses with 403 either way. */
export function canAct(me: Me): boolean {
  return me.role !== 'viewer';
}
