import type { Db } from '../../store/db.js';
import type { IngestionRequestsTable } from '../../store/tables.js';
import { crmSyncCounts } from '../calls/index.js';

/**
 * The analytics read model: it reads the tables other concepts write (ingestion requests and their
 * steps and CRM syncs, qualified leads) and never writes. Times are ISO text in both dialects, so
 * ranges compare strings. Every figure is of live rows: what a test key wrote is never counted.
 */

const LIVE = 1;

/** One ingestion request as the figures need it. */
export interface RequestSample {
  createdAt: string;
  status: string;
  leadScore: number | null;
  projectType: string | null;
  processingMs: number | null;
  /** How long the intake took to acknowledge the request. */
  ackMs: number | null;
}

/** Qualified leads of one time bucket and tier, summed. */
export interface LeadBucketSample {
  /** The first `prefixLength` characters of the qualification time. */
  bucket: string;
  tier: string | null;
  leads: number;
  scoreSum: number;
  processingMsSum: number;
  won: number;
}

export type AnalyticsReadModel = ReturnType<typeof createAnalyticsReadModel>;

const num = (v: number | string | null) => (v === null ? null : Number(v));

function toRequestSample(
  r: Pick<
    IngestionRequestsTable,
    'created_at' | 'status' | 'lead_score' | 'project_type' | 'processing_time_ms' | 'ack_ms'
  >,
): RequestSample {
  return {
    createdAt: r.created_at,
    status: r.status,
    leadScore: num(r.lead_score),
    projectType: r.project_type,
    processingMs: num(r.processing_time_ms),
    ackMs: num(r.ack_ms),
  };
}

export function createAnalyticsReadModel(db: Db) {
  return {
    async requestsSince(tenantId: string, from: string): Promise<RequestSample[]> {
      const rows = await db
        .selectFrom('ingestion_requests')
        .select(['created_at', 'status', 'lead_score', 'project_type', 'processing_time_ms', 'ack_ms'])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', from)
        .execute();
      return rows.map(toRequestSample);
    },

    /** CRM syncs the pipeline made (those tied to a request) since `from`. */
    requestCrmSyncsSince: (tenantId: string, from: string) => crmSyncCounts(db, tenantId, from),

    /** Cost per step name over the steps of requests created since `from`, by step name. */
    async stepCostsSince(tenantId: string, from: string): Promise<{ step: string; cost: number }[]> {
      const rows = await db
        .selectFrom('ingestion_steps as s')
        .innerJoin('ingestion_requests as r', (j) =>
          j.onRef('r.id', '=', 's.request_id').onRef('r.tenant_id', '=', 's.tenant_id'),
        )
        .select((eb) => ['s.step', eb.fn.sum<number>('s.cost_usd').as('cost')])
        .where('s.tenant_id', '=', tenantId)
        .where('r.livemode', '=', LIVE)
        .where('r.created_at', '>=', from)
        .groupBy('s.step')
        .orderBy('s.step')
        .execute();
      return rows.map((r) => ({ step: r.step, cost: Number(r.cost ?? 0) }));
    },

    /**
     * Leads qualified since `from` (all when null), counted per time bucket and tier; the bucket
     * is a prefix of the ISO time: 10 characters for a day, 13 for an hour.
     */
    async qualifiedLeadsByBucket(
      tenantId: string,
      from: string | null,
      prefixLength: 10 | 13,
    ): Promise<LeadBucketSample[]> {
      let q = db
        .selectFrom('leads')
        .select((eb) => [
          eb.fn<string>('substr', ['qualified_at', eb.val(1), eb.val(prefixLength)]).as('bucket'),
          'tier',
          eb.fn.countAll<number>().as('leads'),
          eb.fn.coalesce(eb.fn.sum<number>('score'), eb.val(0)).as('score_sum'),
          eb.fn.coalesce(eb.fn.sum<number>('processing_time_ms'), eb.val(0)).as('time_sum'),
          eb.fn.count<number>('won_at').as('won'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('qualified_at', 'is not', null);
      if (from) q = q.where('qualified_at', '>=', from);
      const rows = await q.groupBy(['bucket', 'tier']).orderBy('bucket').execute();
      return rows.map((r) => ({
        bucket: r.bucket,
        tier: r.tier,
        leads: Number(r.leads),
        scoreSum: Number(r.score_sum),
        processingMsSum: Number(r.time_sum),
        won: Number(r.won),
      }));
    },
  };
}
