import type { Enrichment } from '../../engine/analysis.schema.js';

export type { Enrichment };

/** What a lead told us that can identify their company. */
export interface EnrichmentInput {
  email?: string;
  company?: string;
  phone?: string;
  /** Free text that may state a team or company size. */
  text?: string;
}

/** Company facts for a lead: the local default, or a vendor adapter that falls back to it. */
export interface EnrichmentProvider {
  /** Enriches one lead; never rejects — an adapter that cannot answer returns what is known locally. */
  enrich(input: EnrichmentInput): Promise<Enrichment>;
}
