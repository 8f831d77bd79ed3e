/**
 * `npm run train`: fits the lead-scoring model (src/engine/scoring/model.json) on the features the
 * engine reads, from the corpus's tuning part, eval/leads.jsonl and the rubric-written leads in
 * eval/train/. The corpus's held-out part is never read here. Deterministic: the same data gives
 * the same file, which a test checks.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { z } from 'zod';
import {
  tenantEngineContextSchema,
  type AnalysisInput,
  type Tier,
  type TenantEngineContext,
} from '../src/engine/analysis.schema.js';
import { createLeadReader, type LeadReader } from '../src/engine/local.js';
import { FEATURES, featureVector, type FeatureInput } from '../src/engine/scoring/features.js';
import type { LeadModel, ModelFile } from '../src/engine/scoring/model.js';
import { readWithModel } from '../src/engine/scoring/model.js';
import { trainOrdinal, type Rank } from '../src/engine/scoring/ordinal.js';
import { tierForScore } from '../src/engine/scoring/score.js';
import { readWording, trainWording } from '../src/engine/scoring/wording.js';
import { CORPUS_TENANT, corpusInput, loadCorpus } from './eval/corpus.js';
import { EVAL_REFERENCE_TIME, leadSchema, loadEvalLeads } from './eval/leads.js';

const MODEL_FILE = new URL('../src/engine/scoring/model.json', import.meta.url);
const TRAIN_DIR = new URL('../eval/train/', import.meta.url);
const EVAL_DIR = new URL('../eval/', import.meta.url);

/**
 * The penalty was chosen by cross-writer validation (`npm run train -- --cv`): trained without one
 * source, scored on it, so it rewards what carries over to another writer's wording rather than what
 * fits one writer's. No held-out figure was looked at.
 */
export const TRAINING = { l2: 0.004, iterations: 4000, learningRate: 0.8 };
/**
 * The wording model's penalty and steps, chosen on 240 leads a new writer wrote from the rubric
 * (eval/train/fresh-k.jsonl) before they were trained on; eval/train/README.md has the figures.
 */
export const WORDING = { l2: 0.0003, iterations: 300, learningRate: 3 };
/** The penalties `--cv` compares. */
const CV_PENALTIES = [0.004, 0.01, 0.03, 0.1];
/** Decimal places kept in the model file, so it reads and diffs cleanly. */
const PRECISION = 4;

const RANKS: Readonly<Record<Tier, Rank>> = { COLD: 0, WARM: 1, HOT: 2 };

export interface Example {
  source: string;
  input: AnalysisInput;
  ctx: TenantEngineContext;
  tier: Tier;
  /** The day the lead was written for, which its "next Thursday" and "by the 18th" count from. */
  now: Date;
}

/** Leads written for training by the rubric: the eval/leads.jsonl shape, one JSON object a line. */
const trainLeadSchema = leadSchema.extend({
  kind: z.enum(['lead', 'transcript', 'message']),
  /** When the writer wrote it, if not the evaluation's reference day. */
  written: z.iso.datetime().optional(),
});

async function trainFiles(): Promise<Example[]> {
  const names = (await readdir(TRAIN_DIR).catch(() => [])).filter((name) => name.endsWith('.jsonl')).sort();
  const examples: Example[] = [];
  for (const name of names) {
    const lines = (await readFile(new URL(name, TRAIN_DIR), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const lead = trainLeadSchema.parse(JSON.parse(line));
      const { kind, text, email, phone, company, fields, written } = lead;
      examples.push({
        source: `eval/train/${name}`,
        input: { kind, text, email, phone, company, fields: fields ?? {} },
        ctx: CORPUS_TENANT,
        tier: lead.expected_tier,
        now: written ? new Date(written) : EVAL_REFERENCE_TIME,
      });
    }
  }
  return examples;
}

/** Every training example: tuning part of the corpus, eval/leads.jsonl, eval/train/. Never the held-out part. */
export async function trainingExamples(): Promise<Example[]> {
  const { leads, split } = await loadCorpus();
  const tune = new Set(split.tune);
  const tenants = z
    .record(z.string(), tenantEngineContextSchema)
    .parse(JSON.parse(await readFile(new URL('tenants.json', EVAL_DIR), 'utf8')));
  const corpus = leads
    .filter((lead) => tune.has(lead.id))
    .map((lead) => ({
      source: 'corpus tune',
      input: corpusInput(lead),
      ctx: CORPUS_TENANT,
      tier: lead.expected_tier,
      now: EVAL_REFERENCE_TIME,
    }));
  const evalSet = (await loadEvalLeads()).map((lead) => ({
    source: 'eval/leads.jsonl',
    input: { ...lead, fields: lead.fields ?? {} },
    ctx: tenants[lead.vertical] ?? CORPUS_TENANT,
    tier: lead.expected_tier,
    now: EVAL_REFERENCE_TIME,
  }));
  return [...corpus, ...evalSet, ...(await trainFiles())];
}

export interface FeatureRows {
  inputs: FeatureInput[];
  xs: number[][];
  words: (readonly string[])[];
  ys: Rank[];
  /** Who wrote each lead (its source file): wording is scored out of writer, not only out of fold. */
  writers: string[];
}

export async function featureRows(examples: readonly Example[]): Promise<FeatureRows> {
  const readers = new Map<number, LeadReader>();
  const inputs: FeatureInput[] = [];
  for (const example of examples) {
    const time = example.now.getTime();
    const read = readers.get(time) ?? (await createLeadReader({ now: () => example.now }));
    readers.set(time, read);
    const features = await read(example.input, example.ctx);
    inputs.push({ ...features, kind: features.info.kind });
  }
  return {
    inputs,
    xs: inputs.map((input) => featureVector(input).values),
    words: inputs.map((input) => input.words),
    ys: examples.map((e) => RANKS[e.tier]),
    writers: examples.map((e) => e.source),
  };
}

/**
 * Each lead's wording z from a wording model trained without its writer's leads, so the main model
 * learns how far wording carries to a writer it has never read.
 */
function outOfWriterWording(rows: FeatureRows): number[] {
  const { words, ys, writers } = rows;
  const z = new Array<number>(words.length).fill(0);
  for (const writer of new Set(writers)) {
    const inFold = (i: number) => writers[i] === writer;
    const model = trainWording(
      words.filter((_, i) => !inFold(i)),
      ys.filter((_, i) => !inFold(i)),
      WORDING,
    );
    words.forEach((tokens, i) => {
      if (inFold(i)) z[i] = readWording(model, tokens).z;
    });
  }
  return z;
}

/**
 * The signal features' ordinal model fitted with an out-of-fold wording z as one more input, so its
 * weight says how far wording carries to unseen leads; then the wording model on every lead.
 */
export function fitLeadModel(rows: FeatureRows, l2 = TRAINING.l2): LeadModel {
  const wordingZ = outOfWriterWording(rows);
  const main = trainOrdinal(
    rows.xs.map((x, i) => [...x, wordingZ[i] ?? 0]),
    rows.ys,
    { ...TRAINING, l2 },
  );
  const wording = trainWording(rows.words, rows.ys, WORDING);
  return {
    weights: main.weights.slice(0, -1),
    cuts: main.cuts,
    wording: { ...wording, weight: main.weights.at(-1) ?? 0 },
  };
}

const round = (n: number) => Math.round(n * 10 ** PRECISION) / 10 ** PRECISION;

/** The model file for the training data, exactly as `npm run train` writes it. */
export async function buildModelFile(): Promise<ModelFile> {
  const examples = await trainingExamples();
  const model = fitLeadModel(await featureRows(examples));
  const trainedOn: Record<string, number> = {};
  for (const e of examples) trainedOn[e.source] = (trainedOn[e.source] ?? 0) + 1;
  // Tokens whose weight rounds to nothing are left out of the file: they would not move a score.
  const tokens = Object.entries(model.wording.tokens)
    .map(([token, weight]) => [token, round(weight)] as const)
    .filter(([, weight]) => weight !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    features: FEATURES.map((f) => f.name),
    weights: model.weights.map(round),
    cuts: [round(model.cuts[0]), round(model.cuts[1])],
    wording: {
      weight: round(model.wording.weight),
      bias: round(model.wording.bias),
      tokens: Object.fromEntries(tokens),
    },
    trainedOn,
  };
}

/** The file's text, formatted as the repository's prettier check expects. */
export async function serialiseModel(file: ModelFile): Promise<string> {
  const options = await prettier.resolveConfig(fileURLToPath(MODEL_FILE));
  return prettier.format(JSON.stringify(file), { ...options, parser: 'json' });
}

/**
 * For each penalty and each source of training leads, the share of that source's tiers a model
 * trained on the other sources gets right: how well what is learned from one writer carries over.
 */
export async function crossWriterReport(): Promise<string> {
  const examples = await trainingExamples();
  const rows = await featureRows(examples);
  const sources = [...new Set(examples.map((e) => e.source))];
  const lines: string[] = [];
  for (const l2 of CV_PENALTIES) {
    const cells = sources.map((source) => {
      const train = examples.flatMap((e, i) => (e.source === source ? [] : [i]));
      const pick = <T>(values: readonly T[]) => train.map((i) => values[i] as T);
      const model = fitLeadModel(
        {
          inputs: pick(rows.inputs),
          xs: pick(rows.xs),
          words: pick(rows.words),
          ys: pick(rows.ys),
          writers: pick(rows.writers),
        },
        l2,
      );
      const scored = examples.flatMap((e, i) => (e.source === source ? [i] : []));
      const right = scored.filter((i) => {
        const score = readWithModel(model, rows.inputs[i] as FeatureInput).score;
        return RANKS[tierForScore(score, { hot: 80, warm: 50 })] === rows.ys[i];
      });
      return `${source} ${((100 * right.length) / scored.length).toFixed(1)}%`;
    });
    lines.push(`l2 ${l2}: ${cells.join(', ')}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--cv')) {
  process.stdout.write(`${await crossWriterReport()}\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = await buildModelFile();
  await writeFile(MODEL_FILE, await serialiseModel(file));
  const counts = Object.entries(file.trainedOn).map(([source, n]) => `${source} ${n}`);
  process.stdout.write(`model.json: ${file.features.length} features, trained on ${counts.join(', ')}\n`);
}
