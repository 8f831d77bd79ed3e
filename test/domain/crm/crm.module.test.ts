import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createCrmModule, type CrmService, type LeadRouted } from '../../../src/domain/crm/index.js';
import type { EventSink } from '../../../src/domain/events.js';
import { METRICS, monthOf } from '../../../src/domain/usage/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot.fake.js';
import { dialects } from '../../helpers/db.js';
import { localFetch } from '../../helpers/http.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

type Lead = Parameters<CrmService['syncLead']>[1];

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: null, mode: 'live' };
const TOKEN = 'pat-na1-crm-test';

describe.each(dialects)('crm module on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let hubspot: HubSpotFake;
  let crm: CrmService;
  const emitted: { tenantId: string; event: LeadRouted }[] = [];
  const events: EventSink<LeadRouted> = {
    emit(tenantId, event) {
      emitted.push({ tenantId, event });
      return Promise.resolve();
    },
    emitIn(_tx, tenantId, event) {
      return Promise.resolve(() => Promise.resolve(void emitted.push({ tenantId, event })));
    },
  };
  let n = 0;

  const newTenant = async (crmConfig: Record<string, unknown>) => {
    n += 1;
    const id = `crm${n}-${dialect}`;
    await s.tenants.create(admin, { name: `C${n}`, tenant_id: id, configuration: { crm_config: crmConfig } });
    return id;
  };

  /** A stored lead of the tenant: sync attempts reference it. */
  const newLead = async (tenantId: string): Promise<Lead> => {
    const now = new Date().toISOString();
    const lead: Lead = {
      id: `lead_${tenantId}_${n}`,
      email: `kim${n}@lakeside.dev`,
      name: 'Kim Lake',
      company: 'Lakeside',
      phone: null,
      contactId: null,
      source: 'test',
      status: 'qualified',
      score: 82,
      tier: 'HOT',
      intent: null,
      recommendedAction: null,
      analysis: null,
      processingTimeMs: null,
      qualifiedAt: now,
      wonAt: null,
      mode: 'live',
      city: null,
      niche: null,
      category: null,
      createdAt: now,
      updatedAt: now,
    };
    await s.test.database.db
      .insertInto('leads')
      .values({
        id: lead.id,
        tenant_id: tenantId,
        email: lead.email,
        name: lead.name,
        company: lead.company,
        phone: null,
        message: null,
        source: lead.source,
        metadata: '{}',
        status: lead.status,
        score: lead.score,
        tier: lead.tier,
        intent: null,
        recommended_action: null,
        analysis: null,
        enrichment: null,
        processing_time_ms: null,
        qualified_at: now,
        won_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return lead;
  };

  const syncsOf = (tenantId: string) =>
    s.test.database.db.selectFrom('crm_syncs').selectAll().where('tenant_id', '=', tenantId).execute();

  beforeAll(async () => {
    if (skip) return;
    [s, hubspot] = await Promise.all([openTenantServices(dialect), startHubSpotFake({ accessToken: TOKEN })]);
    crm = createCrmModule({
      db: s.test.database.db,
      clock: systemClock,
      tenants: s.tenants,
      events,
      usage: s.usage,
      fetch: localFetch,
    }).crm;
  });
  afterAll(async () => {
    if (skip) return;
    await hubspot.close();
    await s.close();
  });

  it.skipIf(skip)(
    'refuses a sync for a tenant whose CRM is `none`, naming what to configure, and records nothing',
    async () => {
      const tenantId = await newTenant({ provider: 'none' });
      const lead = await newLead(tenantId);
      await expect(crm.syncLead(tenantId, lead, { crm: 'hubspot' })).rejects.toMatchObject({
        code: 'VALIDATION',
        fields: [expect.objectContaining({ field: 'crm', type: 'not_configured' })],
      });
      expect(await syncsOf(tenantId)).toEqual([]);
    },
  );

  it.skipIf(skip)('pushes a lead to HubSpot, records the attempt, counts it and announces the routing', async () => {
    const tenantId = await newTenant({
      provider: 'hubspot',
      hubspot_access_token: TOKEN,
      hubspot_base_url: hubspot.url,
    });
    const lead = await newLead(tenantId);
    const record = await crm.syncLead(tenantId, lead, { crm: 'hubspot', requestId: 'req_crm' });
    expect(record).toMatchObject({ crm: 'hubspot', status: 'success', error: null, recordId: expect.any(String) });
    expect(hubspot.deals.has(record.recordId!)).toBe(true);
    expect(await syncsOf(tenantId)).toEqual([
      expect.objectContaining({ id: record.id, lead_id: lead.id, request_id: 'req_crm', status: 'success' }),
    ]);
    expect((await s.usage.get(tenantId, monthOf(new Date())))[METRICS.crmSyncs]).toBe(1);
    expect(emitted).toContainEqual(
      expect.objectContaining({ tenantId, event: expect.objectContaining({ type: 'lead.routed', leadId: lead.id }) }),
    );
  });

  it.skipIf(skip)('records a refused sync as failed and throws UPSTREAM_CRM with the vendor’s message', async () => {
    const tenantId = await newTenant({
      provider: 'hubspot',
      hubspot_access_token: 'pat-wrong',
      hubspot_base_url: hubspot.url,
    });
    const lead = await newLead(tenantId);
    await expect(crm.syncLead(tenantId, lead, { crm: 'hubspot' })).rejects.toMatchObject({ code: 'UPSTREAM_CRM' });
    expect(await syncsOf(tenantId)).toEqual([expect.objectContaining({ lead_id: lead.id, status: 'failed' })]);
  });

  it.skipIf(skip)('uses only the calling tenant’s credentials and records only under it', async () => {
    const configured = await newTenant({
      provider: 'hubspot',
      hubspot_access_token: TOKEN,
      hubspot_base_url: hubspot.url,
    });
    const other = await newTenant({});
    const lead = await newLead(other);
    await expect(crm.syncLead(other, lead, { crm: 'hubspot' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await syncsOf(other)).toEqual([]);
    expect(await syncsOf(configured)).toEqual([]);
  });
});
