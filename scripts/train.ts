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
import { createLeadReader } from '../src/engine/local.js';
import { FEATURES, featureVector, type FeatureInput } from '../src/engine/scoring/features.js';
import type { ModelFile } from '../src/engine/scoring/model.js';
import { loadModel, readWithModel } from '../src/engine/scoring/model.js';
import { trainOrdinal, type Rank } from '../src/engine/scoring/ordinal.js';
import { tierForScore } from '../src/engine/scoring/score.js';
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
}

/** Leads written for training by the rubric: the eval/leads.jsonl shape, one JSON object a line. */
const trainLeadSchema = leadSchema.extend({ kind: z.enum(['lead', 'transcript', 'message']) });

async function trainFiles(): Promise<Example[]> {
  const names = (await readdir(TRAIN_DIR).catch(() => [])).filter((name) => name.endsWith('.jsonl')).sort();
  const examples: Example[] = [];
  for (const name of names) {
    const lines = (await readFile(new URL(name, TRAIN_DIR), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const lead = trainLeadSchema.parse(JSON.parse(line));
      const { kind, text, email, phone, company, fields } = lead;
      examples.push({
        source: `eval/train/${name}`,
        input: { kind, text, email, phone, company, fields: fields ?? {} },
        ctx: CORPUS_TENANT,
        tier: lead.expected_tier,
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
    .map((lead) => ({ source: 'corpus tune', input: corpusInput(lead), ctx: CORPUS_TENANT, tier: lead.expected_tier }));
  const evalSet = (await loadEvalLeads()).map((lead) => ({
    source: 'eval/leads.jsonl',
    input: { ...lead, fields: lead.fields ?? {} },
    ctx: tenants[lead.vertical] ?? CORPUS_TENANT,
    tier: lead.expected_tier,
  }));
  return [...corpus, ...evalSet, ...(await trainFiles())];
}

export interface FeatureRows {
  inputs: FeatureInput[];
  xs: number[][];
  ys: Rank[];
}

export async function featureRows(examples: readonly Example[]): Promise<FeatureRows> {
  const read = await createLeadReader({ now: () => EVAL_REFERENCE_TIME });
  const inputs: FeatureInput[] = [];
  for (const example of examples) {
    const features = await read(example.input, example.ctx);
    inputs.push({ ...features, kind: features.info.kind });
  }
  return { inputs, xs: inputs.map((input) => featureVector(input).values), ys: examples.map((e) => RANKS[e.tier]) };
}

const round = (n: number) => Math.round(n * 10 ** PRECISION) / 10 ** PRECISION;

/** The model file for the training data, exactly as `npm run train` writes it. */
export async function buildModelFile(): Promise<ModelFile> {
  const examples = await trainingExamples();
  const { xs, ys } = await featureRows(examples);
  const model = trainOrdinal(xs, ys, TRAINING);
  const trainedOn: Record<string, number> = {};
  for (const e of examples) trainedOn[e.source] = (trainedOn[e.source] ?? 0) + 1;
  return {
    features: FEATURES.map((f) => f.name),
    weights: model.weights.map(round),
    cuts: [round(model.cuts[0]), round(model.cuts[1])],
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
  const { inputs, xs, ys } = await featureRows(examples);
  const sources = [...new Set(examples.map((e) => e.source))];
  const lines: string[] = [];
  for (const l2 of CV_PENALTIES) {
    const cells = sources.map((source) => {
      const train = examples.flatMap((e, i) => (e.source === source ? [] : [i]));
      const fitted = trainOrdinal(
        train.map((i) => xs[i] ?? []),
        train.map((i) => ys[i] ?? 0),
        { ...TRAINING, l2 },
      );
      const model = loadModel({ features: FEATURES.map((f) => f.name), ...fitted, trainedOn: {} });
      const scored = examples.flatMap((e, i) => (e.source === source ? [i] : []));
      const right = scored.filter((i) => {
        const score = readWithModel(model, inputs[i] as FeatureInput).score;
        return RANKS[tierForScore(score, { hot: 80, warm: 50 })] === ys[i];
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
