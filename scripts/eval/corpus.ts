import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { tierSchema, type AnalysisInput, type Tier } from '../../src/engine/analysis.schema.js';
import { createLocalEngine } from '../../src/engine/local.js';
import { EVAL_REFERENCE_TIME, leadSchema } from './leads.js';

/**
 * The rubric-labelled corpus (eval/corpus/): tier agreement on its tuning part and its held-out
 * part, reported side by side. Only the tuning part's misses are listed: the held-out part is
 * read for its figures alone, so nobody changing the engine sees which of its leads it gets wrong.
 */

const CORPUS_DIR = new URL('../../eval/corpus/', import.meta.url);
const KINDS = ['form', 'chat', 'email', 'transcript'] as const;
const TIERS = tierSchema.options;

/** The labelled set's lead, with the corpus's own kinds of input. */
const corpusLeadSchema = leadSchema.extend({ kind: z.enum(KINDS) });
export type CorpusLead = z.infer<typeof corpusLeadSchema>;

const splitSchema = z.object({ tune: z.array(z.string()), holdout: z.array(z.string()) });
type Part = keyof z.infer<typeof splitSchema>;

export interface Corpus {
  leads: CorpusLead[];
  split: z.infer<typeof splitSchema>;
}

/** The corpus's leads and its split; only the tuning part may be read while changing the engine. */
export async function loadCorpus(): Promise<Corpus> {
  const raw = await readFile(new URL('leads.jsonl', CORPUS_DIR), 'utf8');
  const leads = raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = corpusLeadSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`eval/corpus/leads.jsonl line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
  const split = splitSchema.parse(JSON.parse(await readFile(new URL('split.json', CORPUS_DIR), 'utf8')));
  return { leads, split };
}

/** The engine's input for a corpus lead. */
export function corpusInput(lead: CorpusLead): AnalysisInput {
  const { kind, text, email, phone, name, company, source, fields } = lead;
  return { kind: ENGINE_KIND[kind], text, email, phone, name, company, source, fields: fields ?? {} };
}

/** The tenant every corpus lead is scored for: no catalogue, default weights and thresholds. */
export const CORPUS_TENANT = { tenantId: 'eval_corpus' } as const;

/** How the engine reads each kind of lead: a form or an e-mail is a lead, a chat a message, a call a transcript. */
const ENGINE_KIND: Record<CorpusLead['kind'], AnalysisInput['kind']> = {
  form: 'lead',
  email: 'lead',
  chat: 'message',
  transcript: 'transcript',
};

interface Outcome {
  lead: CorpusLead;
  tier: Tier;
  score: number;
  latencyMs: number;
}

export interface PartReport {
  part: Part;
  outcomes: Outcome[];
}

/** Which parts a run scores: `tuneOnly` leaves the held-out part unread. */
export interface EvalParts {
  tuneOnly?: boolean;
}

export async function runCorpusEval({ tuneOnly = false }: EvalParts = {}): Promise<PartReport[]> {
  const { leads, split } = await loadCorpus();
  const byId = new Map(leads.map((lead) => [lead.id, lead]));
  const engine = await createLocalEngine({ now: () => EVAL_REFERENCE_TIME });

  const parts: PartReport[] = [];
  for (const part of tuneOnly ? (['tune'] as const) : (['tune', 'holdout'] as const)) {
    const outcomes: Outcome[] = [];
    for (const id of split[part]) {
      const lead = byId.get(id);
      if (!lead) throw new Error(`eval/corpus/split.json names ${id}, which is not in leads.jsonl`);
      const result = await engine.analyze(corpusInput(lead), CORPUS_TENANT);
      outcomes.push({ lead, tier: result.tier, score: result.score, latencyMs: result.usage.latency_ms });
    }
    parts.push({ part, outcomes });
  }
  return parts;
}

function agreement(outcomes: readonly Outcome[]): string {
  if (outcomes.length === 0) return '     -';
  const share = outcomes.filter((o) => o.tier === o.lead.expected_tier).length / outcomes.length;
  return `${(share * 100).toFixed(1)}%`.padStart(6);
}

function swaps(outcomes: readonly Outcome[]): number {
  return outcomes.filter(
    (o) =>
      (o.lead.expected_tier === 'HOT' && o.tier === 'COLD') || (o.lead.expected_tier === 'COLD' && o.tier === 'HOT'),
  ).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Tier agreement per part, by kind and by vertical, the confusion matrices, HOT↔COLD swaps and the tuning part's misses. */
export function formatCorpusReport(parts: readonly PartReport[]): string {
  const tune = parts.find((p) => p.part === 'tune')!;
  const holdout = parts.find((p) => p.part === 'holdout');
  const row = (label: string, pick: (o: Outcome) => boolean) => {
    const t = tune.outcomes.filter(pick);
    const h = holdout?.outcomes.filter(pick);
    const held = h ? `  ${String(h.length).padStart(5)}${agreement(h)}` : '';
    return `  ${label.padEnd(22)}${String(t.length).padStart(5)}${agreement(t)}${held}`;
  };
  const all = parts.flatMap((p) => p.outcomes);
  const verticals = [...new Set(all.map((o) => o.lead.vertical))].sort();
  const heldHeader = holdout ? `  ${'held n'.padStart(5)}${'agree'.padStart(6)}` : '';
  const lines = [
    holdout
      ? `Rubric corpus, local engine (tuning part ${tune.outcomes.length} leads, held-out part ${holdout.outcomes.length})`
      : `Rubric corpus, local engine (tuning part ${tune.outcomes.length} leads; held-out part not run)`,
    `  median time per lead  ${median(all.map((o) => o.latencyMs)).toFixed(2)} ms`,
    '',
    `  ${'tier agreement'.padEnd(22)}${'tune n'.padStart(6)}${'agree'.padStart(6)}${heldHeader}`,
    row('all', () => true),
    ...KINDS.map((kind) => row(`kind ${kind}`, (o) => o.lead.kind === kind)),
    ...verticals.map((vertical) => row(`${vertical}`, (o) => o.lead.vertical === vertical)),
    '',
    holdout
      ? `  HOT↔COLD swaps: tune ${swaps(tune.outcomes)} of ${tune.outcomes.length}, held-out ${swaps(holdout.outcomes)} of ${holdout.outcomes.length}`
      : `  HOT↔COLD swaps: tune ${swaps(tune.outcomes)} of ${tune.outcomes.length}`,
  ];
  for (const { part, outcomes } of parts) lines.push('', ...confusion(part, outcomes));
  lines.push(...tuneMisses(tune.outcomes));
  return lines.join('\n');
}

function confusion(part: Part, outcomes: readonly Outcome[]): string[] {
  return [
    `  ${part} confusion (rows = rubric, columns = engine)`,
    `  ${''.padEnd(10)}${TIERS.map((t) => t.padStart(6)).join('')}`,
    ...TIERS.map(
      (expected) =>
        `  ${expected.padEnd(10)}${TIERS.map((actual) => String(outcomes.filter((o) => o.lead.expected_tier === expected && o.tier === actual).length).padStart(6)).join('')}`,
    ),
  ];
}

function tuneMisses(outcomes: readonly Outcome[]): string[] {
  const misses = outcomes.filter((o) => o.tier !== o.lead.expected_tier);
  if (misses.length === 0) return [];
  return [
    '',
    '  tuning part misses (the held-out part is never listed):',
    ...misses.map(
      (o) =>
        `  ${o.lead.id} ${o.lead.kind.padEnd(10)} ${String(o.score).padStart(3)} ${o.lead.expected_tier}→${o.tier}  ${o.lead.vertical}`,
    ),
  ];
}
