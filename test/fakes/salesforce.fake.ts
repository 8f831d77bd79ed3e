import {
  recordJson,
  startFakeServer,
  type Answer,
  type FakeRequest,
  type JsonRequest,
  type RequestMatch as ServerMatch,
} from './fake-server.js';

/**
 * Salesforce's REST API on 127.0.0.1, in the real wire format: `GET /services/data/vXX.X/query`
 * with a small SOQL parser (SELECT … FROM Lead|User WHERE a = 'x' AND … ORDER BY … LIMIT n, with
 * SOQL's backslash escapes, so an unescaped quote is a MALFORMED_QUERY), `POST` and `PATCH` on
 * `sobjects/Lead`. Errors are `[{ message, errorCode, fields? }]`; Lead writes are checked the
 * way Salesforce checks them: required LastName and Company, field lengths, email format, known
 * fields and owners, and no updates to converted Leads. Lead assignment rules run on create
 * unless the `Sforce-Auto-Assign: FALSE` header turns them off. Salesforce publishes no OpenAPI
 * document for its REST API (only per-org ones), so nothing is checked against one.
 */

export type RecordedRequest = JsonRequest;

export type SalesforceLead = Record<string, string | boolean | null>;

/** Which requests an injected failure applies to; any request when omitted. */
export interface RequestMatch {
  method?: string;
  /** Matches when the path after `/services/data/vXX.X` starts with this, e.g. `/query` or `/sobjects/Lead`. */
  path?: string;
}

export interface SalesforceFake {
  /** What the adapter takes as `instanceUrl`. */
  instanceUrl: string;
  requests: RecordedRequest[];
  /** SOQL text of every query received, decoded. */
  queries: string[];
  leads: Map<string, SalesforceLead>;
  /** Adds a user and returns its id. */
  addUser(email: string, opts?: { isActive?: boolean }): string;
  /** Seeds a Lead as if someone had entered it in Salesforce; returns its id. */
  addLead(fields: SalesforceLead): string;
  /** An active lead assignment rule that gives every new Lead to this user. */
  assignNewLeadsTo(userId: string): void;
  /** Answers the next matching request with this status and body instead of serving it. */
  failNext(status: number, body: unknown, match?: RequestMatch): void;
  /** Never answers the next matching request. */
  stallNext(match?: RequestMatch): void;
  close(): Promise<void>;
}

/** A Salesforce error body. */
export function salesforceError(errorCode: string, message: string, fields?: string[]): Record<string, unknown>[] {
  return [{ message, errorCode, ...(fields ? { fields } : {}) }];
}

/** The integration user the access token belongs to: the owner when nothing else decides. */
const API_USER_ID = '005000000000001AAA';

const LEAD_FIELDS: Record<string, { label: string; max?: number }> = {
  FirstName: { label: 'First Name', max: 40 },
  LastName: { label: 'Last Name', max: 80 },
  Company: { label: 'Company', max: 255 },
  Email: { label: 'Email', max: 80 },
  Phone: { label: 'Phone', max: 40 },
  LeadSource: { label: 'Lead Source', max: 255 },
  Rating: { label: 'Rating', max: 255 },
  Status: { label: 'Lead Status', max: 255 },
  Description: { label: 'Description', max: 32_000 },
  OwnerId: { label: 'Owner ID' },
};

const READ_ONLY = new Set(['Id', 'IsConverted', 'CreatedDate']);
const QUERYABLE: Record<string, Set<string>> = {
  Lead: new Set(['Id', 'IsConverted', 'CreatedDate', ...Object.keys(LEAD_FIELDS)]),
  User: new Set(['Id', 'Email', 'IsActive', 'Name']),
};

class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

type Literal = string | boolean | null;
type Token = { kind: 'word'; text: string } | { kind: 'string'; value: string } | { kind: 'symbol'; text: string };

interface SoqlQuery {
  fields: string[];
  object: string;
  where: { field: string; value: Literal }[];
  orderBy?: { field: string; desc: boolean };
  limit?: number;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= soql.length)
          throw new SoqlError('MALFORMED_QUERY', `line 1:${i} mismatched character '<EOF>' expecting '''`);
        const c = soql[i]!;
        if (c === "'") break;
        if (c === '\\') {
          const escaped = ESCAPES[soql[i + 1] ?? ''];
          if (escaped === undefined)
            throw new SoqlError(
              'MALFORMED_QUERY',
              `Invalid string literal '${soql.slice(0, i + 2)}'. Illegal character sequence '\\${soql[i + 1] ?? ''}' in string literal.`,
            );
          value += escaped;
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', value });
    } else if (/[A-Za-z0-9_.]/.test(ch)) {
      const word = /^[A-Za-z0-9_.]+/.exec(soql.slice(i))![0];
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    } else if (ch === '=' || ch === ',') {
      tokens.push({ kind: 'symbol', text: ch });
      i++;
    } else {
      throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${ch}'`);
    }
  }
  return tokens;
}

function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let at = 0;
  const unexpected = (): SoqlError => {
    const t = tokens[at];
    const text = t === undefined ? '<EOF>' : t.kind === 'string' ? `'${t.value}'` : t.text;
    return new SoqlError('MALFORMED_QUERY', `\n${soql}\n^\nERROR at Row:1:Column:${at}\nunexpected token: ${text}`);
  };
  const keyword = (word: string): boolean => {
    const t = tokens[at];
    if (t?.kind === 'word' && t.text.toUpperCase() === word) {
      at++;
      return true;
    }
    return false;
  };
  const expectKeyword = (word: string): void => {
    if (!keyword(word)) throw unexpected();
  };
  const identifier = (): string => {
    const t = tokens[at];
    if (t?.kind !== 'word') throw unexpected();
    at++;
    return t.text;
  };

  expectKeyword('SELECT');
  const fields = [identifier()];
  while (tokens[at]?.kind === 'symbol' && (tokens[at] as { text: string }).text === ',') {
    at++;
    fields.push(identifier());
  }
  expectKeyword('FROM');
  const object = identifier();
  const query: SoqlQuery = { fields, object, where: [] };
  if (keyword('WHERE')) {
    do {
      const field = identifier();
      const eq = tokens[at];
      if (eq?.kind !== 'symbol' || eq.text !== '=') throw unexpected();
      at++;
      const value = tokens[at];
      if (value?.kind === 'string') query.where.push({ field, value: value.value });
      else if (value?.kind === 'word' && /^(true|false|null)$/i.test(value.text)) {
        query.where.push({
          field,
          value: value.text.toLowerCase() === 'null' ? null : value.text.toLowerCase() === 'true',
        });
      } else throw unexpected();
      at++;
    } while (keyword('AND'));
  }
  if (keyword('ORDER')) {
    expectKeyword('BY');
    const field = identifier();
    const desc = keyword('DESC');
    if (!desc) keyword('ASC');
    query.orderBy = { field, desc };
  }
  if (keyword('LIMIT')) {
    const t = tokens[at];
    if (t?.kind !== 'word' || !/^\d+$/.test(t.text)) throw unexpected();
    query.limit = Number(t.text);
    at++;
  }
  if (at < tokens.length) throw unexpected();

  const known = QUERYABLE[object];
  if (!known)
    throw new SoqlError('INVALID_TYPE', `\n${soql}\n^\nERROR at Row:1\nsObject type '${object}' is not supported.`);
  for (const field of [
    ...fields,
    ...query.where.map((w) => w.field),
    ...(query.orderBy ? [query.orderBy.field] : []),
  ]) {
    if (!known.has(field))
      throw new SoqlError(
        'INVALID_FIELD',
        `\n${soql}\n^\nERROR at Row:1\nNo such column '${field}' on entity '${object}'.`,
      );
  }
  return query;
}

export async function startSalesforceFake(opts: { accessToken: string }): Promise<SalesforceFake> {
  const queries: string[] = [];
  const leads = new Map<string, SalesforceLead>();
  const users = new Map<string, { Id: string; Email: string; IsActive: boolean; Name: string }>([
    [API_USER_ID, { Id: API_USER_ID, Email: 'integration@acme.example', IsActive: true, Name: 'Integration User' }],
  ]);
  let assignmentOwner: string | undefined;
  let leadCount = 0;
  let clock = Date.parse('2026-01-05T09:00:00.000Z');

  function sfId(prefix: string, n: number): string {
    return `${prefix}${String(n).padStart(12, '0')}AAA`;
  }

  function insertLead(fields: SalesforceLead): string {
    const id = sfId('00Q', ++leadCount);
    leads.set(id, {
      IsConverted: false,
      OwnerId: API_USER_ID,
      ...fields,
      Id: id,
      CreatedDate: new Date((clock += 1000)).toISOString().replace('Z', '+0000'),
    });
    return id;
  }

  /** Salesforce's checks on a Lead write, in the order it reports them. */
  function checkLead(
    fields: Record<string, unknown>,
    merged: Record<string, unknown>,
  ): Record<string, unknown>[] | undefined {
    for (const name of Object.keys(fields)) {
      if (READ_ONLY.has(name))
        return salesforceError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [name],
        );
      if (!LEAD_FIELDS[name])
        return salesforceError('INVALID_FIELD', `No such column '${name}' on sobject of type Lead`);
    }
    const missing = ['LastName', 'Company'].filter(
      (name) => merged[name] === undefined || merged[name] === null || merged[name] === '',
    );
    if (missing.length > 0)
      return salesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    for (const [name, value] of Object.entries(fields)) {
      const max = LEAD_FIELDS[name]?.max;
      if (typeof value === 'string' && max !== undefined && value.length > max) {
        return salesforceError(
          'STRING_TOO_LONG',
          `${LEAD_FIELDS[name]!.label}: data value too large: ${value.slice(0, 40)} (max length=${max})`,
          [name],
        );
      }
    }
    if (typeof fields.Email === 'string' && fields.Email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fields.Email)) {
      return salesforceError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${fields.Email}`, ['Email']);
    }
    if (fields.OwnerId !== undefined) {
      const ownerId = typeof fields.OwnerId === 'string' ? fields.OwnerId : JSON.stringify(fields.OwnerId);
      const owner = users.get(ownerId);
      if (!owner)
        return salesforceError('FIELD_INTEGRITY_EXCEPTION', `Owner ID: id value of incorrect type: ${ownerId}`, [
          'OwnerId',
        ]);
      if (!owner.IsActive)
        return salesforceError(
          'INACTIVE_OWNER_OR_USER',
          `operation performed with inactive user [${owner.Id}] as owner of lead`,
        );
    }
    return undefined;
  }

  function runQuery(
    soql: string,
    version: string,
  ): { totalSize: number; done: true; records: Record<string, unknown>[] } {
    const q = parseSoql(soql);
    const rows: Record<string, unknown>[] = q.object === 'Lead' ? [...leads.values()] : [...users.values()];
    // `=` on text ignores case in SOQL.
    const same = (a: unknown, b: Literal) =>
      typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : (a ?? null) === b;
    let found = rows.filter((row) => q.where.every((w) => same(row[w.field], w.value)));
    if (q.orderBy) {
      const { field, desc } = q.orderBy;
      found = [...found].sort((a, b) => String(a[field]).localeCompare(String(b[field])) * (desc ? -1 : 1));
    }
    if (q.limit !== undefined) found = found.slice(0, q.limit);
    const records = found.map((row) => ({
      attributes: { type: q.object, url: `/services/data/v${version}/sobjects/${q.object}/${String(row.Id)}` },
      ...Object.fromEntries(q.fields.map((f) => [f, row[f] ?? null])),
    }));
    return { totalSize: records.length, done: true, records };
  }

  const VERSIONED = '^\\/services\\/data\\/v(\\d+\\.\\d)';

  function query(req: FakeRequest, [version = '']: string[]): Answer {
    const soql = req.query.q ?? '';
    queries.push(soql);
    try {
      return answer(200, runQuery(soql, version));
    } catch (err) {
      if (err instanceof SoqlError) return answer(400, salesforceError(err.errorCode, err.message));
      throw err;
    }
  }

  function createLead(req: FakeRequest): Answer {
    const fields = leadFields(req);
    if (fields instanceof Array) return answer(400, fields);
    const problem = checkLead(fields, fields);
    if (problem) return answer(400, problem);
    const autoAssign = String(req.headers['sforce-auto-assign'] ?? 'TRUE').toUpperCase() !== 'FALSE';
    const id = insertLead({
      ...(fields as SalesforceLead),
      ...(autoAssign && assignmentOwner ? { OwnerId: assignmentOwner } : {}),
    });
    return answer(201, { id, success: true, errors: [] });
  }

  function updateLead(req: FakeRequest, [, id = '']: string[]): Answer {
    const current = leads.get(id);
    if (!current) return answer(404, salesforceError('NOT_FOUND', 'The requested resource does not exist'));
    if (current.IsConverted === true)
      return answer(400, salesforceError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead'));
    const fields = leadFields(req);
    if (fields instanceof Array) return answer(400, fields);
    const problem = checkLead(fields, { ...current, ...fields });
    if (problem) return answer(400, problem);
    Object.assign(current, fields);
    return { status: 204 };
  }

  const server = await startFakeServer<RecordedRequest>({
    routes: [
      { method: 'GET', path: new RegExp(`${VERSIONED}\\/query$`), handle: query },
      { method: 'POST', path: new RegExp(`${VERSIONED}\\/sobjects\\/Lead$`), handle: createLead },
      { method: 'PATCH', path: new RegExp(`${VERSIONED}\\/sobjects\\/Lead\\/(\\w+)$`), handle: updateLead },
    ],
    error: (status, message) =>
      answer(
        status,
        salesforceError(
          status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST',
          status === 404 ? 'The requested resource does not exist' : message,
        ),
      ),
    headers: () => ({ 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': 'api-usage=42/15000' }),
    guard(req) {
      const token = /^(?:Bearer|OAuth) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token !== opts.accessToken)
        return answer(401, salesforceError('INVALID_SESSION_ID', 'Session expired or invalid'));
      const version = Number(new RegExp(VERSIONED).exec(req.path)?.[1]);
      if (version < 31 || version > 64)
        return answer(404, salesforceError('NOT_FOUND', 'The requested resource does not exist'));
      return undefined;
    },
    record: recordJson,
  });

  /** A match on the path after `/services/data/vXX.X`, as the scaffold matches whole paths. */
  const versioned = (match: RequestMatch = {}): ServerMatch => ({
    ...match,
    path: new RegExp(`${VERSIONED}${(match.path ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
  });

  return {
    instanceUrl: server.url,
    requests: server.requests,
    queries,
    leads,
    addUser(email, { isActive = true } = {}) {
      const id = sfId('005', users.size + 1);
      users.set(id, { Id: id, Email: email, IsActive: isActive, Name: email.split('@')[0] ?? email });
      return id;
    },
    addLead(fields) {
      return insertLead(fields);
    },
    assignNewLeadsTo(userId) {
      assignmentOwner = userId;
    },
    failNext(status, body, match) {
      server.replyNext(answer(status, body), versioned(match));
    },
    stallNext(match) {
      server.replyNext({ hang: true }, versioned(match));
    },
    close: server.close,
  };
}

/** A write's fields, or Salesforce's error for a body that is not JSON. */
function leadFields(req: FakeRequest): Record<string, unknown> | Record<string, unknown>[] {
  if (req.raw.length > 0 && req.json === undefined)
    return salesforceError('JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON value');
  return (req.json ?? {}) as Record<string, unknown>;
}

function answer(status: number, body: unknown): Answer {
  return { status, body };
}
