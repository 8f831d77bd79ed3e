import { newId } from '../../lib/ids.js';
import { PHONE_CHANNELS, normaliseEmail, normalisePhone } from './contact-keys.js';
import type { Contact, ContactFacts, ContactIdentity, IntegrationContactUpdate } from './contacts.records.js';
import type { IdentityPorts } from './identity.ports.js';
import { distinctPeople, learnFacts, mergeContacts } from './learn.js';

/** The contact the e-mail names, else the one the phone names unless its e-mail says it is someone else. */
async function findByKeys(
  ports: IdentityPorts,
  tenantId: string,
  phone: string | undefined,
  email: string | undefined,
): Promise<{ found?: Contact; sharesPhone: boolean }> {
  const byEmail = email ? await ports.repo.findByEmail(tenantId, email) : undefined;
  if (byEmail) return { found: byEmail, sharesPhone: false };
  const byPhone = phone ? await ports.repo.findByPhone(tenantId, phone) : undefined;
  if (byPhone && email && distinctPeople(byPhone, { email })) return { sharesPhone: true };
  return { found: byPhone, sharesPhone: false };
}

/** Finds by e-mail, then phone, else creates a contact holding them (the phone left to its owner when shared). */
async function findOrCreate(
  ports: IdentityPorts,
  tenantId: string,
  phone: string | undefined,
  email: string | undefined,
): Promise<Contact> {
  const find = async () => (await findByKeys(ports, tenantId, phone, email)).found;
  const { found, sharesPhone } = await findByKeys(ports, tenantId, phone, email);
  if (found) return found;
  const at = ports.now();
  const contact: Contact = {
    id: newId('contact'),
    name: null,
    // A phone is unique among contacts; learnFacts links the person to the contact that holds it.
    phone: sharesPhone ? null : (phone ?? null),
    email: email ?? null,
    attributes: {},
    createdAt: at,
    updatedAt: at,
  };
  if (await ports.repo.insert(tenantId, contact)) return contact;
  // A concurrent resolve stored the same phone or e-mail first.
  const raced = await find();
  if (!raced) throw new Error('contact insert conflicted but no contact holds its phone or e-mail');
  return raced;
}

async function link(ports: IdentityPorts, tenantId: string, contactId: string, identity: ContactIdentity) {
  await ports.repo.insertIdentity(tenantId, {
    id: newId('cid'),
    contactId,
    channel: identity.channel,
    platformUserId: identity.platformUserId,
    createdAt: ports.now(),
  });
  const owner = await ports.repo.findByIdentity(tenantId, identity.channel, identity.platformUserId);
  // The id was already someone's (or a concurrent resolve linked it first): they are one person.
  return owner && owner.id !== contactId ? mergeContacts(ports, tenantId, contactId, owner.id) : contactId;
}

/** The contact behind a platform sender: by identity, then e-mail, then phone, else a new one; then learns `facts`. */
export async function resolveSender(
  ports: IdentityPorts,
  tenantId: string,
  identity: ContactIdentity,
  facts: ContactFacts,
): Promise<Contact> {
  const phoneFact = facts.phone ?? (PHONE_CHANNELS.has(identity.channel) ? identity.platformUserId : undefined);
  const known = await ports.repo.findByIdentity(tenantId, identity.channel, identity.platformUserId);
  let id = known?.id;
  if (!id) {
    const found = await findOrCreate(ports, tenantId, normalisePhone(phoneFact), normaliseEmail(facts.email));
    id = await link(ports, tenantId, found.id, identity);
  }
  return learnFacts(ports, tenantId, id, { ...facts, phone: phoneFact });
}

/** Finds or creates the contact from any key, links external ids, merges, and merges `attributes`. */
export async function updateFromIntegration(
  ports: IdentityPorts,
  tenantId: string,
  update: IntegrationContactUpdate,
): Promise<Contact> {
  const phone = normalisePhone(update.phone);
  const email = normaliseEmail(update.email);
  let id: string | undefined;
  for (const ext of update.externalIds ?? []) {
    id ??= (await ports.repo.findByIdentity(tenantId, ext.channel, ext.platformUserId))?.id;
  }
  id ??= (await findOrCreate(ports, tenantId, phone, email)).id;
  for (const ext of update.externalIds ?? []) id = await link(ports, tenantId, id, ext);
  return learnFacts(ports, tenantId, id, { ...update, phone, email });
}

/**
 * The contact a phone or e-mail names, created when none does, having learned `facts`. Without
 * either key there is nothing a later call, form or chat could find the person by, so there is
 * no contact: undefined.
 */
export async function resolveByKeys(
  ports: IdentityPorts,
  tenantId: string,
  facts: ContactFacts,
): Promise<Contact | undefined> {
  const phone = normalisePhone(facts.phone);
  const email = normaliseEmail(facts.email);
  if (!phone && !email) return undefined;
  const found = await findOrCreate(ports, tenantId, phone, email);
  return learnFacts(ports, tenantId, found.id, { name: facts.name, phone, email });
}
