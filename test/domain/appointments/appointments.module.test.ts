import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAppointmentsModule,
  reassignAppointmentsContactIn,
  type AppointmentRequest,
  type AppointmentsService,
} from '../../../src/domain/appointments/index.js';
import { createIdentityModule } from '../../../src/domain/identity/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { newId } from '../../../src/lib/ids.js';
import type { Db } from '../../../src/store/db.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

/** These tests read no calendar, so nothing asks for a tenant's time zone. */
const noCalendar = { get: () => Promise.reject(new Error('this test reads no calendar')) };

let seq = 0;
const uniq = (prefix: string) => `${prefix}_${Date.now()}_${(seq += 1)}`;

describe.each(dialects)('appointments module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let db: Db;
  let appointments: AppointmentsService;

  const addTenant = async () => {
    const id = uniq('appt');
    const at = new Date().toISOString();
    await db
      .insertInto('tenants')
      .values({
        id,
        name: id,
        domain: null,
        status: 'active',
        plan: 'starter',
        timezone: 'UTC',
        config: '{}',
        config_version: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  };
  /** A conversation with its own contact; answers both ids. */
  const addConversation = async (tenantId: string) => {
    const conversationId = await seedConversation(db, tenantId, {
      channel: 'whatsapp',
      contact: { phone: `+1415555${String((seq += 1) % 10_000).padStart(4, '0')}`, platformUserId: uniq('wa') },
    });
    const row = await db
      .selectFrom('conversations')
      .select('contact_id')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return { conversationId, contactId: row.contact_id! };
  };
  const request = (
    conversationId: string,
    contactId: string | null,
    over: Partial<AppointmentRequest> = {},
  ): AppointmentRequest => ({
    id: newId('appt'),
    conversationId,
    contactId,
    leadId: null,
    preferredTime: 'Tuesday morning',
    requestedStart: '2025-06-03T08:00:00-07:00',
    requestedEnd: '2025-06-03T12:00:00-07:00',
    fields: { name: 'Ana Lopez', phone: '+14155550100', service: 'roof repair', rooms: 3, urgent: true },
    status: 'requested',
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    ...over,
  });
  /** Records the requests in one transaction, as a conversation's turn does. */
  const record = (tenantId: string, ...requests: AppointmentRequest[]) =>
    db.transaction().execute(async (tx) => {
      for (const r of requests) await appointments.requestIn(tx, tenantId, r);
    });
  const reassign = (tenantId: string, from: string, to: string) =>
    db.transaction().execute((tx) => reassignAppointmentsContactIn(tx, tenantId, from, to));

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    db = test.database.db;
    const { contacts } = createIdentityModule({ db, clock: systemClock, referrers: [] });
    appointments = createAppointmentsModule({ db, clock: systemClock, contacts, tenants: noCalendar }).appointments;
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  it.skipIf(skip)("lists a conversation's requests back as recorded, oldest first", async () => {
    const tenantId = await addTenant();
    const { conversationId, contactId } = await addConversation(tenantId);
    const other = await addConversation(tenantId);
    const later = request(conversationId, contactId, {
      preferredTime: null,
      requestedStart: null,
      requestedEnd: null,
      fields: {},
      leadId: 'lead_1',
      status: 'confirmed',
      createdAt: '2025-06-02T09:00:00.000Z',
      updatedAt: '2025-06-02T09:30:00.000Z',
    });
    const earlier = request(conversationId, contactId);
    await record(tenantId, later, earlier, request(other.conversationId, other.contactId));

    // Every field comes back as it went in (fields' JSON included), in the order they were made.
    expect(await appointments.listForConversation(tenantId, conversationId)).toMatchObject([earlier, later]);
    expect(await appointments.listForConversation(tenantId, other.conversationId)).toHaveLength(1);
    expect(await appointments.listForConversation(tenantId, uniq('conv'))).toEqual([]);
  });

  it.skipIf(skip)("records nothing when the caller's transaction rolls back", async () => {
    const tenantId = await addTenant();
    const { conversationId, contactId } = await addConversation(tenantId);
    const failed = db.transaction().execute(async (tx) => {
      await appointments.requestIn(tx, tenantId, request(conversationId, contactId));
      throw new Error('the turn failed after booking');
    });
    await expect(failed).rejects.toThrow('the turn failed after booking');
    expect(await appointments.listForConversation(tenantId, conversationId)).toEqual([]);
  });

  it.skipIf(skip)("moves one contact's requests to another, leaving other contacts' alone", async () => {
    const tenantId = await addTenant();
    const first = await addConversation(tenantId);
    const second = await addConversation(tenantId);
    const third = await addConversation(tenantId);
    await record(
      tenantId,
      request(first.conversationId, first.contactId),
      request(second.conversationId, first.contactId),
      request(third.conversationId, third.contactId),
    );

    await reassign(tenantId, first.contactId, second.contactId);

    const contactsOf = async (conversationId: string) =>
      (await appointments.listForConversation(tenantId, conversationId)).map((r) => r.contactId);
    expect(await contactsOf(first.conversationId)).toEqual([second.contactId]);
    expect(await contactsOf(second.conversationId)).toEqual([second.contactId]);
    expect(await contactsOf(third.conversationId)).toEqual([third.contactId]);

    // In the caller's transaction: a merge that fails moves nothing.
    const failed = db.transaction().execute(async (tx) => {
      await reassignAppointmentsContactIn(tx, tenantId, third.contactId, first.contactId);
      throw new Error('merge failed');
    });
    await expect(failed).rejects.toThrow('merge failed');
    expect(await contactsOf(third.conversationId)).toEqual([third.contactId]);
  });

  it.skipIf(skip)("never shows or changes another tenant's requests", async () => {
    const a = await addTenant();
    const b = await addTenant();
    const ofA = await addConversation(a);
    const ofB = await addConversation(b);
    const requestOfA = request(ofA.conversationId, ofA.contactId);
    await record(a, requestOfA);
    await record(b, request(ofB.conversationId, ofB.contactId));

    // B asking for A's conversation sees nothing of it.
    expect(await appointments.listForConversation(b, ofA.conversationId)).toEqual([]);
    // B re-pointing A's contact (onto B's own) changes nothing of A's.
    await reassign(b, ofA.contactId, ofB.contactId);
    expect(await appointments.listForConversation(a, ofA.conversationId)).toMatchObject([requestOfA]);
    // A's merge touches only A's rows, even when B's contact id is named as the source.
    await reassign(a, ofB.contactId, ofA.contactId);
    expect(await appointments.listForConversation(b, ofB.conversationId)).toEqual([
      expect.objectContaining({ contactId: ofB.contactId }),
    ]);
    // Each tenant still sees exactly its own request.
    expect(await appointments.listForConversation(a, ofA.conversationId)).toHaveLength(1);
    expect(await appointments.listForConversation(b, ofB.conversationId)).toHaveLength(1);
  });
});
