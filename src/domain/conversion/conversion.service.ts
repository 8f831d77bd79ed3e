import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { TierThresholds } from '../../engine/scoring/score.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Queue } from '../../queue/queue.js';
import { blendAnalysis } from './blend.js';
import type { ConversionRunsRepo, RunEnding } from './conversion.repo.js';
import type { LeadOutcome, TrainedRun, TrainingRun, TrainingStatus } from './conversion.records.js';
import type { OutcomesRepo } from './outcomes.repo.js';
import { shortfallMessage, trainConversion } from './train.js';

export interface ConversionService {
  /** Queues a training run; while one is queued or running, that run answers instead of a second. */
  trigger(tenantId: string): Promise<TrainingRun>;
  status(tenantId: string): Promise<TrainingStatus>;
  /** The tenant's current model and its held-out figures; undefined before a run succeeded. */
  performance(tenantId: string): Promise<TrainedRun | undefined>;
  /** The training job's work: reads the outcomes, fits, measures and stores the run's ending. */
  train(tenantId: string, runId: string): Promise<void>;
  /** Ends a run whose job gave up, so its status does not stay `running`. */
  fail(tenantId: string, runId: string, message: string): Promise<void>;
}

/** A lead being scored, as the blend reads it beside its fresh analysis. */
export interface BlendLead {
  email?: string | undefined;
  phone?: string | undefined;
  source: string;
  /** Form fields; `niche` and `city` there count when the lead has none stored. */
  metadata: Record<string, unknown>;
}

/** Blends a tenant's conversion model into a fresh analysis, when its model beat the rules. */
export interface ConversionBlender {
  blend(
    tenantId: string,
    lead: BlendLead,
    analysis: AnalysisResult,
    thresholds: TierThresholds,
  ): Promise<AnalysisResult>;
}

export interface ConversionPorts {
  runs: ConversionRunsRepo;
  outcomes: OutcomesRepo;
  clock: Clock;
  queue: Queue;
  /** The tenant's tier thresholds, for precision and recall at HOT. */
  thresholds(tenantId: string): Promise<TierThresholds>;
}

const ACTIVE = new Set(['queued', 'running']);

function endingOf(result: ReturnType<typeof trainConversion>): RunEnding {
  if (result.kind === 'too_few')
    return {
      status: 'insufficient_data',
      counts: result.counts,
      shortfall: result.shortfall,
      message: shortfallMessage(result.counts, result.shortfall),
    };
  return { status: 'succeeded', counts: result.counts, model: result.model, performance: result.performance };
}

async function trigger(ports: ConversionPorts, tenantId: string): Promise<TrainingRun> {
  const latest = await ports.runs.latest(tenantId);
  if (latest && ACTIVE.has(latest.status)) return latest;
  const now = ports.clock.now();
  const run: TrainingRun = {
    id: newId('mlrun', now.getTime()),
    tenantId,
    status: 'queued',
    requestedAt: now.toISOString(),
    startedAt: null,
    finishedAt: null,
    counts: null,
    shortfall: null,
    message: null,
    blending: false,
  };
  // The run and its job commit together: a queued run always has a job that will train it.
  const job = await ports.runs.insertWith(run, (trx) =>
    ports.queue.enqueueInTransaction(
      trx,
      'conversion.train',
      { tenantId, runId: run.id },
      { tenantId, dedupeKey: `conversion:${run.id}` },
    ),
  );
  await job.dispatch();
  return run;
}

async function train(ports: ConversionPorts, tenantId: string, runId: string): Promise<void> {
  const run = await ports.runs.findById(tenantId, runId);
  if (!run || !ACTIVE.has(run.status)) return;
  await ports.runs.markRunning(tenantId, runId, ports.clock.now().toISOString());
  const [leads, thresholds] = await Promise.all([ports.outcomes.listOutcomes(tenantId), ports.thresholds(tenantId)]);
  const now = ports.clock.now();
  await ports.runs.finish(tenantId, runId, endingOf(trainConversion(leads, now, thresholds.hot)), now.toISOString());
}

/** The lead as the model reads it: its stored row when known (niche, city, engagement, first contact), else the form. */
async function leadFor(ports: ConversionPorts, tenantId: string, lead: BlendLead, analysis: AnalysisResult) {
  const stored = await ports.outcomes.findByKeys(tenantId, lead);
  const field = (name: string) => {
    const v = lead.metadata[name];
    return typeof v === 'string' ? v : null;
  };
  const base: LeadOutcome = stored ?? {
    id: '',
    source: lead.source,
    niche: null,
    city: null,
    status: 'new',
    wonAt: null,
    createdAt: ports.clock.now().toISOString(),
    analysis: null,
    booked: false,
    conversations: 0,
    messages: 0,
    calls: 0,
  };
  return {
    ...base,
    source: lead.source,
    niche: base.niche ?? field('niche'),
    city: base.city ?? field('city'),
    analysis,
  };
}

export function createConversionService(ports: ConversionPorts): ConversionService & ConversionBlender {
  return {
    trigger: (tenantId) => trigger(ports, tenantId),
    async status(tenantId) {
      const [latest, active] = await Promise.all([ports.runs.latest(tenantId), ports.runs.latestTrained(tenantId)]);
      return { latest: latest ?? null, active: active ?? null };
    },
    performance: (tenantId) => ports.runs.latestTrained(tenantId),
    train: (tenantId, runId) => train(ports, tenantId, runId),
    fail: (tenantId, runId, message) =>
      ports.runs.finish(tenantId, runId, { status: 'failed', message }, ports.clock.now().toISOString()),
    async blend(tenantId, lead, analysis, thresholds) {
      const trained = await ports.runs.latestTrained(tenantId);
      if (!trained?.performance.blending) return analysis;
      const outcome = await leadFor(ports, tenantId, lead, analysis);
      return blendAnalysis(analysis, outcome, trained.model, trained.performance, thresholds);
    },
  };
}
