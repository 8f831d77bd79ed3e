import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ConversionRunsTable, Tables } from '../../store/tables.js';
import type {
  ConversionModel,
  Performance,
  RunStatus,
  SampleCounts,
  Shortfall,
  TrainedRun,
  TrainingRun,
} from './conversion.records.js';

/** How a run ended. */
export type RunEnding =
  | { status: 'succeeded'; counts: SampleCounts; model: ConversionModel; performance: Performance }
  | { status: 'insufficient_data'; counts: SampleCounts; shortfall: Shortfall; message: string }
  | { status: 'failed'; message: string };

export interface ConversionRunsRepo {
  /** Inserts a queued run and runs `alongside` (its job) in the same transaction. */
  insertWith<T>(run: TrainingRun, alongside: (trx: Transaction<Tables>) => Promise<T>): Promise<T>;
  findById(tenantId: string, id: string): Promise<TrainingRun | undefined>;
  /** The tenant's most recently requested run. */
  latest(tenantId: string): Promise<TrainingRun | undefined>;
  /** The newest run that produced a model, with it. */
  latestTrained(tenantId: string): Promise<TrainedRun | undefined>;
  markRunning(tenantId: string, id: string, at: string): Promise<void>;
  finish(tenantId: string, id: string, ending: RunEnding, at: string): Promise<void>;
}

function toRun(r: ConversionRunsTable): TrainingRun {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    status: r.status as RunStatus,
    requestedAt: r.requested_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counts: fromJson<SampleCounts | null>(r.counts, null),
    shortfall: fromJson<Shortfall | null>(r.shortfall, null),
    message: r.message,
    blending: Boolean(r.blending),
  };
}

function endingColumns(ending: RunEnding) {
  switch (ending.status) {
    case 'succeeded':
      return {
        counts: toJson(ending.counts),
        model: toJson(ending.model),
        performance: toJson(ending.performance),
        blending: ending.performance.blending ? 1 : 0,
      };
    case 'insufficient_data':
      return { counts: toJson(ending.counts), shortfall: toJson(ending.shortfall), message: ending.message };
    case 'failed':
      return { message: ending.message };
  }
}

export function createConversionRunsRepo(db: Db): ConversionRunsRepo {
  const runs = (tenantId: string) => db.selectFrom('conversion_runs').selectAll().where('tenant_id', '=', tenantId);
  return {
    insertWith: (run, alongside) =>
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('conversion_runs')
          .values({
            id: run.id,
            tenant_id: run.tenantId,
            status: run.status,
            requested_at: run.requestedAt,
            started_at: null,
            finished_at: null,
            counts: null,
            shortfall: null,
            message: null,
            model: null,
            performance: null,
            blending: 0,
          })
          .execute();
        return alongside(trx);
      }),

    async findById(tenantId, id) {
      const row = await runs(tenantId).where('id', '=', id).executeTakeFirst();
      return row && toRun(row);
    },

    async latest(tenantId) {
      const row = await runs(tenantId)
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRun(row);
    },

    async latestTrained(tenantId) {
      const row = await runs(tenantId)
        .where('status', '=', 'succeeded')
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const model = fromJson<ConversionModel | null>(row?.model, null);
      const performance = fromJson<Performance | null>(row?.performance, null);
      return row && model && performance ? { run: toRun(row), model, performance } : undefined;
    },

    async markRunning(tenantId, id, at) {
      await db
        .updateTable('conversion_runs')
        .set({ status: 'running', started_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async finish(tenantId, id, ending, at) {
      await db
        .updateTable('conversion_runs')
        .set({ status: ending.status, finished_at: at, ...endingColumns(ending) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
  };
}
