import type { CountryCode } from 'libphonenumber-js';
import type { z } from 'zod';
import { createLocalEnrichment } from '../providers/enrichment/local.js';
import type { EnrichmentProvider } from '../providers/enrichment/enrichment.js';
import {
  analysisInputSchema,
  tenantEngineContextSchema,
  type AnalysisInput,
  type AnalysisResult,
  type ParsedAnalysisInput,
  type TenantEngineContext,
} from './analysis.schema.js';
import { tenantService } from './entities/catalogue.js';
import { extractEntities, type Extraction } from './entities/extract.js';
import { getIntentClassifier } from './nlu/classifier.js';
import { SUPPORT_EVIDENCE, intentEvidence } from './nlu/evidence.js';
import { intentInfo, type Vertical } from './nlu/intents.js';
import { predictIntent } from './nlu/predict.js';
import { segmentText } from './nlu/segment.js';
import type { LeadFeatures } from './scoring/lead-features.js';
import { loadModel, readWithModel } from './scoring/model.js';
import { nextActions, writeReasoning, writeSummary } from './scoring/narrative.js';
import { scoreBreakdown } from './scoring/score.js';
import { wordingTokens } from './scoring/wording.js';
import { fieldWords, readSignals } from './signals/read.js';
import { analyzeSentiment } from './sentiment/sentiment.js';
import { DEFAULT_ENGINE_TEXT_LIMIT, clipText } from './text.js';

export const LOCAL_PROVIDER = 'local';
export const LOCAL_MODEL = 'frontdesk-local-1';

export interface LocalEngineOptions {
  /** Company facts; the offline local provider unless a vendor adapter is configured. */
  enrichment?: EnrichmentProvider;
  /** "Now" for relative timelines ("next month"); injectable so tests are deterministic. */
  now?: () => Date;
  /** Region for phone numbers written without a country code. */
  defaultRegion?: CountryCode;
  /** Characters of text read per analysis (FRONTDESK_ENGINE_TEXT_LIMIT); the rest of a longer text is skipped. */
  textLimit?: number;
}

export interface LocalEngine {
  /**
   * Intent, entities, sentiment, enrichment and a scored tier for one lead, transcript or message.
   * `enrichment` replaces the engine's own for this call (a tenant's vendor adapter).
   */
  analyze(
    input: AnalysisInput,
    ctx: TenantEngineContext,
    overrides?: { enrichment?: EnrichmentProvider },
  ): Promise<AnalysisResult>;
}

/** What the engine reads in a lead before scoring it: the inputs of the scoring model (the trainer's view). */
export type LeadReader = (input: AnalysisInput, ctx: TenantEngineContext) => Promise<LeadFeatures>;

interface EngineDeps {
  region: CountryCode;
  enrichment: EnrichmentProvider;
  now: () => Date;
  textLimit: number;
}

/** Form fields whose words say what the lead wants, read alongside the text when classifying. */
const INTENT_HINT_FIELDS = [
  'project_type',
  'service',
  'service_type',
  'form',
  'form_name',
  'inquiry_type',
  'interest',
  'subject',
];
/** Evidence from a form's project type outweighs anything the classifier reads. */
const HINT_BOOST = 0.6;
/** Catalogue keywords in the text nudge the classifier, more for more (and longer) keywords. */
const KEYWORD_BOOST_PER_WORD = 0.1;
const KEYWORD_BOOST_MAX = 0.3;

/** The input with every text in it cut to `limit` characters, so no field makes the engine read more. */
function clipInput(input: ParsedAnalysisInput, limit: number): ParsedAnalysisInput {
  const clip = (value: string | undefined) => (value === undefined ? undefined : clipText(value, limit));
  const fields = Object.fromEntries(
    Object.entries(input.fields).map(([key, value]) => [
      key,
      typeof value === 'string' ? clipText(value, limit) : value,
    ]),
  );
  return {
    ...input,
    text: clipText(input.text, limit),
    email: clip(input.email),
    phone: clip(input.phone),
    name: clip(input.name),
    company: clip(input.company),
    fields,
  };
}

function hintWords(fields: Readonly<Record<string, unknown>>): string {
  return INTENT_HINT_FIELDS.map((key) => fields[key])
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map((value) => value.replace(/[_-]+/g, ' '))
    .join('. ');
}

function projectBoosts(extraction: Extraction, hinted: boolean): Record<string, number> {
  const project = extraction.project;
  if (!project) return {};
  const boost = hinted ? HINT_BOOST : Math.min(KEYWORD_BOOST_MAX, project.strength * KEYWORD_BOOST_PER_WORD);
  return Object.fromEntries(project.service.intents.map((intent) => [intent, boost]));
}

function mergeBoosts(...all: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const boosts of all) {
    for (const [intent, value] of Object.entries(boosts)) merged[intent] = (merged[intent] ?? 0) + value;
  }
  return merged;
}

/**
 * The lines of business a tenant is in, from the intents its services map to. A catalogue that
 * maps to none of the built-in verticals (home services, real estate, solar) is a business seller.
 */
function tenantVerticals(services: readonly { id: string; keywords: readonly string[] }[]): Set<Vertical> {
  const verticals = new Set<Vertical>();
  for (const service of services) {
    for (const intent of tenantService(service).intents) verticals.add(intentInfo(intent).vertical);
  }
  if (services.length > 0 && verticals.size === 0) verticals.add('b2b');
  return verticals;
}

/** Entities, enrichment, intent and buying signals of one lead: everything scoring reads. */
async function readLead(
  input: ParsedAnalysisInput,
  ctx: z.output<typeof tenantEngineContextSchema>,
  deps: EngineDeps,
): Promise<LeadFeatures & { customerText: string }> {
  const { customerText } = segmentText(input.text);
  const extraction = extractEntities(
    { text: customerText, email: input.email, phone: input.phone, name: input.name, fields: input.fields },
    { reference: deps.now(), timeZone: ctx.timezone, region: deps.region, services: ctx.services },
  );
  const { entities } = extraction;
  const company = await deps.enrichment.enrich({
    email: input.email ?? entities.emails[0],
    company: input.company,
    phone: input.phone ?? entities.phones[0],
    text: extraction.text,
  });

  const hints = hintWords(input.fields);
  const classified = clipText([extraction.text, hints].filter(Boolean).join('. '), deps.textLimit);
  const hinted = typeof input.fields.project_type === 'string' || typeof input.fields.service === 'string';
  const evidence = intentEvidence(classified);
  // A customer of an installed system, a spammer or a job seeker names services without buying them.
  const notBuying = Object.keys(evidence).some((intent) => SUPPORT_EVIDENCE.has(intent));
  const boosts = notBuying && !hinted ? evidence : mergeBoosts(evidence, projectBoosts(extraction, hinted));
  // A long call can leave the classifier unsure; then the tenant's own service it names is the best reading.
  const named =
    extraction.project?.offered && ctx.services.length > 0 && !notBuying
      ? extraction.project.service.intents[0]
      : undefined;
  const prediction = await predictIntent(classified, {
    boosts,
    verticals: tenantVerticals(ctx.services),
    fallback: named,
  });
  const signalText = clipText([extraction.text, fieldWords(input.fields)].filter(Boolean).join('. '), deps.textLimit);
  return {
    intent: prediction.intent,
    info: intentInfo(prediction.intent),
    confidence: prediction.confidence,
    extraction,
    enrichment: company,
    signals: readSignals(signalText, extraction),
    contact: {
      phone: entities.phones.length > 0,
      email: entities.emails.length > 0,
      name: entities.person_name !== null,
    },
    channel: input.kind,
    words: wordingTokens(signalText),
    customerText,
  };
}

function engineDeps(options: LocalEngineOptions): EngineDeps {
  const region = options.defaultRegion ?? 'US';
  return {
    region,
    enrichment: options.enrichment ?? createLocalEnrichment({ defaultRegion: region }),
    now: options.now ?? (() => new Date()),
    textLimit: options.textLimit ?? DEFAULT_ENGINE_TEXT_LIMIT,
  };
}

function parse(rawInput: AnalysisInput, rawCtx: TenantEngineContext, textLimit: number) {
  return {
    input: clipInput(analysisInputSchema.parse(rawInput), textLimit),
    ctx: tenantEngineContextSchema.parse(rawCtx),
  };
}

export async function createLeadReader(options: LocalEngineOptions = {}): Promise<LeadReader> {
  await getIntentClassifier();
  const deps = engineDeps(options);
  return async (rawInput, rawCtx) => {
    const { input, ctx } = parse(rawInput, rawCtx, deps.textLimit);
    return readLead(input, ctx, deps);
  };
}

export async function createLocalEngine(options: LocalEngineOptions = {}): Promise<LocalEngine> {
  // Train now, so the first lead does not pay for it.
  await getIntentClassifier();
  const model = loadModel();
  const deps = engineDeps(options);

  return {
    async analyze(rawInput, rawCtx, overrides) {
      const started = performance.now();
      const { input, ctx } = parse(rawInput, rawCtx, deps.textLimit);
      const features = await readLead(input, ctx, { ...deps, enrichment: overrides?.enrichment ?? deps.enrichment });
      const reading = readWithModel(model, { ...features, kind: features.info.kind });
      const outcome = scoreBreakdown(reading.breakdown, ctx.weights, ctx.thresholds);
      const sentiment = analyzeSentiment(features.customerText);

      return {
        intent: features.intent,
        intent_confidence: features.confidence,
        entities: features.extraction.entities,
        sentiment: sentiment.sentiment,
        sentiment_score: sentiment.score,
        score: outcome.score,
        scoring_breakdown: reading.breakdown,
        tier: outcome.tier,
        reasoning: writeReasoning(outcome.tier, features, reading.signals, ctx.weights),
        recommended_action: outcome.recommended_action,
        next_actions: nextActions(outcome.tier, features),
        summary: writeSummary(features),
        enrichment: features.enrichment,
        usage: {
          provider: LOCAL_PROVIDER,
          model: LOCAL_MODEL,
          latency_ms: Math.round((performance.now() - started) * 100) / 100,
          input_tokens: 0,
          output_tokens: 0,
          cost_usd: 0,
          fallbacks: [],
        },
      };
    },
  };
}
