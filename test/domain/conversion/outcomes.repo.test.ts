import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutcomesRepo } from '../../../src/domain/conversion/outcomes.repo.js';
import type { Db } from '../../../src/store/db.js';
import { analysis } from '../../engine/dialog/fixtures.js';
import { dialects, insertTenantRow, openTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { conversationRow } from '../../helpers/conversations.js';

const AT = '2026-11-02T15:30:00.000Z';

async function insertLead(
  db: Db,
  tenantId: string,
  id: string,
  row: { email: string; phone?: string; contactId?: string; livemode?: number; niche?: string; status?: string },
) {
  await db
    .insertInto('leads')
    .values({
      id,
      tenant_id: tenantId,
      email: row.email,
      name: null,
      company: null,
      phone: row.phone ?? null,
      message: null,
      source: 'website_form',
      metadata: '{}',
      status: row.status ?? 'new',
      score: 64,
      tier: 'WARM',
      intent: 'quote_request',
      recommended_action: 'add_to_nurture',
      analysis: JSON.stringify(analysis({ score: 64, intent: 'quote_request' })),
      enrichment: null,
      processing_time_ms: 1,
      qualified_at: AT,
      won_at: null,
      contact_id: row.contactId ?? null,
      niche: row.niche ?? null,
      city: 'Austin',
      category: null,
      created_at: AT,
      updated_at: AT,
      livemode: row.livemode ?? 1,
    })
    .execute();
}

async function insertContact(db: Db, tenantId: string, id: string) {
  await db
    .insertInto('contacts')
    .values({
      id,
      tenant_id: tenantId,
      name: null,
      phone: null,
      email: null,
      attributes: '{}',
      created_at: AT,
      updated_at: AT,
    })
    .execute();
}

async function insertConversation(db: Db, tenantId: string, id: string, contactId: string, messages: number) {
  await db
    .insertInto('conversations')
    .values(
      conversationRow({
        id,
        tenant_id: tenantId,
        contact_id: contactId,
        status: 'closed',
        message_count: messages,
        last_inbound_at: AT,
        last_message_at: AT,
        created_at: AT,
        closed_at: AT,
      }),
    )
    .execute();
}

async function insertAppointment(
  db: Db,
  tenantId: string,
  id: string,
  link: { contactId?: string; leadId?: string; status: string },
) {
  await db
    .insertInto('appointment_requests')
    .values({
      id,
      tenant_id: tenantId,
      conversation_id: null,
      contact_id: link.contactId ?? null,
      lead_id: link.leadId ?? null,
      preferred_time: null,
      requested_start: null,
      requested_end: null,
      fields: '{}',
      status: link.status,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
}

async function insertCall(db: Db, tenantId: string, id: string, leadId: string) {
  await db
    .insertInto('ingestion_requests')
    .values({
      id,
      tenant_id: tenantId,
      source_type: 'callrail',
      external_id: id,
      generation: 0,
      dedupe_key: `callrail:${id}`,
      status: 'completed',
      original_payload: '{}',
      call_data: '{}',
      enriched_data: '{}',
      ai_analysis: null,
      lead_id: leadId,
      lead_score: 64,
      project_type: null,
      error_message: null,
      retry_scheduled: 0,
      retry_at: null,
      cost_usd: 0,
      ack_ms: 1,
      processing_time_ms: 1,
      created_at: AT,
      updated_at: AT,
      processed_at: AT,
    })
    .execute();
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`the conversion model's outcome reads on ${label}`, () => {
    let test: TestDatabase;
    let db: Db;

    beforeAll(async () => {
      test = await openTestDatabase(dialect);
      db = test.database.db;
      for (const t of ['t_a', 't_b']) await insertTenantRow(db, t);
      await insertContact(db, 't_a', 'ct_a1');
      await insertLead(db, 't_a', 'lead_a1', {
        email: 'ann@example.com',
        phone: '+15125550101',
        contactId: 'ct_a1',
        niche: 'solar',
      });
      await insertConversation(db, 't_a', 'conv_a1', 'ct_a1', 3);
      await insertConversation(db, 't_a', 'conv_a2', 'ct_a1', 4);
      await insertAppointment(db, 't_a', 'appt_a1', { contactId: 'ct_a1', status: 'confirmed' });
      await insertCall(db, 't_a', 'req_a1', 'lead_a1');
      await insertLead(db, 't_a', 'lead_a2', { email: 'bo@example.com', status: 'lost' });
      await insertAppointment(db, 't_a', 'appt_a2', { leadId: 'lead_a2', status: 'cancelled' });
      await insertLead(db, 't_a', 'lead_a3', { email: 'test@example.com', livemode: 0 });
      await insertLead(db, 't_b', 'lead_b1', { email: 'ann@example.com' });
    });
    afterAll(async () => {
      await test.drop();
    });

    it("reads each live lead of the tenant with its contact's bookings, conversations, messages and calls", async () => {
      const outcomes = await createOutcomesRepo(db).listOutcomes('t_a');
      expect(outcomes.map((o) => o.id).sort()).toEqual(['lead_a1', 'lead_a2']);
      const a1 = outcomes.find((o) => o.id === 'lead_a1')!;
      expect(a1).toMatchObject({
        niche: 'solar',
        city: 'Austin',
        booked: true,
        conversations: 2,
        messages: 7,
        calls: 1,
      });
      expect(a1.analysis?.intent).toBe('quote_request');
      // A cancelled appointment is no booking.
      expect(outcomes.find((o) => o.id === 'lead_a2')).toMatchObject({ status: 'lost', booked: false, calls: 0 });
    });

    it('finds a lead by e-mail, else phone, within its tenant only', async () => {
      const repo = createOutcomesRepo(db);
      expect(await repo.findByKeys('t_a', { email: 'ann@example.com' })).toMatchObject({
        id: 'lead_a1',
        messages: 7,
        booked: true,
      });
      expect(await repo.findByKeys('t_a', { email: 'nobody@example.com', phone: '+15125550101' })).toMatchObject({
        id: 'lead_a1',
      });
      expect(await repo.findByKeys('t_b', { email: 'ann@example.com' })).toMatchObject({
        id: 'lead_b1',
        booked: false,
        messages: 0,
      });
      expect(await repo.findByKeys('t_b', { phone: '+15125550101' })).toBeUndefined();
    });
  });
}
