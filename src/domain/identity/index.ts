/** Identity: one contact per person per tenant, whichever channel they came through. */
import type { Clock } from '../../lib/clock.js';
import { createContactsRepo, type IdentityDb } from './contacts.repo.js';
import { createContactsService, type ContactsService } from './contacts.service.js';
import type { ReassignContactIn } from './identity.ports.js';

export { normaliseEmail, normalisePhone } from './contact-keys.js';
export type { Contact, ContactFacts, ContactIdentity, IntegrationContactUpdate } from './contacts.records.js';
export type { IdentityTx } from './contacts.repo.js';
export type { ContactsService } from './contacts.service.js';
export type { ReassignContactIn } from './identity.ports.js';

export interface IdentityModule {
  contacts: ContactsService;
}

export function createIdentityModule(ports: {
  db: IdentityDb;
  clock: Clock;
  /** The doors of the concepts whose rows name a contact, in the order a merge moves their rows. */
  referrers: readonly ReassignContactIn[];
}): IdentityModule {
  return {
    contacts: createContactsService({
      repo: createContactsRepo(ports.db),
      clock: ports.clock,
      referrers: ports.referrers,
    }),
  };
}
