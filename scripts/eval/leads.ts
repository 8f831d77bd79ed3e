import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  tenantEngineContextSchema,
  tierSchema,
  type Tier,
  type TenantEngineContext,
} from '../../src/engine/analysis.schema.js';
import { createLocalEngine } from '../../src/engine/local.js';

/** Every eval lead is judged as of this instant, so relative timelines never drift. */
export const EVAL_REFERENCE_TIME = new Date('2025-09-13T14:30:00Z');

export const leadSchema = z.object({
  id: z.string(),
  vertical: z.string(),
  kind: z.enum(['lead', 'transcript', 'message']),
  text: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  name: z.string().optional(),
  company: z.string().optional(),
  source: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  expected_tier: tierSchema,
  expected_intent: z.string(),
});
export type EvalLead = z.infer<typeof leadSchema>;

const tenantsSchema = z.record(z.string(), tenantEngineContextSchema);

export interface LeadOutcome {
  lead: EvalLead;
  tier: Tier;
  intent: string;
  score: number;
  reasoning: string;
}

/** Agreement on one slice of the set (one input kind). */
export interface SliceAccuracy {
  total: number;
  tierAccuracy: number;
  intentAccuracy: number;
}

/** One way the engine names an intent the labels do not, with how often. */
export interface IntentConfusion {
  expected: string;
  actual: string;
  count: number;
}

export interface LeadEvalReport {
  total: number;
  tierAccuracy: number;
  intentAccuracy: number;
  /** confusion[expected][actual] */
  confusion: Record<Tier, Record<Tier, number>>;
  /** Accuracy per input kind (form lead, call transcript, chat/SMS message). */
  byKind: Partial<Record<EvalLead['kind'], SliceAccuracy>>;
  /** Intent mistakes grouped by (expected, actual), most frequent first. */
  intentConfusions: IntentConfusion[];
  outcomes: LeadOutcome[];
  medianLatencyMs: number;
}

const EVAL_DIR = new URL('../../eval/', import.meta.url);
const TIERS = tierSchema.options;
const KINDS = leadSchema.shape.kind.options;
/** How many of the most frequent intent confusions the report lists. */
const TOP_CONFUSIONS = 8;

export async function loadEvalLeads(): Promise<EvalLead[]> {
  const raw = await readFile(new URL('leads.jsonl', EVAL_DIR), 'utf8');
  return raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = leadSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`eval/leads.jsonl line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

async function loadTenants(): Promise<Record<string, TenantEngineContext>> {
  const raw: unknown = JSON.parse(await readFile(new URL('tenants.json', EVAL_DIR), 'utf8'));
  return tenantsSchema.parse(raw);
}

/** Runs every labelled lead through the local engine and compares tier and intent with the labels. */
export async function runLeadEval(): Promise<LeadEvalReport> {
  const [leads, tenants] = await Promise.all([loadEvalLeads(), loadTenants()]);
  const engine = await createLocalEngine({ now: () => EVAL_REFERENCE_TIME });
  const confusion = Object.fromEntries(TIERS.map((e) => [e, Object.fromEntries(TIERS.map((a) => [a, 0]))])) as Record<
    Tier,
    Record<Tier, number>
  >;
  const outcomes: LeadOutcome[] = [];
  const latencies: number[] = [];

  for (const lead of leads) {
    const ctx = tenants[lead.vertical];
    if (!ctx)
      throw new Error(`Lead ${lead.id}: no tenant context for vertical "${lead.vertical}" in eval/tenants.json`);
    const result = await engine.analyze(
      {
        kind: lead.kind,
        text: lead.text,
        email: lead.email,
        phone: lead.phone,
        name: lead.name,
        company: lead.company,
        source: lead.source,
        fields: lead.fields ?? {},
      },
      ctx,
    );
    latencies.push(result.usage.latency_ms);
    confusion[lead.expected_tier][result.tier] += 1;
    outcomes.push({ lead, tier: result.tier, intent: result.intent, score: result.score, reasoning: result.reasoning });
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const byKind: LeadEvalReport['byKind'] = {};
  for (const kind of KINDS) {
    const slice = outcomes.filter((o) => o.lead.kind === kind);
    if (slice.length > 0) byKind[kind] = accuracy(slice);
  }
  return {
    ...accuracy(outcomes),
    confusion,
    byKind,
    intentConfusions: intentConfusions(outcomes),
    outcomes,
    medianLatencyMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
  };
}

function accuracy(outcomes: readonly LeadOutcome[]): SliceAccuracy {
  const total = outcomes.length;
  return {
    total,
    tierAccuracy: outcomes.filter((o) => o.tier === o.lead.expected_tier).length / total,
    intentAccuracy: outcomes.filter((o) => o.intent === o.lead.expected_intent).length / total,
  };
}

function intentConfusions(outcomes: readonly LeadOutcome[]): IntentConfusion[] {
  const counts = new Map<string, IntentConfusion>();
  for (const { lead, intent } of outcomes) {
    if (intent === lead.expected_intent) continue;
    const key = `${lead.expected_intent}→${intent}`;
    const entry = counts.get(key) ?? { expected: lead.expected_intent, actual: intent, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.actual.localeCompare(b.actual),
  );
}

function percent(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

/**
 * The report as plain text: accuracies overall and per kind, the tier confusion matrix, the most
 * frequent intent confusions, then every miss.
 */
export function formatLeadReport(report: LeadEvalReport): string {
  const lines = [
    `Leads (local provider): ${report.total}`,
    '  (the scoring model trains on these leads, so their tier figures are in-sample; the rubric corpus below is not)',
    `  tier accuracy   ${percent(report.tierAccuracy)}`,
    `  intent accuracy ${percent(report.intentAccuracy)}`,
    `  median latency  ${report.medianLatencyMs.toFixed(2)} ms`,
    '',
    '  by kind            n    tier  intent',
    ...KINDS.flatMap((kind) => {
      const slice = report.byKind[kind];
      if (!slice) return [];
      return [
        `  ${kind.padEnd(14)}${String(slice.total).padStart(5)}${percent(slice.tierAccuracy).padStart(8)}${percent(slice.intentAccuracy).padStart(8)}`,
      ];
    }),
    '',
    '  tier confusion (rows = expected, columns = engine)',
    `  ${'expected'.padEnd(10)}${TIERS.map((t) => t.padStart(6)).join('')}`,
    ...TIERS.map((e) => `  ${e.padEnd(10)}${TIERS.map((a) => String(report.confusion[e][a]).padStart(6)).join('')}`),
  ];
  const confusions = report.intentConfusions.slice(0, TOP_CONFUSIONS);
  if (confusions.length > 0) {
    lines.push('', '  top intent confusions (expected → engine)');
    for (const c of confusions) lines.push(`  ${String(c.count).padStart(3)}  ${c.expected} → ${c.actual}`);
  }
  const misses = report.outcomes.filter((o) => o.tier !== o.lead.expected_tier || o.intent !== o.lead.expected_intent);
  if (misses.length > 0) {
    const width = Math.max(...misses.map((o) => o.lead.id.length));
    lines.push('', '  misses:');
    for (const o of misses) {
      const tier = o.tier === o.lead.expected_tier ? o.tier : `${o.lead.expected_tier}→${o.tier}`;
      const intent = o.intent === o.lead.expected_intent ? o.intent : `${o.lead.expected_intent}→${o.intent}`;
      lines.push(
        `  ${o.lead.id.padEnd(width)} ${o.lead.kind.padEnd(10)} ${String(o.score).padStart(3)} ${tier.padEnd(10)} ${intent}`,
      );
    }
  }
  return lines.join('\n');
}
