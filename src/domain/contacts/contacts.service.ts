/**
 * Contacts: one record per person per tenant, across every channel.
 *
 * A person is found by a platform identity (WhatsApp number, Messenger PSID, web visitor id,
 * …) first, then by phone (E.164), then by e-mail (lower-cased); otherwise a contact is
 * created. When a message or an integration reveals a phone or e-mail that already belongs to
 * another contact of the same tenant, the two are merged: the older contact survives, the
 * newer one's identities, conversations, sessions and appointment requests move to it. Merges
 * never cross tenants: every lookup is scoped by tenant id.
 *
 * For integrations (the generic webhook and CRM sync) call
 *   `contacts.updateFromIntegration(tenantId, { email?, phone?, name?, externalIds?: [{ channel, platformUserId }], attributes? })`
 * It finds or creates the contact from any of those keys, links the external ids, merges
 * contacts the keys show to be one person, and shallow-merges `attributes` into the contact's.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import { AppError } from '../errors.js';
import * as repo from './contacts.repo.js';

export interface Contact {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactIdentity {
  channel: string;
  platformUserId: string;
}

/** What a message or an integration says about a person; phone and e-mail are normalised here. */
export interface ContactFacts {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  attributes?: Record<string, unknown> | undefined;
}

export interface IntegrationContactUpdate extends ContactFacts {
  /** Platform or CRM ids of the person (`{ channel: 'generic', platformUserId: 'crm_123' }`). */
  externalIds?: ContactIdentity[] | undefined;
}

export interface ContactsService {
  /** The contact behind a platform sender: by identity, then phone, then e-mail, else a new one; then learns `facts`. */
  resolve(tenantId: string, identity: ContactIdentity, facts?: ContactFacts): Promise<Contact>;
  /** Adds what is newly known; a phone or e-mail owned by another contact of the tenant merges the two. Returns the surviving contact. */
  learn(tenantId: string, contactId: string, facts: ContactFacts): Promise<Contact>;
  /** For integrations: find or create the contact from any key, link external ids, merge, and merge `attributes`. */
  updateFromIntegration(tenantId: string, update: IntegrationContactUpdate): Promise<Contact>;
  get(tenantId: string, contactId: string): Promise<Contact>;
  identities(tenantId: string, contactId: string): Promise<ContactIdentity[]>;
}

/** Channels whose platform user id is the person's phone number. */
const PHONE_CHANNELS = new Set(['whatsapp', 'sms', 'voice']);

/** E.164, or undefined when the text cannot be a phone number (national numbers are read as US). */
export function normalisePhone(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const parsed = parsePhoneNumberFromString(raw.replace(/^whatsapp:/i, '').trim(), 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function normaliseEmail(raw: string | undefined): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(email) ? email : undefined;
}

function toContact(r: repo.ContactRow): Contact {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    attributes: fromJson<Record<string, unknown>>(r.attributes, {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Appends `value` to the list `key` of `attrs` once (values a merged contact had that the survivor keeps elsewhere). */
function remember(attrs: Record<string, unknown>, key: string, value: string | null): void {
  if (!value) return;
  const list = Array.isArray(attrs[key]) ? (attrs[key] as unknown[]) : [];
  if (!list.includes(value)) attrs[key] = [...list, value];
}

export function createContactsService(deps: { db: Db; clock: Clock }): ContactsService {
  const now = () => deps.clock.now().toISOString();

  const load = async (db: Db, tenantId: string, id: string) => {
    const row = await repo.findById(db, tenantId, id);
    if (!row) throw new AppError('NOT_FOUND', `Contact '${id}' not found`);
    return row;
  };

  /** Folds the newer of two contacts into the older one, in one transaction; returns the survivor's id. */
  const merge = async (tenantId: string, aId: string, bId: string): Promise<string> => {
    return deps.db.transaction().execute(async (trx) => {
      const a = await load(trx, tenantId, aId);
      const b = await load(trx, tenantId, bId);
      const [survivor, loser] =
        a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id) ? [a, b] : [b, a];
      const attrs = {
        ...fromJson<Record<string, unknown>>(loser.attributes, {}),
        ...fromJson<Record<string, unknown>>(survivor.attributes, {}),
      };
      remember(attrs, 'merged_contact_ids', loser.id);
      if (survivor.phone && loser.phone !== survivor.phone) remember(attrs, 'other_phones', loser.phone);
      if (survivor.email && loser.email !== survivor.email) remember(attrs, 'other_emails', loser.email);
      await repo.reassign(trx, tenantId, loser.id, survivor.id);
      // The loser goes first: its phone and e-mail are unique per tenant and may move to the survivor.
      await repo.remove(trx, tenantId, loser.id);
      await repo.update(trx, tenantId, survivor.id, {
        name: survivor.name ?? loser.name,
        phone: survivor.phone ?? loser.phone,
        email: survivor.email ?? loser.email,
        attributes: toJson(attrs),
        updated_at: now(),
      });
      return survivor.id;
    });
  };

  const learn = async (tenantId: string, contactId: string, facts: ContactFacts): Promise<Contact> => {
    let id = contactId;
    const phone = normalisePhone(facts.phone);
    const email = normaliseEmail(facts.email);
    for (const [key, value, find] of [
      ['phone', phone, repo.findByPhone],
      ['email', email, repo.findByEmail],
    ] as const) {
      if (!value) continue;
      const current = await load(deps.db, tenantId, id);
      if (current[key] === value) continue;
      const owner = await find(deps.db, tenantId, value);
      if (owner && owner.id !== id) {
        id = await merge(tenantId, id, owner.id);
        continue;
      }
      if (current[key] === null) {
        await repo.update(deps.db, tenantId, id, { [key]: value, updated_at: now() });
      } else {
        const attrs = fromJson<Record<string, unknown>>(current.attributes, {});
        remember(attrs, key === 'phone' ? 'other_phones' : 'other_emails', value);
        await repo.update(deps.db, tenantId, id, { attributes: toJson(attrs), updated_at: now() });
      }
    }
    const current = await load(deps.db, tenantId, id);
    const patch: Partial<repo.ContactRow> = {};
    if (facts.name?.trim() && !current.name) patch.name = facts.name.trim().slice(0, 200);
    if (facts.attributes && Object.keys(facts.attributes).length > 0)
      patch.attributes = toJson({ ...fromJson<Record<string, unknown>>(current.attributes, {}), ...facts.attributes });
    if (Object.keys(patch).length > 0) await repo.update(deps.db, tenantId, id, { ...patch, updated_at: now() });
    return toContact(await load(deps.db, tenantId, id));
  };

  /** Finds by phone, then e-mail, else creates a contact holding them. */
  const findOrCreate = async (
    tenantId: string,
    phone: string | undefined,
    email: string | undefined,
  ): Promise<repo.ContactRow> => {
    const find = async () =>
      (phone ? await repo.findByPhone(deps.db, tenantId, phone) : undefined) ??
      (email ? await repo.findByEmail(deps.db, tenantId, email) : undefined);
    const found = await find();
    if (found) return found;
    const at = now();
    const row = {
      id: newId('contact'),
      name: null,
      phone: phone ?? null,
      email: email ?? null,
      attributes: '{}',
      created_at: at,
      updated_at: at,
    };
    if (await repo.insert(deps.db, tenantId, row)) return { ...row, tenant_id: tenantId };
    // A concurrent resolve stored the same phone or e-mail first.
    const raced = await find();
    if (!raced) throw new Error('contact insert conflicted but no contact holds its phone or e-mail');
    return raced;
  };

  const link = async (tenantId: string, contactId: string, identity: ContactIdentity): Promise<string> => {
    await repo.insertIdentity(deps.db, tenantId, {
      id: newId('cid'),
      contact_id: contactId,
      channel: identity.channel,
      platform_user_id: identity.platformUserId,
      created_at: now(),
    });
    const owner = await repo.findByIdentity(deps.db, tenantId, identity.channel, identity.platformUserId);
    // The id was already someone's (or a concurrent resolve linked it first): they are one person.
    return owner && owner.id !== contactId ? merge(tenantId, contactId, owner.id) : contactId;
  };

  return {
    async resolve(tenantId, identity, facts = {}) {
      const phoneFact = facts.phone ?? (PHONE_CHANNELS.has(identity.channel) ? identity.platformUserId : undefined);
      const known = await repo.findByIdentity(deps.db, tenantId, identity.channel, identity.platformUserId);
      let id = known?.id;
      if (!id) {
        const phone = normalisePhone(phoneFact);
        const email = normaliseEmail(facts.email);
        id = await link(tenantId, (await findOrCreate(tenantId, phone, email)).id, identity);
      }
      return learn(tenantId, id, { ...facts, phone: phoneFact });
    },

    learn,

    async updateFromIntegration(tenantId, update) {
      const phone = normalisePhone(update.phone);
      const email = normaliseEmail(update.email);
      let id: string | undefined;
      for (const ext of update.externalIds ?? []) {
        id ??= (await repo.findByIdentity(deps.db, tenantId, ext.channel, ext.platformUserId))?.id;
      }
      id ??= (await findOrCreate(tenantId, phone, email)).id;
      for (const ext of update.externalIds ?? []) id = await link(tenantId, id, ext);
      return learn(tenantId, id, { ...update, phone, email });
    },

    async get(tenantId, contactId) {
      return toContact(await load(deps.db, tenantId, contactId));
    },

    async identities(tenantId, contactId) {
      await load(deps.db, tenantId, contactId);
      return (await repo.listIdentities(deps.db, tenantId, contactId)).map((i) => ({
        channel: i.channel,
        platformUserId: i.platform_user_id,
      }));
    },
  };
}
