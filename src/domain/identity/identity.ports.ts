import type { ContactsRepo, IdentityTx } from './contacts.repo.js';

/** What identity's use cases work with: the contacts repository and the time of day. */
export interface IdentityPorts {
  repo: ContactsRepo;
  now: () => string;
}

/** The ports inside a caller's transaction, when there is one. */
export function within(ports: IdentityPorts, tx: IdentityTx | undefined): IdentityPorts {
  return tx ? { ...ports, repo: ports.repo.within(tx) } : ports;
}
