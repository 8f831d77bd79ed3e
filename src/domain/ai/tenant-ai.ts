import { createEngine, type Engine } from '../../engine/engine.js';
import type { TenantEngineContext } from '../../engine/analysis.schema.js';
import { parseChain } from '../../engine/chain.js';
import type { Phraser } from '../../engine/dialog/dialog.js';
import type { LocalEngine } from '../../engine/local.js';
import type { EnrichmentProvider } from '../../providers/enrichment/enrichment.js';
import { createHttpEnrichment } from '../../providers/enrichment/http.js';
import type { Fetch } from '../../providers/http/guarded-fetch.js';
import { AnthropicProvider } from '../../providers/llm/anthropic.js';
import { GeminiProvider } from '../../providers/llm/gemini.js';
import type { LlmProvider } from '../../providers/llm/llm.js';
import { OpenAiCompatibleProvider } from '../../providers/llm/openai-compatible.js';
import type { TenantConfig, TenantsService } from '../tenants/index.js';
import { createPromiseCache } from '../../lib/promise-cache.js';

export interface TenantAi {
  engine: Engine;
  ctx: TenantEngineContext;
}

export interface TenantAiService {
  /** The engine and context for one tenant, built from its configuration (secrets opened). */
  forTenant(tenantId: string): Promise<TenantAi>;
  /** Trains the local engine now, so the first request does not wait for it (the server calls it at start). */
  warm(): Promise<void>;
  /** The dialog's phrasing hook through the tenant's LLM chain; undefined when the chain is local only. */
  phraserFor(tenantId: string): Promise<Phraser | undefined>;
}

// A tenant's configuration is re-read at most this often per process, so a change is live within it.
const CACHE_MS = 2_000;

type ProviderConfig = NonNullable<NonNullable<TenantConfig['ai_models']>['providers']>[string];

/** Builds an LLM adapter from a tenant's provider entry; unusable entries are left out (the chain then falls through). */
function providerFrom(name: string, cfg: ProviderConfig, fetch: Fetch): LlmProvider | undefined {
  const kind =
    cfg.kind ?? (name === 'anthropic' ? 'anthropic' : name === 'gemini' || name === 'google' ? 'gemini' : 'openai');
  // Self-hosted OpenAI-compatible servers (Ollama, vLLM, LM Studio) need no key; the SDK wants a placeholder.
  const apiKey = cfg.api_key ?? (kind === 'openai' && cfg.base_url ? 'not-needed' : undefined);
  if (!apiKey) return undefined;
  const base = { apiKey, name, fetch, ...(cfg.base_url ? { baseUrl: cfg.base_url } : {}) };
  if (kind === 'anthropic') return new AnthropicProvider(base);
  if (kind === 'gemini') return new GeminiProvider(base);
  return new OpenAiCompatibleProvider({
    ...base,
    ...(cfg.json_mode ? { jsonMode: cfg.json_mode } : {}),
    ...(cfg.azure_api_version ? { azure: { apiVersion: cfg.azure_api_version } } : {}),
  });
}

/** The tenant's company-data vendor, when it configured one; the local engine enriches otherwise. */
function enrichmentFrom(config: TenantConfig, fetch: Fetch): EnrichmentProvider | undefined {
  const e = config.enrichment;
  if (e?.provider !== 'http' || !e.base_url || !e.api_key) return undefined;
  return createHttpEnrichment({
    baseUrl: e.base_url,
    apiKey: e.api_key,
    fetch,
    ...(e.timeout_ms ? { timeoutMs: e.timeout_ms } : {}),
  });
}

/** The chain a tenant configured: primary provider:model first, then its fallbacks; the engine always ends at local. */
export function chainFrom(config: TenantConfig): string[] {
  const ai = config.ai_models ?? {};
  const chain: string[] = [];
  if (ai.primary_provider && ai.primary_provider !== 'local' && ai.primary_provider !== 'rule_based') {
    chain.push(ai.primary_model ? `${ai.primary_provider}:${ai.primary_model}` : ai.primary_provider);
  }
  chain.push(...(ai.fallback_chain ?? []));
  return chain;
}

export function engineContextFrom(tenantId: string, timezone: string, config: TenantConfig): TenantEngineContext {
  const weights = config.scoring?.weights ?? {};
  const thresholds = config.scoring?.thresholds ?? {};
  return {
    tenantId,
    timezone,
    services: (config.services ?? []).map((s) => ({ id: s.id, keywords: s.keywords })),
    weights: {
      company_fit: weights.company_fit ?? 0.25,
      intent_signal: weights.intent_signal ?? 0.35,
      budget_indicator: weights.budget_indicator ?? 0.2,
      urgency: weights.urgency ?? 0.2,
    },
    thresholds: { hot: thresholds.hot ?? 80, warm: thresholds.warm ?? 50 },
    chain: chainFrom(config),
    customPrompts: config.ai_config?.custom_prompts ?? {},
    ...(config.ai_models?.custom_instructions ? { customInstructions: config.ai_models.custom_instructions } : {}),
  };
}

/**
 * `local` is asked for on first use: training takes most of a second, which CLI commands that never analyse should not pay.
 * `fetch` is the SSRF-guarded client every LLM and enrichment vendor call goes through.
 */
export function createTenantAiService(deps: {
  local: () => Promise<LocalEngine>;
  tenants: Pick<TenantsService, 'get' | 'getConfigWithSecrets'>;
  fetch: Fetch;
}): TenantAiService {
  let localOnly: Promise<{ local: LocalEngine; engine: Engine }> | undefined;
  const base = () => (localOnly ??= deps.local().then((local) => ({ local, engine: createEngine({ local }) })));
  const cache = createPromiseCache<TenantAi>({ ttlMs: CACHE_MS, maxEntries: 5_000, now: Date.now });
  const build = async (tenantId: string): Promise<TenantAi> => {
    const [tenant, config, { local, engine: localEngine }] = await Promise.all([
      deps.tenants.get(tenantId),
      deps.tenants.getConfigWithSecrets(tenantId),
      base(),
    ]);
    const providers = Object.fromEntries(
      Object.entries(config.ai_models?.providers ?? {}).flatMap(([name, cfg]) => {
        const provider = providerFrom(name, cfg, deps.fetch);
        return provider ? [[name, provider] as const] : [];
      }),
    );
    const ctx = engineContextFrom(tenantId, tenant.timezone, config);
    const enrichment = enrichmentFrom(config, deps.fetch);
    const engine =
      Object.keys(providers).length > 0 || enrichment
        ? createEngine({ local, providers, ...(enrichment ? { enrichment } : {}) })
        : localEngine;
    return { engine, ctx };
  };
  return {
    forTenant(tenantId) {
      return cache.get(tenantId, () => build(tenantId)).value;
    },
    async warm() {
      await base();
    },
    async phraserFor(tenantId) {
      const { engine, ctx } = await this.forTenant(tenantId);
      if (ctx.chain === undefined || parseChain(ctx.chain).length === 1) return undefined;
      return async (draft, context) =>
        (
          await engine.phrase(
            { draft, message: context.message, facts: context.knowledge.map((k) => `${k.title}: ${k.content}`) },
            ctx,
          )
        ).text;
    },
  };
}
