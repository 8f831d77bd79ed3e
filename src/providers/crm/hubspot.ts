import { CrmError, callVendor, fallbackMessage, kindForStatus, leadNotes } from './crm.js';
import type { CrmLeadInput, CrmProvider, CrmSyncResult, CrmUpsertOptions, VendorResponse } from './crm.js';
import type { Fetch } from '../http/guarded-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

/*
 * Plain fetch rather than @hubspot/api-client: the SDK (node-fetch 2 underneath) has no
 * per-request timeout or abort signal, so a stalled HubSpot would hold a queue worker until the
 * socket dies, and its generated clients add nothing for a handful of small JSON calls.
 */

export interface HubSpotOptions {
  /** Private-app or OAuth access token. */
  accessToken: string;
  /** https://api.hubapi.com unless a proxy or test fake stands in. */
  baseUrl?: string;
  /** Per request; one upsert makes several in a row. */
  timeoutMs: number;
  /** The SSRF-guarded client. */
  fetch: Fetch;
}

const HUBSPOT_BASE_URL = 'https://api.hubapi.com';
/** HubSpot-defined association type "deal to contact". */
const DEAL_TO_CONTACT = 3;

interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
}

interface PipelineStage {
  id: string;
  displayOrder: number;
  archived?: boolean;
  metadata?: { isClosed?: string };
}

/** The stages of one pipeline that a new or open deal can be in. */
interface OpenStages {
  /** The open stage with the lowest display order: where a new deal starts. */
  first: string;
  all: ReadonlySet<string>;
}

/**
 * Contacts are matched by email, or by phone when the lead has no email (a caller known only by
 * number); each lead gets one open deal in the chosen pipeline, found
 * again on the next sync through the contact's associations so a retried or repeated sync
 * updates that deal instead of adding another.
 */
export class HubSpotCrmProvider implements CrmProvider {
  readonly kind = 'hubspot' as const;
  private readonly baseUrl: string;

  constructor(private readonly opts: HubSpotOptions) {
    this.baseUrl = withoutTrailingSlashes(opts.baseUrl ?? HUBSPOT_BASE_URL);
  }

  async upsertLead(input: CrmLeadInput, opts: CrmUpsertOptions): Promise<CrmSyncResult> {
    const ownerId = opts.ownerEmail ? await this.findOwnerId(opts.ownerEmail) : null;
    // Read before any write, so an unknown pipeline fails without leaving a contact behind.
    const pipelineId = opts.pipelineId ?? 'default';
    const stages = await this.openStages(pipelineId);
    const contact = await this.upsertContact(input, ownerId);
    const dealId = await this.upsertDeal(input, contact, pipelineId, stages, ownerId);
    // No url: a record link needs the portal id, which would cost one more call per sync.
    return { contactId: contact.id, dealId, ownerId, created: contact.created };
  }

  private async findOwnerId(email: string): Promise<string | null> {
    const res = await this.call('GET', `/crm/v3/owners?email=${encodeURIComponent(email)}&limit=1&archived=false`);
    const results = (res.body as { results?: { id?: string }[] } | undefined)?.results ?? [];
    return results[0]?.id ?? null;
  }

  private async openStages(pipelineId: string): Promise<OpenStages> {
    const res = await this.call('GET', `/crm/v3/pipelines/deals/${encodeURIComponent(pipelineId)}`);
    const stages = ((res.body as { stages?: PipelineStage[] } | undefined)?.stages ?? [])
      .filter((s) => !s.archived && s.metadata?.isClosed !== 'true')
      .sort((a, b) => a.displayOrder - b.displayOrder);
    const first = stages[0];
    if (!first) throw CrmError.of('validation', `HubSpot pipeline ${pipelineId} has no open deal stage`, res.status);
    return { first: first.id, all: new Set(stages.map((s) => s.id)) };
  }

  private async upsertContact(input: CrmLeadInput, ownerId: string | null): Promise<{ id: string; created: boolean }> {
    const properties: Record<string, string> = {
      ...defined({
        email: input.email,
        firstname: input.firstName,
        lastname: input.lastName,
        phone: input.phone,
        company: input.company,
        hubspot_owner_id: ownerId ?? undefined,
      }),
      message: leadNotes(input),
    };
    const existing = await this.findContactId(input);
    if (existing) {
      await this.call('PATCH', `/crm/v3/objects/contacts/${existing}`, { properties });
      return { id: existing, created: false };
    }
    // Only a new contact gets a status and stage: a salesperson may have moved an existing one,
    // and HubSpot refuses to move a lifecycle stage backwards.
    const createBody = {
      properties: {
        ...properties,
        hs_lead_status: 'NEW',
        lifecyclestage: input.tier === 'HOT' ? 'salesqualifiedlead' : 'lead',
      },
    };
    const res = await this.call('POST', '/crm/v3/objects/contacts', createBody, [409]);
    if (res.status !== 409) return { id: (res.body as HubSpotObject).id, created: true };
    // Search is indexed a few seconds behind writes, so a contact created moments ago (often by
    // the attempt this one retries) is missed by the search and reported by the create instead.
    const conflictId = /Existing ID: (\d+)/.exec(messageOf(res.body) ?? '')?.[1];
    if (!conflictId) throw this.toError(res);
    await this.call('PATCH', `/crm/v3/objects/contacts/${conflictId}`, { properties });
    return { id: conflictId, created: false };
  }

  /**
   * By email, else by phone. HubSpot refuses a second contact with one email (the 409 below) but
   * not with one phone, so for a phone-only lead this lookup is all that stops a sync retried after
   * an interrupted try (the process died between HubSpot's create and our record of it) from
   * adding a second contact. The phone is matched as we write it (E.164), not as a person may have
   * typed it into HubSpot.
   */
  private async findContactId(input: CrmLeadInput): Promise<string | undefined> {
    const filter = input.email
      ? { propertyName: 'email', value: input.email }
      : input.phone
        ? { propertyName: 'phone', value: input.phone }
        : undefined;
    if (!filter) return undefined;
    const res = await this.call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ ...filter, operator: 'EQ' }] }],
      properties: [filter.propertyName],
      limit: 1,
    });
    return (res.body as { results?: HubSpotObject[] } | undefined)?.results?.[0]?.id;
  }

  private async upsertDeal(
    input: CrmLeadInput,
    contact: { id: string; created: boolean },
    pipelineId: string,
    stages: OpenStages,
    ownerId: string | null,
  ): Promise<string> {
    const properties: Record<string, string> = defined({
      amount: input.budget === undefined ? undefined : String(input.budget),
      description: leadNotes(input),
      hubspot_owner_id: ownerId ?? undefined,
    });
    const existing = contact.created ? undefined : await this.findOpenDealId(contact.id, pipelineId, stages);
    if (existing) {
      // Stage and name stay as the sales team left them.
      await this.call('PATCH', `/crm/v3/objects/deals/${existing}`, { properties });
      return existing;
    }
    const res = await this.call('POST', '/crm/v3/objects/deals', {
      properties: { ...properties, dealname: dealName(input), pipeline: pipelineId, dealstage: stages.first },
      // Associated in the same request, so the deal is never without its contact and the next
      // sync always finds it.
      associations: [
        {
          to: { id: contact.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_CONTACT }],
        },
      ],
    });
    return (res.body as HubSpotObject).id;
  }

  /**
   * The contact's newest open deal in the pipeline. Read through the associations API and a
   * batch read rather than search, because search lags behind writes and would miss a deal the
   * attempt being retried has just created.
   */
  private async findOpenDealId(contactId: string, pipelineId: string, stages: OpenStages): Promise<string | undefined> {
    const assoc = await this.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/deals?limit=500`);
    const ids = ((assoc.body as { results?: { toObjectId: number | string }[] } | undefined)?.results ?? []).map((r) =>
      String(r.toObjectId),
    );
    if (ids.length === 0) return undefined;
    const read = await this.call('POST', '/crm/v3/objects/deals/batch/read', {
      properties: ['pipeline', 'dealstage', 'createdate'],
      // HubSpot's document requires the field even when no history is wanted.
      propertiesWithHistory: [],
      inputs: ids.map((id) => ({ id })),
    });
    const deals = ((read.body as { results?: HubSpotObject[] } | undefined)?.results ?? [])
      .filter((d) => d.properties.pipeline === pipelineId && stages.all.has(d.properties.dealstage ?? ''))
      .sort((a, b) => (b.properties.createdate ?? '').localeCompare(a.properties.createdate ?? ''));
    return deals[0]?.id;
  }

  /** Throws for every status outside 2xx except those the caller handles itself. */
  private async call(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    handled: number[] = [],
  ): Promise<VendorResponse> {
    const res = await callVendor('HubSpot', `${this.baseUrl}${path}`, {
      fetch: this.opts.fetch,
      method,
      accessToken: this.opts.accessToken,
      body,
      timeoutMs: this.opts.timeoutMs,
    });
    if ((res.status >= 200 && res.status < 300) || handled.includes(res.status)) return res;
    throw this.toError(res);
  }

  private toError(res: VendorResponse): CrmError {
    return CrmError.of(kindForStatus(res.status), messageOf(res.body) ?? fallbackMessage('HubSpot', res), res.status);
  }
}

/** HubSpot errors are `{ status: 'error', message, correlationId, category, errors? }`. */
function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string')
    return body.message;
  return undefined;
}

function dealName(input: CrmLeadInput): string {
  const person =
    [input.firstName, input.lastName].filter(Boolean).join(' ') ||
    input.company ||
    input.email ||
    `Lead ${input.externalId}`;
  const what = input.projectType ?? input.intent;
  return what ? `${person} – ${what}` : person;
}

/** HubSpot stores an empty string as "clear this property", so unknown values are left out instead. */
function defined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
