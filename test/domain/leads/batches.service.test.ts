import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../helpers/db.js';
import { openLeadModules, type LeadModules } from './modules.js';

describe.each(dialects)('batches on $label', ({ dialect, skip }) => {
  let m: LeadModules;

  beforeAll(async () => {
    if (!skip) m = await openLeadModules(dialect);
  });
  afterAll(async () => {
    if (!skip) await m.close();
  });

  const batches = () => m.leads.batches;

  it.skipIf(skip)(
    'qualifies the good leads of a batch, reports the bad one alone, and announces completion',
    async () => {
      const tenantId = await m.tenant();
      const created = await batches().create(tenantId, 'live', 'starter', {
        leads: [
          { email: 'One@Example.com', company: 'One' },
          { company: 'no e-mail' },
          { email: 'two@example.com', company: 'Two' },
        ],
        priority: 'high',
        webhook_url: 'https://hooks.example/batches',
      });
      expect(created).toMatchObject({ total: 3, estimatedCompletionSeconds: expect.any(Number) });
      expect(await batches().status(tenantId, created.batchId)).toMatchObject({
        status: 'processing',
        pending: 2,
        failed: 1,
      });

      await batches().processChunk(tenantId, created.batchId, 0, 25);
      const status = await batches().status(tenantId, created.batchId);
      expect(status).toMatchObject({ status: 'completed', priority: 'high', processed: 2, failed: 1, pending: 0 });
      expect(status.results.map((r) => [r.position, r.email])).toEqual([
        [0, 'one@example.com'],
        [2, 'two@example.com'],
      ]);
      expect(status.results.every((r) => r.leadId?.startsWith('lead_'))).toBe(true);
      expect(status.failures).toEqual([{ position: 1, email: null, error: expect.stringMatching(/email/) }]);
      const done = m.events.filter((e) => e.tenantId === tenantId && e.event.startsWith('batch.'));
      expect(done).toEqual([expect.objectContaining({ event: 'batch.completed' })]);
      expect(m.callbacks).toEqual([
        expect.objectContaining({ tenantId, url: 'https://hooks.example/batches', event: 'batch.completed' }),
      ]);
      // A chunk run again (a retried job) finds nothing pending and announces nothing twice.
      await batches().processChunk(tenantId, created.batchId, 0, 25);
      expect(m.events.filter((e) => e.tenantId === tenantId && e.event.startsWith('batch.'))).toHaveLength(1);
    },
  );

  it.skipIf(skip)('refuses a batch larger than the plan allows as invalid, naming the limit', async () => {
    const tenantId = await m.tenant();
    const leads = Array.from({ length: 26 }, (_, i) => ({ email: `l${i}@example.com`, company: 'C' }));
    // It can never fit, so waiting (a 429) would not help: the request itself is wrong.
    await expect(batches().create(tenantId, 'live', 'free', { leads, priority: 'normal' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('at most 25'),
    });
  });

  it.skipIf(skip)('keeps another tenant out of a batch', async () => {
    const a = await m.tenant();
    const b = await m.tenant();
    const created = await batches().create(a, 'live', 'starter', {
      leads: [{ email: 'x@example.com', company: 'X' }],
      priority: 'low',
    });
    await expect(batches().status(b, created.batchId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await batches().processChunk(b, created.batchId, 0, 25);
    expect(await batches().status(a, created.batchId)).toMatchObject({ status: 'processing', pending: 1 });
  });
});
