import { z } from 'zod';

/** Company facts for a lead, as every adapter answers them; the engine's analysis result carries them as they are. */
export const enrichmentSchema = z.object({
  domain: z.string().nullable(),
  free_mail: z.boolean(),
  company_name: z.string().nullable(),
  company_size: z.string().nullable(),
  industry: z.string().nullable(),
  estimated_revenue: z.string().nullable(),
  linkedin_url: z.string().nullable(),
  location: z.string().nullable(),
  country: z.string().nullable(),
  source: z.string(),
});
export type Enrichment = z.infer<typeof enrichmentSchema>;

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
