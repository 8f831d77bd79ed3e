import { AppError } from '../errors.js';
import { normaliseEmail, normalisePhone } from './contact-keys.js';
import type { Contact, ContactFacts } from './contacts.records.js';
import type { ContactPatch, ContactsRepo } from './contacts.repo.js';
import type { IdentityPorts } from './identity.ports.js';

export async function loadContact(repo: ContactsRepo, tenantId: string, id: string): Promise<Contact> {
  const contact = await repo.findById(tenantId, id);
  if (!contact) throw new AppError('NOT_FOUND', `Contact '${id}' not found`);
  return contact;
}

/** Appends `value` to the list `key` of `attrs` once (values a merged contact had that the survivor keeps elsewhere). */
function remember(attrs: Record<string, unknown>, key: string, value: string | null): void {
  if (!value) return;
  const list = Array.isArray(attrs[key]) ? (attrs[key] as unknown[]) : [];
  if (!list.includes(value)) attrs[key] = [...list, value];
}

/** Folds the newer of two contacts into the older one, in one transaction; returns the survivor's id. */
export function mergeContacts(ports: IdentityPorts, tenantId: string, aId: string, bId: string): Promise<string> {
  return ports.repo.transaction(async (repo, tx) => {
    const a = await loadContact(repo, tenantId, aId);
    const b = await loadContact(repo, tenantId, bId);
    const [survivor, loser] =
      a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? [a, b] : [b, a];
    const attributes = { ...loser.attributes, ...survivor.attributes };
    remember(attributes, 'merged_contact_ids', loser.id);
    if (survivor.phone && loser.phone !== survivor.phone) remember(attributes, 'other_phones', loser.phone);
    if (survivor.email && loser.email !== survivor.email) remember(attributes, 'other_emails', loser.email);
    await repo.repointIdentities(tenantId, loser.id, survivor.id);
    for (const reassign of ports.referrers) await reassign(tx, tenantId, loser.id, survivor.id);
    // The loser goes first: its phone and e-mail are unique per tenant and may move to the survivor.
    await repo.remove(tenantId, loser.id);
    await repo.update(tenantId, survivor.id, {
      name: survivor.name ?? loser.name,
      phone: survivor.phone ?? loser.phone,
      email: survivor.email ?? loser.email,
      attributes,
      updatedAt: ports.now(),
    });
    return survivor.id;
  });
}

/**
 * Two contacts with different e-mails are two people: a phone they share (a household line, an
 * office switchboard) links them and never merges them.
 */
export function distinctPeople(a: Pick<Contact, 'email'>, b: Pick<Contact, 'email'>): boolean {
  return a.email !== null && b.email !== null && a.email !== b.email;
}

/** Records on `id` that it shares `phone` with `other`, a different person. */
async function linkSharedPhone(
  ports: IdentityPorts,
  tenantId: string,
  current: Contact,
  other: Contact,
  phone: string,
) {
  const attributes = { ...current.attributes };
  remember(attributes, 'shared_phones', phone);
  remember(attributes, 'linked_contact_ids', other.id);
  await ports.repo.update(tenantId, current.id, { attributes, updatedAt: ports.now() });
}

/** Sets a phone or e-mail the contact lacks, keeps a second one as an alternate, or merges with its owner. */
async function learnKey(
  ports: IdentityPorts,
  tenantId: string,
  id: string,
  key: 'phone' | 'email',
  value: string,
): Promise<string> {
  const current = await loadContact(ports.repo, tenantId, id);
  if (current[key] === value) return id;
  const owner =
    key === 'phone' ? await ports.repo.findByPhone(tenantId, value) : await ports.repo.findByEmail(tenantId, value);
  if (owner && owner.id !== id && key === 'phone' && distinctPeople(current, owner)) {
    await linkSharedPhone(ports, tenantId, current, owner, value);
    return id;
  }
  if (owner && owner.id !== id) return mergeContacts(ports, tenantId, id, owner.id);
  if (current[key] === null) {
    await ports.repo.update(tenantId, id, { [key]: value, updatedAt: ports.now() });
  } else {
    const attributes = { ...current.attributes };
    remember(attributes, key === 'phone' ? 'other_phones' : 'other_emails', value);
    await ports.repo.update(tenantId, id, { attributes, updatedAt: ports.now() });
  }
  return id;
}

/** Adds what is newly known; a phone or e-mail owned by another contact of the tenant merges the two. */
export async function learnFacts(
  ports: IdentityPorts,
  tenantId: string,
  contactId: string,
  facts: ContactFacts,
): Promise<Contact> {
  let id = contactId;
  const phone = normalisePhone(facts.phone);
  const email = normaliseEmail(facts.email);
  if (phone) id = await learnKey(ports, tenantId, id, 'phone', phone);
  if (email) id = await learnKey(ports, tenantId, id, 'email', email);
  const current = await loadContact(ports.repo, tenantId, id);
  const patch: Partial<ContactPatch> = {};
  if (facts.name?.trim() && !current.name) patch.name = facts.name.trim().slice(0, 200);
  if (facts.attributes && Object.keys(facts.attributes).length > 0)
    patch.attributes = { ...current.attributes, ...facts.attributes };
  if (Object.keys(patch).length > 0) await ports.repo.update(tenantId, id, { ...patch, updatedAt: ports.now() });
  return loadContact(ports.repo, tenantId, id);
}
