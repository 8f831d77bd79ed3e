import { describe, expect, it } from 'vitest';
import { enrichmentSchema } from '../../../src/providers/enrichment/enrichment.js';
import {
  companyNameFromDomain,
  createLocalEnrichment,
  enrichLocally,
  sizeBucket,
} from '../../../src/providers/enrichment/local.js';

describe('local enrichment', () => {
  it('takes the domain from the email and names the company after it', () => {
    const result = enrichLocally({ email: 'John@Acme.com' });
    expect(result).toMatchObject({ domain: 'acme.com', free_mail: false, company_name: 'Acme', source: 'local' });
  });

  it('flags free-mail addresses and does not invent a company from them', () => {
    const result = enrichLocally({ email: 'someone@gmail.com' });
    expect(result.free_mail).toBe(true);
    expect(result.company_name).toBeNull();
  });

  it('prefers the company the lead typed over one guessed from the domain', () => {
    expect(enrichLocally({ email: 'j@acme.com', company: 'Acme Corp' }).company_name).toBe('Acme Corp');
  });

  it('ignores placeholder company values such as n/a', () => {
    expect(enrichLocally({ email: 'kate@gmail.com', company: 'n/a' }).company_name).toBeNull();
  });

  it('reads a company website given in the company field as the domain', () => {
    expect(enrichLocally({ company: 'https://www.northwind.io/about' }).domain).toBe('northwind.io');
  });

  it('derives the country from a country-code domain before the phone number', () => {
    expect(enrichLocally({ email: 'anna@bergmann.de', phone: '+15125550101' }).country).toBe('DE');
  });

  it('derives the country from the phone calling code when the domain is generic', () => {
    expect(enrichLocally({ email: 'raj@startup.io', phone: '+91 98765 43210' }).country).toBe('IN');
  });

  it('turns a stated headcount into a company-size bucket', () => {
    expect(enrichLocally({ email: 'j@acme.com', text: 'automation for our 50-person sales team' }).company_size).toBe(
      '11-50',
    );
    expect(sizeBucket(2000)).toBe('1001-5000');
  });

  it('names multi-word and second-level domains readably', () => {
    expect(companyNameFromDomain('bright-path.co.uk')).toBe('Bright Path');
    expect(companyNameFromDomain('mail.northwind.io')).toBe('Northwind');
  });

  it('answers through the provider port with a schema-valid enrichment', async () => {
    const result = await createLocalEnrichment().enrich({ email: 'sarah@northwind.io' });
    expect(enrichmentSchema.parse(result)).toEqual(result);
  });
});
