import type { TenantAiService } from '../../../src/domain/ai/tenant-ai.js';
import { reassignAppointmentsContactIn } from '../../../src/domain/appointments/index.js';
import { createConversionModule } from '../../../src/domain/conversion/index.js';
import { reassignConversationsContactIn } from '../../../src/domain/conversations/index.js';
import { createIdentityModule, type IdentityModule } from '../../../src/domain/identity/index.js';
import {
  createLeadsModule,
  reassignLeadsContactIn,
  type BatchFinished,
  type LeadEvent,
  type LeadsModule,
} from '../../../src/domain/leads/index.js';
import type { LiveEvent } from '../../../src/domain/live/index.js';
import { reassignSessionsContactIn } from '../../../src/domain/sessions/index.js';
import type { UsageService } from '../../../src/domain/usage/usage.service.js';
import type { AnalysisResult } from '../../../src/engine/analysis.schema.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createEmbeddedQueue } from '../../../src/queue/embedded.queue.js';
import type { Dialect } from '../../../src/store/db.js';
import { analysis } from '../../engine/dialog/fixtures.js';
import { openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';

export interface Emitted {
  tenantId: string;
  event: string;
  /** The neutral record the domain announced. */
  data: LeadEvent | BatchFinished;
}

export interface LeadModules {
  test: TestDatabase;
  identity: IdentityModule;
  leads: LeadsModule;
  /** Events and batch callbacks, in the order they were sent. */
  events: Emitted[];
  callbacks: (Emitted & { url: string })[];
  /** What was published on the live bus, in order. */
  published: LiveEvent[];
  /** The analysis the engine gives next. */
  nextAnalysis: { value: AnalysisResult };
  /** A fresh tenant row (the leads and contacts tables reference tenants). */
  tenant(): Promise<string>;
  close(): Promise<void>;
}

let tenantSeq = 0;

/** Identity and leads wired through their doors as deps.ts wires them, on a fresh database; the engine is scripted. */
export async function openLeadModules(dialect: Dialect): Promise<LeadModules> {
  const test = await openTestDatabase(dialect);
  const db = test.database.db;
  const events: Emitted[] = [];
  const callbacks: (Emitted & { url: string })[] = [];
  const published: LiveEvent[] = [];
  const nextAnalysis = { value: analysis({ score: 72, tier: 'WARM' }) };
  const ai = {
    forTenant: () => Promise.resolve({ engine: { analyze: () => Promise.resolve(nextAnalysis.value) }, ctx: {} }),
  } as unknown as TenantAiService;
  const usage: UsageService = {
    add: () => undefined,
    get: () => Promise.resolve({}),
    flush: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
  const queue = createEmbeddedQueue(test.database);
  const identity = createIdentityModule({
    db,
    clock: systemClock,
    referrers: [
      reassignConversationsContactIn,
      reassignSessionsContactIn,
      reassignAppointmentsContactIn,
      reassignLeadsContactIn,
    ],
  });
  const leads = createLeadsModule({
    db,
    clock: systemClock,
    queue,
    ai,
    conversion: createConversionModule({ db, clock: systemClock, queue, ai }).blender,
    usage,
    live: { publish: (event) => Promise.resolve(void published.push(event)) },
    audit: { record: () => Promise.resolve() },
    identity: identity.contacts,
    events: {
      emit: (tenantId, data) => Promise.resolve(void events.push({ tenantId, event: data.type, data })),
      // Recorded when dispatched, which is after the caller's commit.
      emitIn: (_tx, tenantId, data) =>
        Promise.resolve(() => Promise.resolve(void events.push({ tenantId, event: data.type, data }))),
    },
    callback: {
      send: (tenantId, url, data) => Promise.resolve(void callbacks.push({ tenantId, url, event: data.type, data })),
    },
  });
  return {
    test,
    identity,
    leads,
    events,
    callbacks,
    published,
    nextAnalysis,
    async tenant() {
      tenantSeq += 1;
      const id = `t_leads_${dialect}_${tenantSeq}_${Date.now()}`;
      const now = new Date().toISOString();
      await insertTenantRow(db, id, { plan: 'starter', createdAt: now });
      return id;
    },
    async close() {
      await queue.close();
      await test.drop();
    },
  };
}
