import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { tenantFootprint } from '../helpers/isolation.js';
import { conversationRow } from '../helpers/conversations.js';

/**
 * One row in every tenant-owned table, written straight to the store so the test does not depend
 * on the features that normally write them. A table added by a later migration without a row
 * here fails the coverage check below, so tenant deletion is re-proved for it.
 */
async function fillEveryTable(db: Db, tenantId: string): Promise<void> {
  const now = new Date().toISOString();
  const id = (prefix: string) => `${prefix}_${tenantId}`.slice(0, 40);
  await db
    .insertInto('jobs')
    .values({
      id: id('job'),
      tenant_id: tenantId,
      type: 'webhook.deliver',
      payload: '{}',
      status: 'queued',
      priority: 0,
      attempts: 0,
      max_attempts: 5,
      run_at: now,
      lease_until: null,
      worker_id: null,
      last_error: null,
      dedupe_key: null,
      result: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
    })
    .execute();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: id('whk'),
      tenant_id: tenantId,
      url: 'https://example.com/hook',
      events: '["lead.qualified"]',
      sealed_secret: 'sealed',
      status: 'active',
      consecutive_failures: 0,
      failing_since: null,
      disabled_at: null,
      disabled_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('webhook_deliveries')
    .values({
      id: id('dlv'),
      tenant_id: tenantId,
      endpoint_id: id('whk'),
      event_id: id('evt'),
      event_type: 'lead.qualified',
      payload: '{}',
      status: 'pending',
      attempts: 0,
      next_attempt_at: null,
      last_status_code: null,
      last_error: null,
      replay_of: null,
      created_at: now,
      delivered_at: null,
    })
    .execute();
  await db
    .insertInto('webhook_attempts')
    .values({
      id: id('att'),
      tenant_id: tenantId,
      delivery_id: id('dlv'),
      attempt: 1,
      requested_at: now,
      duration_ms: 12,
      status_code: 500,
      response_body: 'nope',
      error: null,
    })
    .execute();
  await db
    .insertInto('webhook_callback_secrets')
    .values({ tenant_id: tenantId, sealed_secret: 'sealed', created_at: now })
    .execute();
  await db
    .insertInto('leads')
    .values({
      id: id('lead'),
      tenant_id: tenantId,
      email: `${tenantId}@example.com`,
      name: 'Jane',
      company: 'Acme',
      phone: null,
      message: 'roof',
      source: 'api',
      metadata: '{}',
      status: 'qualified',
      score: 80,
      tier: 'hot',
      intent: 'roofing',
      recommended_action: 'call',
      analysis: null,
      enrichment: null,
      processing_time_ms: 5,
      qualified_at: now,
      won_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('lead_scores')
    .values({
      id: id('score'),
      tenant_id: tenantId,
      lead_id: id('lead'),
      score: 80,
      tier: 'hot',
      breakdown: '{}',
      reasoning: 'budget',
      provider: 'local',
      model: 'local',
      cost_usd: 0,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('batches')
    .values({
      id: id('batch'),
      tenant_id: tenantId,
      status: 'completed',
      priority: 'normal',
      total: 1,
      processed: 1,
      failed: 0,
      webhook_url: null,
      error: null,
      created_at: now,
      completed_at: now,
      processing_time_ms: 9,
    })
    .execute();
  await db
    .insertInto('batch_items')
    .values({
      id: id('item'),
      tenant_id: tenantId,
      batch_id: id('batch'),
      position: 0,
      input: '{}',
      status: 'completed',
      lead_id: id('lead'),
      score: 80,
      tier: 'hot',
      error: null,
    })
    .execute();
  await db
    .insertInto('crm_syncs')
    .values({
      id: id('sync'),
      tenant_id: tenantId,
      lead_id: id('lead'),
      request_id: null,
      crm_type: 'hubspot',
      crm_record_id: '42',
      status: 'success',
      sync_time_ms: 30,
      error: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('ingestion_requests')
    .values({
      id: id('req'),
      tenant_id: tenantId,
      source_type: 'callrail',
      external_id: 'CAL1',
      generation: 0,
      dedupe_key: 'callrail:CAL1',
      status: 'completed',
      original_payload: '{}',
      call_data: '{}',
      enriched_data: '{}',
      ai_analysis: null,
      lead_id: id('lead'),
      lead_score: 80,
      project_type: 'roofing',
      error_message: null,
      retry_scheduled: 0,
      retry_at: null,
      cost_usd: 0,
      ack_ms: 3,
      processing_time_ms: 40,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute();
  await db
    .insertInto('ingestion_steps')
    .values({
      id: id('step'),
      tenant_id: tenantId,
      request_id: id('req'),
      step: 'transcribe',
      position: 0,
      status: 'completed',
      started_at: now,
      duration_ms: 4,
      attempts: 1,
      reason: null,
      error: null,
      cost_usd: 0,
      output: null,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('exports')
    .values({
      id: id('exp'),
      tenant_id: tenantId,
      format: 'csv',
      status: 'completed',
      params: '{}',
      storage_key: null,
      content_type: 'text/csv',
      record_count: 1,
      file_size_bytes: 10,
      error: null,
      created_at: now,
      completed_at: now,
      expires_at: now,
    })
    .execute();
  await db
    .insertInto('contacts')
    .values({
      id: id('ct'),
      tenant_id: tenantId,
      name: 'Jane',
      phone: '+15125550100',
      email: `${tenantId}@example.com`,
      attributes: '{}',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('contact_identities')
    .values({
      id: id('cid'),
      tenant_id: tenantId,
      contact_id: id('ct'),
      channel: 'whatsapp',
      platform_user_id: '15125550100',
      created_at: now,
    })
    .execute();
  await db
    .insertInto('chat_sessions')
    .values({
      id: id('sess'),
      tenant_id: tenantId,
      contact_id: id('ct'),
      user_id: 'u1',
      channel: 'web',
      status: 'active',
      context: '{}',
      history: '[]',
      metadata: '{}',
      created_at: now,
      updated_at: now,
      last_activity_at: now,
      expires_at: now,
    })
    .execute();
  await db
    .insertInto('conversations')
    .values(
      conversationRow({
        id: id('conv'),
        tenant_id: tenantId,
        contact_id: id('ct'),
        session_id: id('sess'),
        user_id: 'u1',
        message_count: 1,
        last_inbound_at: now,
        last_message_at: now,
        created_at: now,
      }),
    )
    .execute();
  await db
    .insertInto('messages')
    .values({
      id: id('msg'),
      tenant_id: tenantId,
      conversation_id: id('conv'),
      channel: 'web',
      external_id: 'm1',
      direction: 'inbound',
      sender: 'customer',
      content_type: 'text',
      text: 'hi',
      media: null,
      quick_replies: null,
      intent: null,
      confidence: null,
      sentiment: null,
      status: 'processed',
      error: null,
      metadata: '{}',
      reply_to_id: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('transfers')
    .values({
      id: id('trf'),
      tenant_id: tenantId,
      conversation_id: id('conv'),
      agent_user_id: null,
      department: 'support',
      priority: 'normal',
      reason: null,
      note: null,
      briefing: '{}',
      status: 'queued',
      created_at: now,
      accepted_at: null,
      completed_at: null,
    })
    .execute();
  await db
    .insertInto('channel_deliveries')
    .values({
      id: id('chdlv'),
      tenant_id: tenantId,
      message_id: id('msg'),
      conversation_id: id('conv'),
      channel: 'whatsapp',
      recipient: '15550000000',
      reply_to: null,
      text: 'hi',
      quick_replies: '[]',
      context: '{}',
      status: 'sent',
      kind: 'text',
      request: '{}',
      external_id: 'wamid.1',
      attempts: 1,
      reason: null,
      created_at: now,
      updated_at: now,
      sent_at: now,
    })
    .execute();
  await db
    .insertInto('channel_routes')
    .values({
      tenant_id: tenantId,
      channel: 'whatsapp',
      external_key: `phone:${tenantId}`,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('consent_events')
    .values({
      id: id('consent'),
      tenant_id: tenantId,
      phone: '+15125550100',
      channel: 'sms',
      change: 'opt_out',
      source: 'keyword',
      evidence: 'STOP',
      created_at: now,
    })
    .execute();
  await db
    .insertInto('reminder_sends')
    .values({
      tenant_id: tenantId,
      kind: 'followup',
      subject_id: id('contact'),
      contact_id: id('contact'),
      message_id: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('user_passwords')
    .values({ tenant_id: tenantId, user_id: id('user'), password_hash: '$argon2id$x', updated_at: now })
    .execute();
  await db
    .insertInto('magic_links')
    .values({
      token_hash: id('ml'),
      tenant_id: tenantId,
      user_id: id('user'),
      created_at: now,
      expires_at: now,
      used_at: null,
    })
    .execute();
  await db
    .insertInto('app_sessions')
    .values({
      id_hash: id('sess'),
      tenant_id: tenantId,
      kind: 'user',
      user_id: id('user'),
      created_at: now,
      expires_at: now,
    })
    .execute();
  await db
    .insertInto('campaigns')
    .values({
      id: id('camp'),
      tenant_id: tenantId,
      name: 'Campaign',
      niche: 'real_estate',
      client_name: 'Client',
      client_service: 'Service',
      target_cities: '["Mumbai"]',
      target_lead_count: 10,
      daily_call_limit: 5,
      status: 'running',
      dials_day: null,
      dials_today: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('campaign_targets')
    .values({
      id: id('ctgt'),
      tenant_id: tenantId,
      campaign_id: id('camp'),
      lead_id: id('lead'),
      phone: '+919876543210',
      time_zone: 'Asia/Kolkata',
      state: 'pending',
      attempts: 0,
      next_dial_at: now,
      outcome: null,
      call_ref: null,
      transcript: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('campaign_dnc')
    .values({ tenant_id: tenantId, phone: '+919876543219', created_at: now })
    .execute();
  await db.insertInto('token_generations').values({ tenant_id: tenantId, generation: 1, updated_at: now }).execute();
  await db
    .insertInto('appointment_requests')
    .values({
      id: id('appt'),
      tenant_id: tenantId,
      conversation_id: id('conv'),
      contact_id: id('ct'),
      lead_id: id('lead'),
      preferred_time: 'Thursday afternoon',
      fields: '{}',
      status: 'requested',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('message_feedback')
    .values({
      id: id('fb'),
      tenant_id: tenantId,
      conversation_id: id('conv'),
      message_id: id('msg'),
      rating: 5,
      helpful: 1,
      comment: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('conversion_runs')
    .values({
      id: id('mlrun'),
      tenant_id: tenantId,
      status: 'succeeded',
      requested_at: now,
      started_at: now,
      finished_at: now,
      counts: '{}',
      shortfall: null,
      message: null,
      model: '{}',
      performance: '{}',
      blending: 1,
    })
    .execute();
}

describe.each(dialects)('deleting a tenant on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('removes its rows from every tenant-owned table and leaves other tenants’ rows alone', async () => {
    const doomed = await t.createTenant({ admin_user: { email: 'owner@doomed.example' } });
    const kept = await t.createTenant();
    for (const tenant of [doomed, kept]) {
      // Usage counters and audit entries come from real API traffic.
      await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: { 'x-api-key': tenant.apiKey },
        payload: { configuration: { chatbot: { default_greeting: 'Hi' } } },
      });
      await fillEveryTable(t.deps.database.db, tenant.id);
      await t.deps.storage.put(`tenants/${tenant.id}/recordings/req_1.wav`, Buffer.from('RIFF'), 'audio/wav');
      fs.mkdirSync(path.join(t.dataDir, 'exports', tenant.id), { recursive: true });
      fs.writeFileSync(path.join(t.dataDir, 'exports', tenant.id, 'exp_1.csv'), 'id\n');
    }

    const before = await tenantFootprint(t, doomed.id);
    const empty = Object.entries(before)
      .filter(([, rows]) => rows.length === 0)
      .map(([table]) => table);
    expect(empty, 'give these tenant-owned tables a row in fillEveryTable').toEqual([]);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(18);
    const keptBefore = await tenantFootprint(t, kept.id);

    const res = await t.app.inject({ method: 'DELETE', url: `/api/v2/tenants/${doomed.id}`, headers: t.adminHeaders });
    expect(res.statusCode, res.body).toBe(200);

    const after = await tenantFootprint(t, doomed.id);
    for (const [table, rows] of Object.entries(after)) expect(rows, table).toHaveLength(0);
    expect(await tenantFootprint(t, kept.id)).toEqual(keptBefore);
    // Its files go with it; the other tenant's stay.
    expect(await t.deps.storage.get(`tenants/${doomed.id}/recordings/req_1.wav`)).toBeUndefined();
    expect(fs.existsSync(path.join(t.dataDir, 'exports', doomed.id))).toBe(false);
    expect(await t.deps.storage.get(`tenants/${kept.id}/recordings/req_1.wav`)).toBeDefined();
    expect(fs.existsSync(path.join(t.dataDir, 'exports', kept.id, 'exp_1.csv'))).toBe(true);
  });
});
