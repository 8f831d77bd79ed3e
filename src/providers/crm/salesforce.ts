import { isFreeMailDomain } from '../enrichment/free-mail.js';
import { CrmError, callVendor, fallbackMessage, kindForStatus, leadNotes } from './crm.js';
import type {
  CrmErrorKind,
  CrmLeadInput,
  CrmProvider,
  CrmSyncResult,
  CrmUpsertOptions,
  VendorResponse,
} from './crm.js';
import type { Fetch } from '../http/guarded-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

/*
 * Plain fetch rather than jsforce: jsforce by default retries a GET (every SOQL query) answered
 * with 429 or 5xx up to five times with backoff inside one call, which stacks under the queue's
 * own retries and hides the first failure; three REST calls do not need the rest of it.
 */

export interface SalesforceOptions {
  accessToken: string;
  /** The org's My Domain URL, e.g. https://acme.my.salesforce.com. */
  instanceUrl: string;
  /** REST API version, `v60.0` when omitted; `60.0` is accepted too. */
  apiVersion?: string;
  /** Per request; one upsert makes up to three. */
  timeoutMs: number;
  /** The SSRF-guarded client. */
  fetch: Fetch;
}

const DEFAULT_SALESFORCE_API_VERSION = 'v60.0';

/** What Salesforce's own Web-to-Lead writes into required fields the visitor left empty, so sales teams already recognise it. */
const NOT_PROVIDED = '[not provided]';

/** Standard Lead field lengths; a longer value is refused with STRING_TOO_LONG, which no retry would fix. */
const MAX_LENGTH = { FirstName: 40, LastName: 80, Company: 255, Phone: 40, Description: 32_000 } as const;

const RATING = { HOT: 'Hot', WARM: 'Warm', COLD: 'Cold' } as const;

/**
 * Leads are matched by email among unconverted Leads: a converted Lead cannot be updated
 * (CANNOT_UPDATE_CONVERTED_LEAD), so a returning person becomes a new Lead.
 */
export class SalesforceCrmProvider implements CrmProvider {
  readonly kind = 'salesforce' as const;
  private readonly instanceUrl: string;
  private readonly dataUrl: string;

  constructor(private readonly opts: SalesforceOptions) {
    this.instanceUrl = withoutTrailingSlashes(opts.instanceUrl);
    const version = opts.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION;
    this.dataUrl = `${this.instanceUrl}/services/data/${version.startsWith('v') ? version : `v${version}`}`;
  }

  async upsertLead(input: CrmLeadInput, opts: CrmUpsertOptions): Promise<CrmSyncResult> {
    const ownerId = opts.ownerEmail
      ? await this.queryId(
          `SELECT Id FROM User WHERE Email = ${soqlString(opts.ownerEmail)} AND IsActive = true LIMIT 1`,
        )
      : undefined;
    const existing = input.email
      ? await this.queryId(
          `SELECT Id FROM Lead WHERE Email = ${soqlString(input.email)} AND IsConverted = false ORDER BY CreatedDate DESC LIMIT 1`,
        )
      : undefined;
    // Active lead assignment rules run on every API write unless told not to, and would replace
    // the owner we were asked to set.
    const headers: Record<string, string> = ownerId ? { 'sforce-auto-assign': 'FALSE' } : {};
    const common = {
      ...defined({
        FirstName: clip(input.firstName, MAX_LENGTH.FirstName),
        Email: input.email,
        Phone: clip(input.phone, MAX_LENGTH.Phone),
        Rating: input.tier ? RATING[input.tier] : undefined,
        OwnerId: ownerId,
      }),
      Description: clip(leadNotes(input), MAX_LENGTH.Description),
    };

    let leadId: string;
    if (existing) {
      // Placeholders only fill a new Lead: on an existing one they would overwrite what a
      // salesperson entered. LeadSource keeps the first touch.
      const fields = {
        ...common,
        ...defined({
          LastName: clip(input.lastName, MAX_LENGTH.LastName),
          Company: clip(input.company, MAX_LENGTH.Company),
        }),
      };
      await this.call('PATCH', `/sobjects/Lead/${existing}`, fields, headers);
      leadId = existing;
    } else {
      const fields = {
        ...common,
        LastName: clip(input.lastName, MAX_LENGTH.LastName) ?? NOT_PROVIDED,
        Company: clip(input.company ?? companyFromEmail(input.email), MAX_LENGTH.Company) ?? NOT_PROVIDED,
        ...defined({ LeadSource: input.source }),
      };
      const res = await this.call('POST', '/sobjects/Lead', fields, headers);
      leadId = (res.body as { id: string }).id;
    }
    return {
      leadId,
      ownerId: ownerId ?? null,
      created: !existing,
      url: `${this.instanceUrl}/lightning/r/Lead/${leadId}/view`,
    };
  }

  private async queryId(soql: string): Promise<string | undefined> {
    const res = await this.call('GET', `/query?q=${encodeURIComponent(soql)}`);
    return (res.body as { records?: { Id?: string }[] } | undefined)?.records?.[0]?.Id;
  }

  private async call(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<VendorResponse> {
    const res = await callVendor('Salesforce', `${this.dataUrl}${path}`, {
      fetch: this.opts.fetch,
      method,
      accessToken: this.opts.accessToken,
      body,
      ...(headers ? { headers } : {}),
      timeoutMs: this.opts.timeoutMs,
    });
    if (res.status >= 200 && res.status < 300) return res;
    const first = firstError(res.body);
    throw CrmError.of(
      errorKind(res.status, first?.errorCode),
      first ? `${first.errorCode}: ${first.message}` : fallbackMessage('Salesforce', res),
      res.status,
    );
  }
}

/**
 * A SOQL string literal. SOQL escapes with backslashes (not by doubling quotes as SQL does),
 * and an unescaped quote in an email, which is legal in its local part, would end the literal.
 */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => SOQL_ESCAPES[ch] ?? ch);
  return `'${escaped}'`;
}

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Salesforce errors are `[{ message, errorCode, fields? }]`. */
function firstError(body: unknown): { message: string; errorCode: string } | undefined {
  if (!Array.isArray(body)) return undefined;
  const first: unknown = body[0];
  if (typeof first !== 'object' || first === null || !('message' in first) || !('errorCode' in first)) return undefined;
  return { message: String(first.message), errorCode: String(first.errorCode) };
}

/** Salesforce answers an exhausted API allowance with 403 REQUEST_LIMIT_EXCEEDED rather than 429. */
function errorKind(status: number, errorCode: string | undefined): CrmErrorKind {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return 'rate_limited';
  return kindForStatus(status);
}

/** The sender's domain stands in for a missing company, unless it is a mailbox provider that says nothing about an employer. */
function companyFromEmail(email: string | undefined): string | undefined {
  const domain = email?.split('@')[1]?.trim().toLowerCase();
  return domain && !isFreeMailDomain(domain) ? domain : undefined;
}

function clip(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

function defined<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Partial<
    Record<keyof T, string>
  >;
}
