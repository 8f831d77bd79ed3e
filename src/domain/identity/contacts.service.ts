/**
 * Contacts: one record per person per tenant, across every channel.
 *
 * A person is found by a platform identity (WhatsApp number, Messenger PSID, web visitor id,
 * …) first, then by e-mail (lower-cased), then by phone (E.164); otherwise a contact is
 * created. A different e-mail is a different person: a phone shared by two contacts with
 * different e-mails links them (`shared_phones`, `linked_contact_ids`) and never merges them.
 * When a message, a lead or an integration reveals an e-mail, or the phone of a contact that is
 * not someone else, that already belongs to another contact of the same tenant, the two are
 * merged: the older contact survives,
 * the newer one's identities, conversations, sessions, appointment requests and leads move to
 * it. Merges never cross tenants: every lookup is scoped by tenant id.
 */
import type { Clock } from '../../lib/clock.js';
import { invalid } from '../errors.js';
import { normaliseEmail, normalisePhone } from './contact-keys.js';
import type { Contact, ContactFacts, ContactIdentity, IntegrationContactUpdate } from './contacts.records.js';
import type { ContactsRepo, IdentityTx } from './contacts.repo.js';
import { within, type IdentityPorts, type ReassignContactIn } from './identity.ports.js';
import { learnFacts, loadContact } from './learn.js';
import { resolveByKeys, resolveSender, updateFromIntegration } from './resolve.js';

export interface ContactsService {
  /** The contact behind a platform sender: by identity, then e-mail, then phone, else a new one; then learns `facts`. */
  resolve(tenantId: string, identity: ContactIdentity, facts?: ContactFacts): Promise<Contact>;
  /**
   * The contact a phone or e-mail names (a lead's, a caller's), created when none does; undefined
   * when `facts` hold neither. Inside `tx` when the caller's writes are in one.
   */
  resolveByKeys(tenantId: string, facts: ContactFacts, tx?: IdentityTx): Promise<Contact | undefined>;
  /** Adds what is newly known; a phone or e-mail owned by another contact of the tenant merges the two. Returns the surviving contact. */
  learn(tenantId: string, contactId: string, facts: ContactFacts): Promise<Contact>;
  /** For integrations (the generic webhook, CRM sync): find or create the contact from any key, link external ids, merge, and merge `attributes`. */
  updateFromIntegration(tenantId: string, update: IntegrationContactUpdate): Promise<Contact>;
  get(tenantId: string, contactId: string): Promise<Contact>;
  /**
   * A customer entered by hand (spec C's CRM): the contact the phone or e-mail names, created when
   * none does, with `facts` learnt. Refuses facts with neither a phone nor an e-mail.
   */
  register(tenantId: string, facts: ContactFacts): Promise<Contact>;
  /** Newest first. */
  list(tenantId: string, page: { limit: number; offset: number }): Promise<{ contacts: Contact[]; total: number }>;
  /** Contacts whose name contains `query`, or whose phone is `query` once normalised; newest first, at most `limit`. */
  search(tenantId: string, query: string, limit: number): Promise<Contact[]>;
  identities(tenantId: string, contactId: string): Promise<ContactIdentity[]>;
}

export function createContactsService(deps: {
  repo: ContactsRepo;
  clock: Clock;
  referrers: readonly ReassignContactIn[];
}): ContactsService {
  const ports: IdentityPorts = {
    repo: deps.repo,
    now: () => deps.clock.now().toISOString(),
    referrers: deps.referrers,
  };
  return {
    resolve: (tenantId, identity, facts = {}) => resolveSender(ports, tenantId, identity, facts),
    resolveByKeys: (tenantId, facts, tx) => resolveByKeys(within(ports, tx), tenantId, facts),
    learn: (tenantId, contactId, facts) => learnFacts(ports, tenantId, contactId, facts),
    updateFromIntegration: (tenantId, update) => updateFromIntegration(ports, tenantId, update),
    get: (tenantId, contactId) => loadContact(deps.repo, tenantId, contactId),
    register: (tenantId, facts) => register(ports, tenantId, facts),
    list: (tenantId, page) => deps.repo.list(tenantId, page),
    search: (tenantId, query, limit) =>
      deps.repo.search(tenantId, { name: query.trim(), phone: normalisePhone(query) }, limit),
    async identities(tenantId, contactId) {
      await loadContact(deps.repo, tenantId, contactId);
      return deps.repo.listIdentities(tenantId, contactId);
    },
  };
}

async function register(ports: IdentityPorts, tenantId: string, facts: ContactFacts): Promise<Contact> {
  if (!normalisePhone(facts.phone) && !normaliseEmail(facts.email)) {
    throw invalid([{ field: 'phone', issue: 'a valid phone number or e-mail is required', type: 'value_error' }]);
  }
  const contact = await resolveByKeys(ports, tenantId, facts);
  if (!contact) throw invalid([{ field: 'phone', issue: 'is not a phone number', type: 'value_error' }]);
  return facts.attributes ? learnFacts(ports, tenantId, contact.id, { attributes: facts.attributes }) : contact;
}
