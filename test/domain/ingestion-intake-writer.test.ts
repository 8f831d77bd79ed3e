import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeWriter, type NewRequest } from '../../src/domain/ingestion/intake-writer.js';
import { INGESTION_STEPS } from '../../src/domain/ingestion/ingestion.schema.js';
import type { IngestionPipeline } from '../../src/domain/ingestion/pipeline.js';
import { newId } from '../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

function newRequest(dedupeKey: string | null): NewRequest {
  const id = newId('req');
  const at = new Date().toISOString();
  return {
    row: {
      id,
      source_type: 'callrail',
      external_id: dedupeKey,
      dedupe_key: dedupeKey,
      status: 'pending',
      original_payload: '{}',
      call_data: '{}',
      enriched_data: '{}',
      ai_analysis: null,
      lead_id: null,
      lead_score: null,
      project_type: null,
      error_message: null,
      retry_scheduled: 0,
      retry_at: null,
      generation: 0,
      cost_usd: 0,
      ack_ms: 1,
      processing_time_ms: null,
      created_at: at,
      updated_at: at,
      processed_at: null,
    },
    steps: INGESTION_STEPS.map((step, position) => ({
      id: newId('step'),
      request_id: id,
      step,
      position,
      status: 'pending',
      started_at: null,
      duration_ms: null,
      attempts: 0,
      reason: null,
      error: null,
      cost_usd: 0,
      output: null,
      updated_at: at,
    })),
  };
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`intake writer (group commit) on ${label}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ dialect });
    });
    afterAll(async () => {
      await t.close();
    });

    /** A pipeline whose first-step queueing records the ids and fails for `failFor`. */
    const pipeline = (queued: string[], failFor?: string) =>
      ({
        queueFirstStep: (_trx, _tenantId, requestId) => {
          if (requestId === failFor) return Promise.reject(new Error('refused'));
          queued.push(requestId);
          return Promise.resolve({ dispatch: () => Promise.resolve() });
        },
      }) as Pick<IngestionPipeline, 'queueFirstStep'> as IngestionPipeline;

    const storedIds = async (tenantId: string) =>
      (await t.deps.database.db.selectFrom('ingestion_requests').select('id').where('tenant_id', '=', tenantId).execute()).map((r) => r.id).sort();

    it('writes requests arriving together, of several tenants, with their steps; a repeated dedupe key is stored once', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const queued: string[] = [];
      const writer = createIntakeWriter({ db: t.deps.database.db, pipeline: pipeline(queued) });
      const first = newRequest('callrail:CALW1');
      const repeat = newRequest('callrail:CALW1');
      const others = [newRequest(null), newRequest('callrail:CALW2')];
      const ofB = newRequest('callrail:CALW1');
      const results = await Promise.all([writer.write(a.id, first), writer.write(a.id, repeat), ...others.map((r) => writer.write(a.id, r)), writer.write(b.id, ofB)]);
      expect(results).toEqual([true, false, true, true, true]);
      expect(await storedIds(a.id)).toEqual([first.row.id, ...others.map((r) => r.row.id)].sort());
      expect(await storedIds(b.id)).toEqual([ofB.row.id]);
      expect(queued.sort()).toEqual([first.row.id, ...others.map((r) => r.row.id), ofB.row.id].sort());
      const steps = await t.deps.database.db.selectFrom('ingestion_steps').select('request_id').where('request_id', '=', repeat.row.id).execute();
      expect(steps).toHaveLength(0);
    });

    it('fails only the request whose write fails; the others of its batch are stored', async () => {
      const tenant = await t.createTenant();
      const bad = newRequest(null);
      const good = [newRequest(null), newRequest(null)];
      const writer = createIntakeWriter({ db: t.deps.database.db, pipeline: pipeline([], bad.row.id) });
      const results = await Promise.allSettled([writer.write(tenant.id, good[0]!), writer.write(tenant.id, bad), writer.write(tenant.id, good[1]!)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await storedIds(tenant.id)).toEqual(good.map((r) => r.row.id).sort());
    });
  });
}
