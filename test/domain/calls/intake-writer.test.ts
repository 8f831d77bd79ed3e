import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsStore } from '../../../src/domain/calls/calls.repo.js';
import { createIntakeWriter } from '../../../src/domain/calls/intake-writer.js';
import type { NewCallRequest } from '../../../src/domain/calls/records.js';
import { newId } from '../../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

function newRequest(dedupeKey: string | null): NewCallRequest {
  return {
    id: newId('req'),
    source: 'callrail',
    externalId: dedupeKey,
    dedupeKey,
    originalPayload: '{}',
    callData: {},
    ackMs: 1,
    createdAt: new Date().toISOString(),
    mode: 'live',
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

    /** Counts the commits that stored something, which is when the writer wakes the relay. */
    const counter = () => {
      const count = { stored: 0 };
      return { count, onStored: () => void count.stored++ };
    };

    const storedIds = async (tenantId: string) =>
      (
        await t.deps.database.db
          .selectFrom('ingestion_requests')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .execute()
      )
        .map((r) => r.id)
        .sort();

    it('writes requests arriving together, of several tenants, without jobs; a repeated dedupe key is stored once', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const { count, onStored } = counter();
      const writer = createIntakeWriter({ store: createCallsStore(t.deps.database.db), onStored });
      const first = newRequest('callrail:CALW1');
      const repeat = newRequest('callrail:CALW1');
      const others = [newRequest(null), newRequest('callrail:CALW2')];
      const ofB = newRequest('callrail:CALW1');
      const results = await Promise.all([
        writer.write(a.id, first),
        writer.write(a.id, repeat),
        ...others.map((r) => writer.write(a.id, r)),
        writer.write(b.id, ofB),
      ]);
      expect(results).toEqual([true, false, true, true, true]);
      expect(await storedIds(a.id)).toEqual([first.id, ...others.map((r) => r.id)].sort());
      expect(await storedIds(b.id)).toEqual([ofB.id]);
      // One transaction for the lot, so one wake.
      expect(count.stored).toBe(1);
      const waiting = await t.deps.database.db
        .selectFrom('ingestion_requests')
        .select('id')
        .where('queued_at', 'is', null)
        .where('tenant_id', 'in', [a.id, b.id])
        .execute();
      expect(waiting).toHaveLength(4);
      expect(
        await t.deps.database.db.selectFrom('jobs').select('id').where('tenant_id', 'in', [a.id, b.id]).execute(),
      ).toEqual([]);
    });

    it('fails only the request whose write fails; the others of its batch are stored', async () => {
      const tenant = await t.createTenant();
      const bad = newRequest(null);
      const good = [newRequest(null), newRequest(null)];
      const writer = createIntakeWriter({ store: createCallsStore(t.deps.database.db), onStored: counter().onStored });
      // A tenant deleted while its webhook was in flight: the insert breaks the foreign key and rolls the batch back.
      const results = await Promise.allSettled([
        writer.write(tenant.id, good[0]!),
        writer.write('tenant_gone', bad),
        writer.write(tenant.id, good[1]!),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await storedIds(tenant.id)).toEqual(good.map((r) => r.id).sort());
    });
  });
}
