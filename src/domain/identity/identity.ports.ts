import type { Tx } from '../transaction.js';
import type { ContactsRepo, IdentityTx } from './contacts.repo.js';

/**
 * Moves the rows another concept keeps about contact `fromContactId` (conversations, sessions,
 * appointment requests, leads) to `toContactId`, inside the merge's transaction. Each is that
 * concept's door: identity writes only its own tables.
 */
export type ReassignContactIn = (tx: Tx, tenantId: string, fromContactId: string, toContactId: string) => Promise<void>;

/** What identity's use cases work with: the contacts repository, the time of day and the concepts whose rows name a contact. */
export interface IdentityPorts {
  repo: ContactsRepo;
  now: () => string;
  referrers: readonly ReassignContactIn[];
}

/** The ports inside a caller's transaction, when there is one. */
export function within(ports: IdentityPorts, tx: IdentityTx | undefined): IdentityPorts {
  return tx ? { ...ports, repo: ports.repo.within(tx) } : ports;
}
