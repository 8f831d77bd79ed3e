import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppointmentsModule, reassignAppointmentsContactIn } from '../../../src/domain/appointments/index.js';
import { reassignConversationsContactIn } from '../../../src/domain/conversations/index.js';
import { createIdentityModule } from '../../../src/domain/identity/index.js';
import { reassignLeadsContactIn } from '../../../src/domain/leads/index.js';
import { createSessionsModule, reassignSessionsContactIn } from '../../../src/domain/sessions/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { newId } from '../../../src/lib/ids.js';
import type { Db } from '../../../src/store/db.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { openLeadModules, type LeadModules } from '../leads/modules.js';

/** These tests read no calendar, so nothing asks for a tenant's time zone. */
const noCalendar = { get: () => Promise.reject(new Error('this test reads no calendar')) };

const DOORS = [
  reassignConversationsContactIn,
  reassignSessionsContactIn,
  reassignAppointmentsContactIn,
  reassignLeadsContactIn,
];

/** One row in each table of another concept that names a contact, all naming `contactId`. */
async function rowsNaming(m: LeadModules, tenantId: string, contactId: string, email: string) {
  const db: Db = m.test.database.db;
  const { leadId } = await m.leads.leads.qualify(tenantId, 'live', { email, company: 'Kim Co' });
  const conversationId = await seedConversation(db, tenantId);
  await db.updateTable('conversations').set({ contact_id: contactId }).where('id', '=', conversationId).execute();
  const { sessions } = createSessionsModule({ db, clock: systemClock });
  const { session } = await sessions.create(tenantId, {
    channel: 'web',
    mode: 'live',
    timeoutMinutes: 30,
    enableContextPersistence: true,
  });
  await db.updateTable('chat_sessions').set({ contact_id: contactId }).where('id', '=', session.id).execute();
  const appointmentId = newId('appt');
  const at = new Date().toISOString();
  await db.transaction().execute((tx) =>
    createAppointmentsModule({
      db,
      clock: systemClock,
      contacts: m.identity.contacts,
      tenants: noCalendar,
    }).appointments.requestIn(tx, tenantId, {
      id: appointmentId,
      conversationId,
      contactId,
      leadId,
      preferredTime: null,
      requestedStart: null,
      requestedEnd: null,
      fields: {},
      status: 'requested',
      createdAt: at,
      updatedAt: at,
    }),
  );
  const contactOf = async (table: 'conversations' | 'chat_sessions' | 'appointment_requests' | 'leads', id: string) =>
    (await db.selectFrom(table).select('contact_id').where('tenant_id', '=', tenantId).where('id', '=', id).execute())
      .map((r) => r.contact_id)
      .join();
  return async () => [
    await contactOf('conversations', conversationId),
    await contactOf('chat_sessions', session.id),
    await contactOf('appointment_requests', appointmentId),
    await contactOf('leads', leadId),
  ];
}

describe.each(dialects)('a contact merge through the other concepts’ doors on $label', ({ dialect, skip }) => {
  let m: LeadModules;

  beforeAll(async () => {
    if (!skip) m = await openLeadModules(dialect);
  });
  afterAll(async () => {
    if (!skip) await m.close();
  });

  it.skipIf(skip)(
    'moves the newer contact’s conversations, sessions, appointment requests and leads to the survivor',
    async () => {
      const tenantId = await m.tenant();
      const contacts = m.identity.contacts;
      const older = await contacts.resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155550133' });
      const newer = await contacts.resolve(
        tenantId,
        { channel: 'web', platformUserId: 'v_kim' },
        { email: 'kim@x.io' },
      );
      const contactsOfRows = await rowsNaming(m, tenantId, newer.id, 'kim@x.io');
      expect(await contactsOfRows()).toEqual([newer.id, newer.id, newer.id, newer.id]);

      const merged = await contacts.learn(tenantId, newer.id, { phone: '+1 415 555 0133' });
      expect(merged.id).toBe(older.id);
      expect(await contactsOfRows()).toEqual([older.id, older.id, older.id, older.id]);
    },
  );

  it.skipIf(skip)('moves nothing, and keeps both contacts, when a door fails inside the merge', async () => {
    const tenantId = await m.tenant();
    const failing = createIdentityModule({
      db: m.test.database.db,
      clock: systemClock,
      referrers: [...DOORS, () => Promise.reject(new Error('door failed'))],
    }).contacts;
    const older = await failing.resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155550144' });
    const newer = await failing.resolve(tenantId, { channel: 'web', platformUserId: 'v_lee' }, { email: 'lee@x.io' });
    const contactsOfRows = await rowsNaming(m, tenantId, newer.id, 'lee@x.io');

    await expect(failing.learn(tenantId, newer.id, { phone: '+1 415 555 0144' })).rejects.toThrow('door failed');
    expect(await contactsOfRows()).toEqual([newer.id, newer.id, newer.id, newer.id]);
    expect((await failing.get(tenantId, older.id)).phone).toBe('+14155550144');
    expect(await failing.identities(tenantId, newer.id)).toEqual([{ channel: 'web', platformUserId: 'v_lee' }]);
  });
});
