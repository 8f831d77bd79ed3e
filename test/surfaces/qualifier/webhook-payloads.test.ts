import { describe, expect, it } from 'vitest';
import { qualifierWebhook } from '../../../src/surfaces/qualifier/views.js';

const lead = {
  id: 'lead_1',
  email: 'ann@acme.com',
  company: 'Acme',
  name: 'Ann',
  score: 87,
  tier: 'HOT',
  recommendedAction: 'route_to_ae',
} as const;

/** The serialised `data`, so key order is checked as the receiver's bytes see it. */
const wire = (event: Parameters<typeof qualifierWebhook>[0]) => {
  const shaped = qualifierWebhook(event);
  return `${shaped.event} ${JSON.stringify(shaped.data)}`;
};

describe('qualifierWebhook', () => {
  it('shapes a new lead as spec E’s lead.qualified data', () => {
    expect(wire({ type: 'lead.qualified', lead })).toBe(
      'lead.qualified {"id":"lead_1","email":"ann@acme.com","company":"Acme","name":"Ann","score":87,"tier":"HOT","recommended_action":"route_to_ae"}',
    );
  });

  it('adds the previous score and tier to a re-scored lead', () => {
    expect(wire({ type: 'lead.scored', lead, previousScore: 40, previousTier: 'COLD' })).toBe(
      'lead.scored {"id":"lead_1","email":"ann@acme.com","company":"Acme","name":"Ann","score":87,"tier":"HOT","recommended_action":"route_to_ae","previous_score":40,"previous_tier":"COLD"}',
    );
  });

  it('passes enrichment through under the lead’s id and e-mail', () => {
    const enrichment = {
      domain: 'acme.com',
      free_mail: false,
      company_name: 'Acme',
      company_size: '50-200',
      industry: 'Technology',
      estimated_revenue: null,
      linkedin_url: null,
      location: 'Paris',
      country: 'FR',
      source: 'local',
    };
    expect(wire({ type: 'lead.enriched', leadId: 'lead_1', email: null, enrichment })).toBe(
      'lead.enriched {"id":"lead_1","email":null,"enrichment":{"domain":"acme.com","free_mail":false,"company_name":"Acme","company_size":"50-200","industry":"Technology","estimated_revenue":null,"linkedin_url":null,"location":"Paris","country":"FR","source":"local"}}',
    );
  });

  it('names the CRM record a routed lead went to', () => {
    const routed = {
      type: 'lead.routed',
      leadId: 'lead_1',
      email: 'ann@acme.com',
      crm: 'hubspot',
      crmRecordId: 'deal_9',
      ownerId: null,
      pipelineId: 'default',
    } as const;
    expect(wire(routed)).toBe(
      'lead.routed {"id":"lead_1","email":"ann@acme.com","crm":"hubspot","crm_record_id":"deal_9","owner_id":null,"pipeline_id":"default"}',
    );
  });

  it('reports a finished batch with its qualified leads and no item positions', () => {
    const finished = {
      type: 'batch.failed',
      batchId: 'batch_1',
      status: 'failed',
      total: 2,
      processed: 1,
      failed: 1,
      results: [{ position: 0, email: 'a@b.co', leadId: 'lead_2', score: 50, tier: 'WARM' }],
      processingTimeMs: 1200,
      completedAt: '2026-01-01T00:00:00.000Z',
    } as const;
    expect(wire({ ...finished, results: [...finished.results] })).toBe(
      'batch.failed {"batch_id":"batch_1","status":"failed","total_leads":2,"processed":1,"failed":1,"results":[{"email":"a@b.co","lead_id":"lead_2","score":50,"tier":"WARM"}],"processing_time_ms":1200,"completed_at":"2026-01-01T00:00:00.000Z"}',
    );
  });
});
