import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from '../../../src/domain/identity/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

describe('contact keys', () => {
  it('writes phones in E.164 and refuses text that cannot be a phone', () => {
    expect(normalisePhone('(415) 555-2671')).toBe('+14155552671');
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalisePhone('whatsapp:+14155552671')).toBe('+14155552671');
    expect(normalisePhone('12345')).toBeUndefined();
    expect(normalisePhone(undefined)).toBeUndefined();
  });

  it('lower-cases e-mail and refuses what is not one', () => {
    expect(normaliseEmail('  John.Smith@Example.COM ')).toBe('john.smith@example.com');
    expect(normaliseEmail('not-an-email')).toBeUndefined();
  });
});

describe.each(dialects)('contacts service on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const contacts = () => t.deps.services.contacts;

  it.skipIf(skip)('finds a sender by identity, then by phone, then by e-mail, else creates one', async () => {
    const { id: tenantId } = await t.createTenant();
    const wa = await contacts().resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155552671' });
    expect(wa.phone).toBe('+14155552671');
    expect((await contacts().resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155552671' })).id).toBe(
      wa.id,
    );
    // Another channel, same phone: the same person.
    const sms = await contacts().resolve(tenantId, { channel: 'sms', platformUserId: '415-555-2671' });
    expect(sms.id).toBe(wa.id);
    const web = await contacts().resolve(
      tenantId,
      { channel: 'web', platformUserId: 'visitor_1' },
      { email: 'Ana@Example.com' },
    );
    expect(web.id).not.toBe(wa.id);
    expect(web.email).toBe('ana@example.com');
    const slack = await contacts().resolve(
      tenantId,
      { channel: 'slack', platformUserId: 'U123' },
      { email: 'ana@example.com' },
    );
    expect(slack.id).toBe(web.id);
    expect(await contacts().identities(tenantId, web.id)).toEqual([
      { channel: 'web', platformUserId: 'visitor_1' },
      { channel: 'slack', platformUserId: 'U123' },
    ]);
    const stranger = await contacts().resolve(tenantId, { channel: 'messenger', platformUserId: 'psid_9' });
    expect([wa.id, web.id]).not.toContain(stranger.id);
    expect(stranger).toMatchObject({ phone: null, email: null });
  });

  it.skipIf(skip)(
    'merges two contacts when one reveals the other’s phone, keeping the older and moving its links',
    async () => {
      const { id: tenantId } = await t.createTenant();
      const older = await contacts().resolve(
        tenantId,
        { channel: 'whatsapp', platformUserId: '+14155550123' },
        { name: 'Ana' },
      );
      const newer = await contacts().resolve(
        tenantId,
        { channel: 'web', platformUserId: 'visitor_7' },
        { email: 'ana@example.com' },
      );
      const merged = await contacts().learn(tenantId, newer.id, { phone: '(415) 555-0123' });
      expect(merged).toMatchObject({ id: older.id, name: 'Ana', phone: '+14155550123', email: 'ana@example.com' });
      expect(merged.attributes.merged_contact_ids).toEqual([newer.id]);
      expect(await contacts().identities(tenantId, older.id)).toEqual(
        expect.arrayContaining([
          { channel: 'whatsapp', platformUserId: '+14155550123' },
          { channel: 'web', platformUserId: 'visitor_7' },
        ]),
      );
      await expect(contacts().get(tenantId, newer.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // The web visitor now resolves to the merged contact.
      expect((await contacts().resolve(tenantId, { channel: 'web', platformUserId: 'visitor_7' })).id).toBe(older.id);
    },
  );

  it.skipIf(skip)('never merges across tenants', async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const inA = await contacts().resolve(a.id, { channel: 'whatsapp', platformUserId: '+14155550144' });
    const inB = await contacts().resolve(b.id, { channel: 'web', platformUserId: 'v1' }, { phone: '+1 415 555 0144' });
    expect(inB.id).not.toBe(inA.id);
    expect(inB.phone).toBe('+14155550144');
    expect((await contacts().get(a.id, inA.id)).phone).toBe('+14155550144');
    await expect(contacts().get(b.id, inA.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.skipIf(skip)('keeps a second phone as an alternate instead of overwriting the first', async () => {
    const { id: tenantId } = await t.createTenant();
    const c = await contacts().resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155550155' });
    const after = await contacts().learn(tenantId, c.id, { phone: '+14155550166' });
    expect(after.phone).toBe('+14155550155');
    expect(after.attributes.other_phones).toEqual(['+14155550166']);
  });

  it.skipIf(skip)('updates from an integration: links external ids, merges by key and merges attributes', async () => {
    const { id: tenantId } = await t.createTenant();
    const chat = await contacts().resolve(tenantId, { channel: 'whatsapp', platformUserId: '+14155550177' });
    const crm = await contacts().updateFromIntegration(tenantId, {
      email: 'Lee@Corp.example',
      phone: '415 555 0177',
      name: 'Lee Park',
      externalIds: [{ channel: 'generic', platformUserId: 'crm_42' }],
      attributes: { crm_stage: 'opportunity', company: 'Corp' },
    });
    expect(crm).toMatchObject({
      id: chat.id,
      email: 'lee@corp.example',
      phone: '+14155550177',
      name: 'Lee Park',
      attributes: { crm_stage: 'opportunity', company: 'Corp' },
    });
    const again = await contacts().updateFromIntegration(tenantId, {
      externalIds: [{ channel: 'generic', platformUserId: 'crm_42' }],
      attributes: { crm_stage: 'won' },
    });
    expect(again).toMatchObject({ id: chat.id, attributes: { crm_stage: 'won', company: 'Corp' } });
    expect(await contacts().identities(tenantId, chat.id)).toEqual(
      expect.arrayContaining([
        { channel: 'whatsapp', platformUserId: '+14155550177' },
        { channel: 'generic', platformUserId: 'crm_42' },
      ]),
    );
  });
});
