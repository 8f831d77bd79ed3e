import { DEFAULT_SERVICES, tenantService, type ServiceEntry } from './catalogue.js';

export interface ProjectMatch {
  service: ServiceEntry;
  /** The service is in the tenant's own catalogue. */
  offered: boolean;
  /** Keywords found, strongest first. */
  hits: string[];
  /** Matching strength: words of every keyword found, tenant services weighted up. */
  strength: number;
}

interface CompiledEntry {
  service: ServiceEntry;
  offered: boolean;
  patterns: { keyword: string; regex: RegExp }[];
  /** Any of the patterns: most services match nothing, and one test rules them out. */
  any: RegExp;
}

/** A tenant's own services count for more: a roofer hearing "selling our house" is still hearing about a roof. */
const TENANT_WEIGHT = 1.5;
const CACHE_LIMIT = 200;
const compiledCatalogues = new Map<string, CompiledEntry[]>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Phrases such as "for sale" or "to rent" name a state, not a noun to inflect: "for sales automation" is no house for sale. */
const UNINFLECTED = /^(?:for|to|on|in|at)\s/i;

/** A keyword's "not" ("not eating") is said as often in a contraction: "isn't eating", "doesn't drain". */
const NEGATION = String.raw`(?:not|\w+n['’]t|(?:is|are|was|were|does|do|did|has|have|had|wo|ca)nt)`;

function compileKeyword(keyword: string): RegExp {
  const body = keyword
    .split(/\s+/)
    .map((word) => (word.toLowerCase() === 'not' ? NEGATION : escape(word)))
    .join('[\\s-]+');
  const ending = UNINFLECTED.test(keyword) ? '' : '(?:s|es|ed|ing)?';
  return new RegExp(`(?<![\\w-])${body}${ending}(?![\\w-])`, 'i');
}

function compile(services: readonly { id: string; keywords: readonly string[] }[]): CompiledEntry[] {
  const key = JSON.stringify(services);
  const cached = compiledCatalogues.get(key);
  if (cached) return cached;
  const own = services.map((s) => ({ service: tenantService(s), offered: true }));
  const ownIds = new Set(own.map((e) => e.service.id));
  const defaults = DEFAULT_SERVICES.filter((s) => !ownIds.has(s.id)).map((service) => ({ service, offered: false }));
  const compiled = [...own, ...defaults].map(({ service, offered }) => {
    const patterns = service.keywords.map((keyword) => ({ keyword, regex: compileKeyword(keyword) }));
    const any = new RegExp(patterns.map((p) => `(?:${p.regex.source})`).join('|') || '(?!)', 'i');
    return { service, offered, patterns, any };
  });
  if (compiledCatalogues.size >= CACHE_LIMIT) compiledCatalogues.clear();
  compiledCatalogues.set(key, compiled);
  return compiled;
}

/**
 * The service the text asks for, from the tenant's catalogue first and the built-in one after.
 * With no tenant catalogue every built-in service counts as offered.
 */
export function matchProjectType(
  text: string,
  services: readonly { id: string; keywords: readonly string[] }[],
): ProjectMatch | null {
  if (!text.trim()) return null;
  let best: ProjectMatch | null = null;
  for (const entry of compile(services)) {
    if (!entry.any.test(text)) continue;
    const hits = entry.patterns.filter((p) => p.regex.test(text)).map((p) => p.keyword);
    if (hits.length === 0) continue;
    const words = hits.reduce((sum, hit) => sum + hit.split(/\s+/).length, 0);
    const strength = entry.offered ? words * TENANT_WEIGHT : words;
    if (!best || strength > best.strength) {
      hits.sort((a, b) => b.length - a.length);
      best = { service: entry.service, offered: entry.offered || services.length === 0, hits, strength };
    }
  }
  return best;
}
