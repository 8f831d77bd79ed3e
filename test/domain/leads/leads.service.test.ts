import { systemActor } from '../../../src/domain/actor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysis } from '../../engine/dialog/fixtures.js';
import { dialects } from '../../helpers/db.js';
import { openLeadModules, type LeadModules } from './modules.js';

describe.each(dialects)('leads module on $label', ({ dialect, skip }) => {
  let m: LeadModules;

  beforeAll(async () => {
    if (!skip) m = await openLeadModules(dialect);
  });
  afterAll(async () => {
    if (!skip) await m.close();
  });

  const leads = () => m.leads.leads;
  const contacts = () => m.identity.contacts;

  it.skipIf(skip)('qualifies a lead, and the same e-mail again rescores it and adds to its history', async () => {
    const tenantId = await m.tenant();
    m.nextAnalysis.value = analysis({ score: 40, tier: 'COLD' });
    const first = await leads().qualify(tenantId, 'live', { email: ' Ana@Example.com ', company: 'Ruiz Roofing' });
    expect(first).toMatchObject({ created: true, previousScore: null });
    m.nextAnalysis.value = analysis({ score: 81, tier: 'HOT' });
    const again = await leads().qualify(tenantId, 'live', {
      email: 'ana@example.com',
      company: 'Ruiz Roofing',
      phone: '415 555 0101',
    });
    expect(again).toMatchObject({ leadId: first.leadId, created: false, previousScore: 40 });
    expect(await leads().get(tenantId, first.leadId)).toMatchObject({
      email: 'ana@example.com',
      phone: '+14155550101',
      score: 81,
      tier: 'HOT',
      source: 'api',
    });
    expect((await leads().scoreHistory(tenantId, first.leadId)).map((h) => h.score)).toEqual([40, 81]);
    expect(m.events.filter((e) => e.tenantId === tenantId).map((e) => e.event)).toEqual([
      'lead.qualified',
      'lead.scored',
    ]);
    // The tenant's open screens hear of both, after each commit, with what the leads list shows.
    expect(
      m.published
        .filter((e) => e.tenantId === tenantId)
        .map((e) => ({ type: e.type, conv: e.conversationId, ...e.data })),
    ).toEqual([
      { type: 'lead.created', conv: null, id: first.leadId, tier: 'COLD', score: 40, source: 'api', mode: 'live' },
      { type: 'lead.updated', conv: null, id: first.leadId, tier: 'HOT', score: 81, source: 'api', mode: 'live' },
    ]);
  });

  it.skipIf(skip)('attaches every recorded lead to the contact its phone or e-mail names', async () => {
    const tenantId = await m.tenant();
    const call = await leads().recordAnalyzed(
      tenantId,
      { phone: '(415) 555-0102', name: 'Lee Park', source: 'callrail', mode: 'live' },
      analysis(),
      5,
    );
    const lead = await leads().get(tenantId, call.leadId);
    expect(lead.contactId).toMatch(/^contact_/);
    expect(await contacts().get(tenantId, lead.contactId!)).toMatchObject({ phone: '+14155550102', name: 'Lee Park' });
    // The same phone through the qualify API, now with an e-mail: the same person, who gains the e-mail.
    const form = await leads().qualify(tenantId, 'live', {
      email: 'lee@corp.example',
      company: 'Corp',
      phone: '+14155550102',
    });
    expect(form.leadId).toBe(call.leadId);
    expect(await contacts().get(tenantId, lead.contactId!)).toMatchObject({ email: 'lee@corp.example' });
  });

  it.skipIf(skip)('gives a lead with neither phone nor e-mail no contact', async () => {
    const tenantId = await m.tenant();
    const recorded = await leads().recordAnalyzed(
      tenantId,
      { name: 'Someone', source: 'chat', mode: 'live' },
      analysis(),
      5,
    );
    expect((await leads().get(tenantId, recorded.leadId)).contactId).toBeNull();
  });

  it.skipIf(skip)(
    'writes the lead and its contact in the caller’s transaction, announcing only once asked',
    async () => {
      const tenantId = await m.tenant();
      const before = m.events.length;
      await expect(
        m.test.database.db.transaction().execute(async (trx) => {
          await leads().recordAnalyzedIn(
            trx,
            tenantId,
            { email: 'gone@example.com', source: 'chat', mode: 'live' },
            analysis(),
            5,
          );
          throw new Error('the turn failed');
        }),
      ).rejects.toThrow('the turn failed');
      const left = await m.test.database.db
        .selectFrom('contacts')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .execute();
      expect(left).toEqual([]);
      const kept = await m.test.database.db
        .transaction()
        .execute((trx) =>
          leads().recordAnalyzedIn(
            trx,
            tenantId,
            { email: 'kept@example.com', source: 'chat', mode: 'live' },
            analysis(),
            5,
          ),
        );
      expect(m.events.length).toBe(before);
      await kept.announce();
      expect(m.events.at(-1)).toMatchObject({ tenantId, event: 'lead.qualified', data: { lead: { id: kept.leadId } } });
      expect((await leads().get(tenantId, kept.leadId)).contactId).toMatch(/^contact_/);
    },
  );

  it.skipIf(skip)('records sales outcomes', async () => {
    const tenantId = await m.tenant();
    const q = await leads().qualify(tenantId, 'live', { email: 'won@example.com', company: 'W' });
    expect(await leads().setOutcome(systemActor, tenantId, q.leadId, 'won')).toMatchObject({
      status: 'won',
      wonAt: expect.any(String),
    });
    expect(await leads().setOutcome(systemActor, tenantId, q.leadId, 'open')).toMatchObject({
      status: 'qualified',
      wonAt: null,
    });
  });

  it.skipIf(skip)(
    'keeps tenants apart: another tenant’s lead is not found, and the same person is two contacts',
    async () => {
      const a = await m.tenant();
      const b = await m.tenant();
      const inA = await leads().qualify(a, 'live', { email: 'same@example.com', company: 'A', phone: '415 555 0103' });
      await expect(leads().get(b, inA.leadId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(leads().scoreHistory(b, inA.leadId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(leads().setOutcome(systemActor, b, inA.leadId, 'won')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const inB = await leads().qualify(b, 'live', { email: 'same@example.com', company: 'B', phone: '415 555 0103' });
      expect(inB).toMatchObject({ created: true });
      expect(inB.leadId).not.toBe(inA.leadId);
      const contactA = (await leads().get(a, inA.leadId)).contactId!;
      const contactB = (await leads().get(b, inB.leadId)).contactId!;
      expect(contactB).not.toBe(contactA);
      await expect(contacts().get(b, contactA)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await leads().get(a, inA.leadId)).status).toBe('qualified');
    },
  );
});
