import { randomUUID } from 'node:crypto';
import {
  recordJson,
  startFakeServer,
  type Answer,
  type FakeRequest,
  type JsonRequest,
  type RequestMatch,
} from './fake-server.js';

/**
 * HubSpot's CRM REST API on 127.0.0.1, in the real wire format: v3 objects (create, patch,
 * search, batch read) for contacts and deals, v4 association lists, deal pipelines and owners.
 * Errors are `{ status: 'error', message, correlationId, category }`; property validation
 * refuses unknown properties (PROPERTY_DOESNT_EXIST), bad enumeration options, unknown owners
 * and stages the way HubSpot does, and a second contact with one email is a 409 CONFLICT.
 * Records created while `lagSearch(true)` stay invisible to search, as HubSpot's search
 * index trails its writes by seconds.
 */

export type RecordedRequest = JsonRequest;

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface HubSpotStage {
  id: string;
  label: string;
  displayOrder: number;
  isClosed?: boolean;
}

export type { RequestMatch };

export interface HubSpotFake {
  /** What the adapter takes as `baseUrl`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests HubSpot's documents refuse. */
  violations: string[];
  contacts: Map<string, HubSpotRecord>;
  deals: Map<string, HubSpotRecord>;
  /** Deal-to-contact associations as `[dealId, contactId]`. */
  associations: [string, string][];
  /** Adds an active owner and returns its id. */
  addOwner(email: string, name?: { firstName: string; lastName: string }): string;
  /** Adds or replaces a deal pipeline; `default` exists from the start with HubSpot's stock stages. */
  addPipeline(id: string, label: string, stages: HubSpotStage[]): void;
  /** Seeds a contact as if someone had entered it in HubSpot; returns its id. */
  addContact(properties: Record<string, string>): string;
  /** Seeds a deal associated with a contact; returns its id. */
  addDeal(contactId: string, properties: Record<string, string>): string;
  /** Answers the next matching request with this status and body instead of serving it. */
  failNext(status: number, body: unknown, match?: RequestMatch): void;
  /** Never answers the next matching request. */
  stallNext(match?: RequestMatch): void;
  /** While on, records created are left out of search results. */
  lagSearch(on: boolean): void;
  close(): Promise<void>;
}

/** A HubSpot error body. */
export function hubspotError(
  message: string,
  category: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** HubSpot's stock sales pipeline, deliberately listed out of display order. */
const DEFAULT_STAGES: HubSpotStage[] = [
  { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1 },
  { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0 },
  { id: 'presentationscheduled', label: 'Presentation Scheduled', displayOrder: 2 },
  { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', displayOrder: 3 },
  { id: 'contractsent', label: 'Contract Sent', displayOrder: 4 },
  { id: 'closedwon', label: 'Closed Won', displayOrder: 5, isClosed: true },
  { id: 'closedlost', label: 'Closed Lost', displayOrder: 6, isClosed: true },
];

const WRITABLE = {
  contacts: new Set([
    'email',
    'firstname',
    'lastname',
    'phone',
    'company',
    'hs_lead_status',
    'lifecyclestage',
    'message',
    'hubspot_owner_id',
    'jobtitle',
    'website',
  ]),
  deals: new Set([
    'dealname',
    'pipeline',
    'dealstage',
    'amount',
    'description',
    'hubspot_owner_id',
    'closedate',
    'dealtype',
  ]),
} as const;

const OPTIONS: Record<string, readonly string[]> = {
  hs_lead_status: [
    'NEW',
    'OPEN',
    'IN_PROGRESS',
    'OPEN_DEAL',
    'UNQUALIFIED',
    'ATTEMPTED_TO_CONTACT',
    'CONNECTED',
    'BAD_TIMING',
  ],
  lifecyclestage: [
    'subscriber',
    'lead',
    'marketingqualifiedlead',
    'salesqualifiedlead',
    'opportunity',
    'customer',
    'evangelist',
    'other',
  ],
};

type ObjectType = keyof typeof WRITABLE;

interface PropertyIssue {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

export async function startHubSpotFake(opts: { accessToken: string }): Promise<HubSpotFake> {
  const contacts = new Map<string, HubSpotRecord>();
  const deals = new Map<string, HubSpotRecord>();
  const associations: [string, string][] = [];
  const owners = new Map<string, { id: string; email: string; firstName: string; lastName: string }>();
  const pipelines = new Map<string, { label: string; stages: HubSpotStage[] }>([
    ['default', { label: 'Sales Pipeline', stages: DEFAULT_STAGES }],
  ]);
  const unindexed = new Set<string>();
  let searchLagging = false;
  let nextId = 1001;
  let clock = Date.parse('2026-01-05T09:00:00.000Z');

  const store = (type: ObjectType): Map<string, HubSpotRecord> => (type === 'contacts' ? contacts : deals);

  function insert(type: ObjectType, properties: Record<string, string>): HubSpotRecord {
    const now = new Date((clock += 1000)).toISOString();
    const id = String(nextId++);
    const record = {
      id,
      properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
    };
    store(type).set(id, record);
    if (searchLagging) unindexed.add(id);
    return record;
  }

  function validate(
    type: ObjectType,
    properties: Record<string, string>,
    current?: Record<string, string>,
  ): PropertyIssue[] {
    const issues: PropertyIssue[] = [];
    const issue = (name: string, error: string, message: string) =>
      issues.push({ isValid: false, message, error, name });
    for (const [name, value] of Object.entries(properties)) {
      if (!WRITABLE[type].has(name)) issue(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      else if (OPTIONS[name] && value !== '' && !OPTIONS[name].includes(value))
        issue(name, 'INVALID_OPTION', `${value} was not one of the allowed options: [${OPTIONS[name].join(', ')}]`);
      else if (name === 'email' && value !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
        issue(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
      else if (name === 'hubspot_owner_id' && value !== '' && ![...owners.values()].some((o) => o.id === value))
        issue(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`);
      else if (name === 'amount' && value !== '' && !Number.isFinite(Number(value)))
        issue(name, 'INVALID_FLOAT', `${value} was not a valid number.`);
    }
    if (type === 'deals') {
      const pipelineId = properties.pipeline ?? current?.pipeline ?? 'default';
      const stage = properties.dealstage;
      const pipeline = pipelines.get(pipelineId);
      if (!pipeline)
        issue(
          'pipeline',
          'INVALID_OPTION',
          `${pipelineId} was not one of the allowed options: [${[...pipelines.keys()].join(', ')}]`,
        );
      else if (stage !== undefined && !pipeline.stages.some((s) => s.id === stage)) {
        issue(
          'dealstage',
          'INVALID_OPTION',
          `${stage} was not one of the allowed options: [${pipeline.stages.map((s) => s.id).join(', ')}]`,
        );
      }
    }
    return issues;
  }

  function invalid(issues: PropertyIssue[]): Answer {
    return answer(
      400,
      hubspotError(`Property values were not valid: ${JSON.stringify(issues)}`, 'VALIDATION_ERROR', {
        errors: issues.map((i) => ({ message: i.message, code: i.error, context: { propertyName: [i.name] } })),
      }),
    );
  }

  function present(record: HubSpotRecord, properties?: string[]): Record<string, unknown> {
    const keep = properties
      ? [...properties, 'hs_object_id', 'createdate', 'lastmodifieddate']
      : Object.keys(record.properties);
    const shown = Object.fromEntries(keep.map((name) => [name, record.properties[name] ?? null]));
    return {
      id: record.id,
      properties: shown,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      archived: false,
    };
  }

  function contactWithEmail(email: string): HubSpotRecord | undefined {
    return [...contacts.values()].find((c) => c.properties.email?.toLowerCase() === email.toLowerCase());
  }

  function listOwners(req: FakeRequest): Answer {
    const email = req.query.email;
    const results = [...owners.values()]
      .filter((o) => !email || o.email.toLowerCase() === email.toLowerCase())
      .map((o) => ({
        ...o,
        type: 'PERSON',
        userId: Number(o.id) + 9_000_000,
        userIdIncludingInactive: Number(o.id) + 9_000_000,
        createdAt: '2025-06-01T12:00:00.000Z',
        updatedAt: '2025-06-01T12:00:00.000Z',
        archived: false,
        teams: [],
      }));
    return answer(200, { results });
  }

  function pipeline(_req: FakeRequest, [id = '']: string[]): Answer {
    const pipeline = pipelines.get(id);
    if (!pipeline)
      return answer(
        404,
        hubspotError(`Unable to find pipeline with id ${id} for object type DEAL`, 'OBJECT_NOT_FOUND'),
      );
    return answer(200, {
      id,
      label: pipeline.label,
      displayOrder: 0,
      stages: pipeline.stages.map((s) => ({
        id: s.id,
        label: s.label,
        displayOrder: s.displayOrder,
        metadata: { isClosed: String(Boolean(s.isClosed)), probability: s.isClosed ? '1.0' : '0.2' },
        createdAt: '2025-06-01T12:00:00.000Z',
        updatedAt: '2025-06-01T12:00:00.000Z',
        archived: false,
      })),
      createdAt: '2025-06-01T12:00:00.000Z',
      updatedAt: '2025-06-01T12:00:00.000Z',
      archived: false,
    });
  }

  function batchReadDeals(req: FakeRequest): Answer {
    const { inputs = [], properties } = (req.json ?? {}) as { inputs?: { id: string }[]; properties?: string[] };
    const results = inputs
      .map((i) => deals.get(String(i.id)))
      .filter((d): d is HubSpotRecord => d !== undefined)
      .map((d) => present(d, properties));
    const now = new Date(clock).toISOString();
    return answer(200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
  }

  function update(req: FakeRequest, [type, id = '']: string[]): Answer {
    const objectType = type as ObjectType;
    const record = store(objectType).get(id);
    if (!record) return answer(404, hubspotError('resource not found', 'OBJECT_NOT_FOUND'));
    const properties = propertyStrings(((req.json ?? {}) as { properties?: Record<string, unknown> }).properties);
    const issues = validate(objectType, properties, record.properties);
    if (issues.length > 0) return invalid(issues);
    if (objectType === 'contacts' && properties.email !== undefined) {
      const other = contactWithEmail(properties.email);
      if (other && other.id !== record.id)
        return answer(409, hubspotError(`Contact already exists. Existing ID: ${other.id}`, 'CONFLICT'));
    }
    record.updatedAt = new Date((clock += 1000)).toISOString();
    Object.assign(record.properties, properties);
    record.properties.lastmodifieddate = record.updatedAt;
    return answer(200, present(record));
  }

  function contactDeals(_req: FakeRequest, [contactId = '']: string[]): Answer {
    if (!contacts.has(contactId))
      return answer(404, hubspotError(`Object 0-1:${contactId} not found`, 'OBJECT_NOT_FOUND'));
    const results = associations
      .filter(([, c]) => c === contactId)
      .map(([dealId]) => ({
        toObjectId: Number(dealId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }],
      }));
    return answer(200, { results });
  }

  function search(req: FakeRequest, [type]: string[]): Answer {
    const request = (req.json ?? {}) as {
      filterGroups?: { filters?: { propertyName: string; operator: string; value?: string; values?: string[] }[] }[];
      properties?: string[];
      limit?: number;
    };
    const groups = request.filterGroups ?? [];
    for (const f of groups.flatMap((g) => g.filters ?? [])) {
      if (f.operator !== 'EQ' && f.operator !== 'IN')
        return answer(400, hubspotError(`fake: operator ${f.operator} is not implemented`, 'VALIDATION_ERROR'));
    }
    // Equality on HubSpot string properties ignores case, which is what makes email lookups work.
    const matches = (
      record: HubSpotRecord,
      f: { propertyName: string; operator: string; value?: string; values?: string[] },
    ): boolean => {
      const actual = record.properties[f.propertyName]?.toLowerCase();
      const wanted = f.operator === 'EQ' ? [f.value ?? ''] : (f.values ?? []);
      return actual !== undefined && wanted.some((w) => String(w).toLowerCase() === actual);
    };
    const found = [...store(type as ObjectType).values()]
      .filter((r) => !unindexed.has(r.id))
      .filter((r) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(r, f))));
    const results = found
      .slice(0, request.limit ?? 10)
      .map((r) => present(r, request.properties ?? ['email', 'firstname', 'lastname']));
    return answer(200, { total: found.length, results });
  }

  function create(req: FakeRequest, [objectType]: string[]): Answer {
    const type = objectType as ObjectType;
    const request = (req.json ?? {}) as {
      properties?: Record<string, unknown>;
      associations?: { to?: { id?: string }; types?: { associationCategory?: string; associationTypeId?: number }[] }[];
    };
    const properties = propertyStrings(request.properties);
    const issues = validate(type, properties);
    if (issues.length > 0) return invalid(issues);
    if (type === 'contacts' && properties.email !== undefined) {
      const existing = contactWithEmail(properties.email);
      if (existing) return answer(409, hubspotError(`Contact already exists. Existing ID: ${existing.id}`, 'CONFLICT'));
    }
    const links: string[] = [];
    for (const a of request.associations ?? []) {
      const to = String(a.to?.id ?? '');
      const typeOk =
        type === 'deals' &&
        (a.types ?? []).some((t) => t.associationCategory === 'HUBSPOT_DEFINED' && t.associationTypeId === 3);
      if (!typeOk || !contacts.has(to)) {
        return answer(
          400,
          hubspotError(
            `Invalid association to object ${to} with types ${JSON.stringify(a.types ?? [])}`,
            'VALIDATION_ERROR',
          ),
        );
      }
      links.push(to);
    }
    const record = insert(type, properties);
    if (type === 'deals' && record.properties.pipeline === undefined) record.properties.pipeline = 'default';
    for (const contactId of links) associations.push([record.id, contactId]);
    return answer(201, present(record));
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: [
      'hubspot-contacts.json',
      'hubspot-deals.json',
      'hubspot-pipelines.json',
      'hubspot-owners.json',
      'hubspot-associations-v4.json',
    ],
    routes: [
      { method: 'GET', path: '/crm/v3/owners', handle: listOwners },
      { method: 'GET', path: /^\/crm\/v3\/pipelines\/deals\/([^/]+)$/, handle: pipeline },
      { method: 'POST', path: /^\/crm\/v3\/objects\/(contacts|deals)\/search$/, handle: search },
      { method: 'POST', path: '/crm/v3/objects/deals/batch/read', handle: batchReadDeals },
      { method: 'POST', path: /^\/crm\/v3\/objects\/(contacts|deals)$/, handle: create },
      { method: 'PATCH', path: /^\/crm\/v3\/objects\/(contacts|deals)\/(\d+)$/, handle: update },
      { method: 'GET', path: /^\/crm\/v4\/objects\/contacts\/(\d+)\/associations\/deals$/, handle: contactDeals },
    ],
    error: (status, message) =>
      answer(status, hubspotError(message, status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR')),
    headers: () => ({ 'content-type': 'application/json;charset=utf-8', 'x-hubspot-correlation-id': randomUUID() }),
    guard(req) {
      if (req.headers.authorization === `Bearer ${opts.accessToken}`) return undefined;
      return answer(
        401,
        hubspotError(
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          'INVALID_AUTHENTICATION',
        ),
      );
    },
    record: recordJson,
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    contacts,
    deals,
    associations,
    addOwner(email, name = { firstName: 'Sam', lastName: 'Seller' }) {
      const id = String(70_000_000 + owners.size + 1);
      owners.set(id, { id, email, ...name });
      return id;
    },
    addPipeline(id, label, stages) {
      pipelines.set(id, { label, stages });
    },
    addContact(properties) {
      return insert('contacts', properties).id;
    },
    addDeal(contactId, properties) {
      const deal = insert('deals', { pipeline: 'default', ...properties });
      associations.push([deal.id, contactId]);
      return deal.id;
    },
    failNext(status, body, match) {
      server.replyNext(answer(status, body), match);
    },
    stallNext(match) {
      server.replyNext({ hang: true }, match);
    },
    lagSearch(on) {
      searchLagging = on;
    },
    close: server.close,
  };
}

/** HubSpot takes numbers and booleans for any property and stores every value as a string. */
function propertyStrings(properties: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value),
    ]),
  );
}

function answer(status: number, body: unknown): Answer {
  return { status, body };
}
