import { afterEach, describe, expect, it } from 'vitest';
import { backfillLeadContacts } from '../../src/store/migrations/2026-12-06-0014-lead-contacts.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../helpers/db.js';

describe.each(dialects)('migration 0014 attaches existing leads to contacts on $label', ({ dialect, skip }) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

  async function seed(db: TestDatabase['database']['db']) {
    for (const id of ['acme', 'globex']) {
      await insertTenantRow(db, id, { createdAt: at(0) });
    }
    // A chat contact that already knows Ana's e-mail.
    await db
      .insertInto('contacts')
      .values({
        id: 'contact_chat',
        tenant_id: 'acme',
        name: null,
        phone: null,
        email: 'ana@example.com',
        attributes: '{}',
        created_at: at(1),
        updated_at: at(1),
      })
      .execute();
    const lead = (
      tenantId: string,
      id: string,
      minute: number,
      keys: { phone?: string; email?: string; name?: string },
    ) =>
      db
        .insertInto('leads')
        .values({
          id,
          tenant_id: tenantId,
          email: keys.email ?? null,
          name: keys.name ?? null,
          company: null,
          phone: keys.phone ?? null,
          message: null,
          source: 'api',
          metadata: '{}',
          status: 'qualified',
          score: null,
          tier: null,
          intent: null,
          recommended_action: null,
          analysis: null,
          enrichment: null,
          processing_time_ms: null,
          qualified_at: null,
          won_at: null,
          contact_id: null,
          created_at: at(minute),
          updated_at: at(minute),
        })
        .execute();
    await lead('acme', 'lead_form', 2, { email: 'ana@example.com', phone: '+14155550111', name: 'Ana' });
    await lead('acme', 'lead_call', 3, { phone: '+14155550111' });
    await lead('acme', 'lead_other', 4, { phone: '+14155550122', name: 'Bo' });
    await lead('acme', 'lead_anonymous', 5, { name: 'Nobody' });
    await lead('globex', 'lead_globex', 6, { email: 'ana@example.com' });
  }

  it.skipIf(skip)('by phone, then e-mail, else a new contact, per tenant; a lead with neither keeps none', async () => {
    t = await openTestDatabase(dialect);
    const db = t.database.db;
    await seed(db);
    await backfillLeadContacts(db);

    const leads = Object.fromEntries(
      (await db.selectFrom('leads').select(['id', 'contact_id']).execute()).map((l) => [l.id, l.contact_id]),
    );
    expect(leads.lead_form).toBe('contact_chat');
    expect(leads.lead_call).toBe('contact_chat');
    expect(leads.lead_anonymous).toBeNull();
    expect(leads.lead_other).toMatch(/^contact_[0-9a-z]{26}$/);
    expect(leads.lead_globex).toMatch(/^contact_/);
    expect(leads.lead_globex).not.toBe('contact_chat');

    const contacts = await db.selectFrom('contacts').selectAll().orderBy('created_at').execute();
    expect(
      contacts.map((c) => [c.tenant_id, c.id === 'contact_chat' ? 'chat' : 'new', c.phone, c.email, c.name]),
    ).toEqual([
      ['acme', 'chat', '+14155550111', 'ana@example.com', 'Ana'],
      ['acme', 'new', '+14155550122', null, 'Bo'],
      ['globex', 'new', null, 'ana@example.com', null],
    ]);

    // Run again, it has nothing left to do.
    await backfillLeadContacts(db);
    expect(await db.selectFrom('contacts').select('id').execute()).toHaveLength(3);
  });
});
