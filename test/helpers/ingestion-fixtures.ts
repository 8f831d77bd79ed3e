import { newId } from '../../src/lib/ids.js';
import type { Db } from '../../src/store/db.js';
import type {
  CrmSyncsTable,
  ExportsTable,
  IngestionRequestsTable,
  IngestionStepsTable,
} from '../../src/store/tables.js';

/**
 * Pipeline requests written straight into the tables, so the management, export and analytics
 * suites do not depend on the pipeline that normally writes them. Defaults are spec A's
 * "Get Request Details" example: a completed CallRail call synced to HubSpot.
 */

export const specCallData = {
  call_id: 'CAL123456789',
  caller_phone: '+15551234567',
  duration: 180,
  recording_url: 'gs://bucket/audio/CAL123456789.wav',
};

export const specAiAnalysis = {
  transcript: "Hi, I'm interested in remodeling my kitchen...",
  intent: 'kitchen_remodel',
  lead_score: 85,
  confidence: 0.92,
  project_details: { type: 'kitchen', budget_indicator: 'medium', timeline: '1-3_months', urgency: 'high' },
};

export const specOriginalPayload = {
  call_id: 'CAL123456789',
  caller_id: '+15551234567',
  caller_name: 'John Smith',
  duration: '180',
  recording_url: 'https://callrail.com/recordings/CAL123456789.wav',
};

export const specEnrichedData = {
  callrail_details: {
    call_id: 'CAL123456789',
    caller_name: 'John Smith',
    caller_location: 'Austin, TX',
    tracking_number: '+15559876543',
    campaign: 'Google Ads - Kitchen Remodel',
  },
  audio_analysis: {
    transcript:
      "Hi, I'm interested in remodeling my kitchen. Call me back at (512) 555-0199 or john.smith@example.com.",
    speaker_segments: [
      { speaker: 'caller', text: "Hi, I'm interested in remodeling my kitchen...", start_time: 0, end_time: 15.2 },
      { speaker: 'agent', text: "Great! I'd be happy to help you with that...", start_time: 15.3, end_time: 25.8 },
    ],
    sentiment: 'positive',
    confidence: 0.94,
  },
  ai_analysis: {
    intent: 'kitchen_remodel',
    lead_score: 85,
    reasoning: 'High intent indicated by specific timeline (3 months) and defined budget ($30k)',
    extracted_entities: {
      project_type: 'kitchen_remodel',
      timeline: '1-3_months',
      contact_email: 'john.smith@example.com',
    },
  },
};

export const SPEC_STEPS = [
  'webhook_received',
  'callrail_api_fetch',
  'audio_download',
  'speech_to_text',
  'ai_analysis',
  'crm_integration',
] as const;

export interface StepFixture {
  step: string;
  status?: string;
  started_at?: string | null;
  duration_ms?: number | null;
  reason?: string | null;
  error?: string | null;
  cost_usd?: number;
}

export interface CrmFixture {
  crm_type?: string;
  crm_record_id?: string | null;
  status?: string;
  sync_time_ms?: number | null;
  created_at?: string;
}

export type RequestFixture = Partial<
  Omit<IngestionRequestsTable, 'tenant_id' | 'call_data' | 'enriched_data' | 'ai_analysis' | 'original_payload'>
> & {
  call_data?: unknown;
  enriched_data?: unknown;
  ai_analysis?: unknown;
  original_payload?: unknown;
  /** Steps in position order; spec A's six completed ones when absent. */
  steps?: StepFixture[];
  crm?: CrmFixture[];
};

const plusMs = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

/** Inserts one request with its steps and CRM syncs; returns its id. */
export async function insertRequest(db: Db, tenantId: string, f: RequestFixture = {}): Promise<string> {
  const { steps, crm, call_data, enriched_data, ai_analysis, original_payload, ...columns } = f;
  const createdAt = f.created_at ?? new Date().toISOString();
  const status = f.status ?? 'completed';
  const row: IngestionRequestsTable = {
    id: newId('req'),
    tenant_id: tenantId,
    source_type: 'callrail',
    external_id: 'CAL123456789',
    dedupe_key: null,
    status,
    original_payload: JSON.stringify(original_payload ?? specOriginalPayload),
    call_data: JSON.stringify(call_data ?? specCallData),
    enriched_data: JSON.stringify(enriched_data ?? specEnrichedData),
    ai_analysis: ai_analysis === null ? null : JSON.stringify(ai_analysis ?? specAiAnalysis),
    lead_id: null,
    lead_score: 85,
    project_type: 'kitchen_remodel',
    error_message: null,
    retry_scheduled: 0,
    retry_at: null,
    generation: 0,
    cost_usd: 0,
    ack_ms: 40,
    processing_time_ms: status === 'completed' ? 225_000 : null,
    updated_at: createdAt,
    processed_at: status === 'completed' ? plusMs(createdAt, 225_000) : null,
    // Its steps are the fixture's; the relay has nothing to queue.
    queued_at: createdAt,
    ...columns,
    created_at: createdAt,
  };
  await db.insertInto('ingestion_requests').values(row).execute();
  const stepRows: IngestionStepsTable[] = (steps ?? SPEC_STEPS.map((step): StepFixture => ({ step }))).map(
    (s, position) => ({
      id: newId('step'),
      tenant_id: tenantId,
      request_id: row.id,
      step: s.step,
      position,
      status: s.status ?? 'completed',
      started_at: s.started_at === undefined ? plusMs(createdAt, position * 1000) : s.started_at,
      duration_ms: s.duration_ms === undefined ? 500 : s.duration_ms,
      attempts: 1,
      reason: s.reason ?? null,
      error: s.error ?? null,
      cost_usd: s.cost_usd ?? 0,
      output: null,
      updated_at: createdAt,
    }),
  );
  if (stepRows.length > 0) await db.insertInto('ingestion_steps').values(stepRows).execute();
  const syncs: CrmSyncsTable[] = (crm ?? [{}]).map((c) => ({
    id: newId('crm'),
    tenant_id: tenantId,
    lead_id: null,
    request_id: row.id,
    crm_type: c.crm_type ?? 'hubspot',
    crm_record_id: c.crm_record_id === undefined ? '12345678' : c.crm_record_id,
    status: c.status ?? 'success',
    sync_time_ms: c.sync_time_ms === undefined ? 850 : c.sync_time_ms,
    error: null,
    created_at: c.created_at ?? plusMs(createdAt, 5000),
  }));
  if (syncs.length > 0) await db.insertInto('crm_syncs').values(syncs).execute();
  return row.id;
}

/** An export row as the export route leaves it before its job runs. */
export async function insertExport(
  db: Db,
  tenantId: string,
  f: Partial<Omit<ExportsTable, 'tenant_id'>> = {},
): Promise<string> {
  const now = new Date();
  const row: ExportsTable = {
    id: newId('exp'),
    tenant_id: tenantId,
    format: 'json',
    status: 'processing',
    params: JSON.stringify({ format: f.format ?? 'json', include_pii: false, include_audio: false }),
    storage_key: null,
    content_type: null,
    record_count: null,
    file_size_bytes: null,
    error: null,
    created_at: now.toISOString(),
    completed_at: null,
    expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
    ...f,
  };
  await db.insertInto('exports').values(row).execute();
  return row.id;
}
