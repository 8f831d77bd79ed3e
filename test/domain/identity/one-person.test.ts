import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysis } from '../../engine/dialog/fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

const PHONE = '(415) 555-0199';
const EMAIL = 'ana.ruiz@example.com';

describe.each(dialects)('one person, one contact, on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const contactsOf = (tenantId: string) =>
    t.deps.database.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).execute();

  /** A call's analysis is recorded as the ingestion pipeline's analysis step records it. */
  const call = (tenantId: string) =>
    t.deps.services.leads.recordAnalyzed(
      tenantId,
      { phone: PHONE, name: 'Ana Ruiz', source: 'callrail', message: 'I need my roof looked at', mode: 'live' },
      analysis({ score: 55, tier: 'WARM' }),
      12,
    );

  it.skipIf(skip)(
    'puts a caller, the form she then fills and the chat she then starts on one contact with her leads and conversation',
    async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const headers = { authorization: `Bearer ${tenant.apiKey}` };
      const { leads, contacts } = t.deps.services;

      const called = await call(tenant.id);
      // The form gives only her e-mail: nothing yet says it is the caller.
      const form = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers,
        payload: { email: EMAIL, company: 'Ruiz Roofing', name: 'Ana Ruiz', message: 'Quote for a new roof' },
      });
      expect(form.statusCode, form.body).toBe(200);
      const formLeadId = form.json<{ id: string }>().id;
      expect(formLeadId).not.toBe(called.leadId);
      expect(await contactsOf(tenant.id)).toHaveLength(2);

      // The chat gives both, so the three are one person.
      const chat = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers,
        payload: {
          message_id: 'm_one_person_1',
          user_id: 'visitor_ana',
          channel: 'web',
          content: { type: 'text', text: `Hi, it's Ana. My email is ${EMAIL} and my number is ${PHONE}` },
        },
      });
      expect(chat.statusCode, chat.body).toBe(200);
      const conversationId = chat.json<{ data: { conversation_id: string } }>().data.conversation_id;

      const [person, ...others] = await contactsOf(tenant.id);
      expect(others).toEqual([]);
      expect(person).toMatchObject({ phone: '+14155550199', email: EMAIL, name: 'Ana Ruiz' });
      expect((await leads.get(tenant.id, called.leadId)).contactId).toBe(person!.id);
      expect((await leads.get(tenant.id, formLeadId)).contactId).toBe(person!.id);
      const conversation = await t.deps.database.db
        .selectFrom('conversations')
        .select('contact_id')
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(conversation.contact_id).toBe(person!.id);
      expect(await contacts.identities(tenant.id, person!.id)).toEqual([
        { channel: 'web', platformUserId: 'visitor_ana' },
      ]);
    },
  );

  it.skipIf(skip)('never shares a contact between tenants, even for the same phone and e-mail', async () => {
    const a = await t.createTenant({ plan: 'enterprise' });
    const b = await t.createTenant({ plan: 'enterprise' });
    const inA = await t.deps.services.leads.get(a.id, (await call(a.id)).leadId);
    const inB = await t.deps.services.leads.get(b.id, (await call(b.id)).leadId);
    expect(inA.contactId).toMatch(/^contact_/);
    expect(inB.contactId).toMatch(/^contact_/);
    expect(inB.contactId).not.toBe(inA.contactId);
    await expect(t.deps.services.contacts.get(b.id, inA.contactId!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await contactsOf(a.id)).toEqual([expect.objectContaining({ id: inA.contactId, phone: '+14155550199' })]);
  });
});
