import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';

/**
 * A vendor's published OpenAPI documents (3.0, 3.1 or Swagger 2.0), as a check on the requests a
 * fake receives: the path and method must be an operation, required path, query and header
 * parameters must be there and fit their schemas, and the body must fit the request body schema.
 * `$ref`s are resolved by ajv inside each document. Where a document says something the vendor's
 * own guides contradict, an entry in `EXCEPTIONS` says so and the check leaves it out.
 */

/** Where the documents are read from (see test/vendor-specs/README.md); unset, fakes check nothing. */
export const VENDOR_SPECS_DIR = process.env.VENDOR_SPECS_DIR;

/** A request as the fake received it. */
export interface IncomingCall {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

export interface VendorDocuments {
  /** Every way the call breaks the documents; empty when the vendor would take it. */
  check(call: IncomingCall): Promise<string[]>;
}

type Json = Record<string, unknown>;

interface DocumentException {
  document: string;
  /** Where the vendor contradicts its document. */
  why: string;
  patch(doc: Json): void;
}

/** Where a document says what the vendor does not: the document is patched before any check. */
const EXCEPTIONS: DocumentException[] = [
  {
    document: 'slack-web.json',
    why: "Slack's 2021 document names the token a required `token` header; Slack's guides (and every client) send it as `Authorization: Bearer`, which that document cannot describe",
    patch(doc) {
      const op = (doc.paths as Record<string, Json>)['/api/chat.postMessage']!.post as Json;
      op.parameters = (op.parameters as Json[]).filter((p) => !(p.in === 'header' && p.name === 'token'));
    },
  },
  {
    document: 'slack-web.json',
    why: 'the document describes form fields, where `blocks` and `attachments` are JSON text; Slack also takes a JSON body (its guides send one), in which they are arrays',
    patch(doc) {
      const op = (doc.paths as Record<string, Json>)['/api/chat.postMessage']!.post as Json;
      for (const p of op.parameters as Json[])
        if (p.name === 'blocks' || p.name === 'attachments') p.type = ['string', 'array'];
    },
  },
  {
    document: 'hubspot-contacts.json',
    why: "HubSpot's generated document marks every field required; its guides page a search with `after` only from the second page on, sort only when asked, and create a contact without associations",
    patch(doc) {
      optional(doc, 'PublicObjectSearchRequest', 'after', 'sorts');
      optional(doc, 'SimplePublicObjectInputForCreate', 'associations');
    },
  },
  {
    document: 'hubspot-deals.json',
    why: 'the same generated search schema as for contacts',
    patch: (doc) => optional(doc, 'PublicObjectSearchRequest', 'after', 'sorts'),
  },
];

function optional(doc: Json, schema: string, ...properties: string[]): void {
  const target = ((doc.components as Json).schemas as Record<string, Json>)[schema]!;
  target.required = (target.required as string[]).filter((name) => !properties.includes(name));
}

/**
 * OpenAPI 3.x: "If in is header and the name field is Accept, Content-Type or Authorization, the
 * parameter definition SHALL be ignored" — those are the media types' and security schemes' business.
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Operation {
  document: string;
  method: string;
  template: string;
  pattern: RegExp;
  /** Template parameters in the path: a literal path wins over a templated one. */
  holes: number;
  pointer: string;
  parameters: Json[];
  requestBody: Json | undefined;
  /** Swagger 2.0 `formData` parameters, gathered into one object schema. */
  formSchema: Json | undefined;
}

/** Documents already loaded in this test process: fakes start in every test, documents compile once. */
const loaded = new Map<string, VendorDocuments>();

/** Loads the named documents (file names under VENDOR_SPECS_DIR); undefined when the folder is not set. */
export function loadVendorDocuments(files: string[]): VendorDocuments | undefined {
  if (VENDOR_SPECS_DIR === undefined) return undefined;
  const key = files.join(' ');
  let documents = loaded.get(key);
  if (!documents) loaded.set(key, (documents = compileDocuments(VENDOR_SPECS_DIR, files)));
  return documents;
}

function compileDocuments(dir: string, files: string[]): VendorDocuments {
  // Two validators: bodies are JSON and keep their types; query, header, path and form values arrive as text.
  const options = {
    allErrors: true,
    logger: false,
    nullable: true,
    unknownFormats: 'ignore',
    validateSchema: false,
    schemaId: '$id',
    jsonPointers: true,
  } as const;
  const strict = new Ajv(options);
  const coercing = new Ajv({ ...options, coerceTypes: 'array' });
  const operations: Operation[] = [];
  for (const file of files) {
    const doc = normalize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json);
    for (const exception of EXCEPTIONS) if (exception.document === file) exception.patch(doc);
    strict.addSchema(doc, file);
    coercing.addSchema(doc, file);
    operations.push(...operationsOf(file, doc));
  }
  operations.sort((a, b) => a.holes - b.holes);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ajv: AjvInstance, key: string, schema: () => object): ValidateFunction => {
    const id = `${ajv === strict ? 'strict' : 'coercing'} ${key}`;
    let fn = compiled.get(id);
    if (!fn) compiled.set(id, (fn = ajv.compile(schema())));
    return fn;
  };

  return {
    async check(call) {
      const method = call.method.toLowerCase();
      const onPath = operations.filter((o) => o.pattern.test(call.path));
      const op = onPath.find((o) => o.method === method);
      const where = `${call.method} ${call.path}`;
      if (!op) {
        if (onPath.length > 0)
          return [`${where}: the document (${onPath[0]!.document}) has no ${call.method} for ${onPath[0]!.template}`];
        return [`${where}: no such path in ${files.join(', ')}`];
      }
      const problems: string[] = [];
      const say = (what: string) =>
        problems.push(`${where}: ${what} (${op.document} ${op.method.toUpperCase()} ${op.template})`);
      const fits = (ajv: AjvInstance, key: string, schema: () => object, value: unknown, label: string): void => {
        const fn = validator(ajv, `${op.pointer} ${key}`, schema);
        if (!fn(value)) say(describe(fn.errors ?? [], label));
      };

      const holes = op.pattern.exec(call.path)!.slice(1);
      const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const [i, param] of op.parameters.entries()) {
        const name = String(param.name);
        const place = String(param.in);
        const schema = () => (param.schema as object | undefined) ?? swagger2Schema(param);
        const key = `param ${i}`;
        if (place === 'path') {
          const at = names.indexOf(name);
          if (at >= 0) fits(coercing, key, schema, decodeURIComponent(holes[at] ?? ''), `path parameter "${name}"`);
        } else if (place === 'query') {
          const values = call.search.getAll(name);
          if (values.length === 0) {
            if (param.required === true) say(`missing required query parameter "${name}"`);
          } else fits(coercing, key, schema, values.length === 1 ? values[0] : values, `query parameter "${name}"`);
        } else if (place === 'header') {
          if (IGNORED_HEADERS.has(name.toLowerCase())) continue;
          const value = call.headers[name.toLowerCase()];
          if (value === undefined) {
            if (param.required === true) say(`missing required header "${name}"`);
          } else fits(coercing, key, schema, value, `header "${name}"`);
        }
      }

      if (op.formSchema) {
        const body = await decode(call, 'application/x-www-form-urlencoded');
        if (body.kind === 'unparsable') say('the body is not valid JSON or form data');
        else if (body.kind !== 'none')
          fits(body.kind === 'json' ? strict : coercing, 'form', () => op.formSchema!, body.value, 'body');
        return problems;
      }
      if (!op.requestBody) return problems;
      if (call.raw.length === 0) {
        if (op.requestBody.required === true) say('the request body is required');
        return problems;
      }
      const content = (op.requestBody.content ?? {}) as Json;
      const media = mediaFor(content, call.headers['content-type']);
      if (media === undefined) {
        say(
          `content type ${call.headers['content-type'] ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`,
        );
        return problems;
      }
      const schema = (content[media] as Json | undefined)?.schema as object | undefined;
      const body = await decode(call, media);
      if (body.kind === 'unparsable') say(`the body is not valid ${media}`);
      else if (schema && body.kind !== 'none')
        fits(body.kind === 'json' ? strict : coercing, `body ${media}`, () => schema, body.value, 'body');
      return problems;
    },
  };
}

function operationsOf(file: string, doc: Json): Operation[] {
  // Schemas are compiled apart from their document, so their references name it.
  const absolute = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(absolute);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${file}${v}` : absolute(v),
      ]),
    );
  };
  const resolve = (node: Json): Json => {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return absolute(node) as Json;
    return resolve(
      ref
        .slice(2)
        .split('/')
        .reduce<Json>((at, part) => at[part.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, doc),
    );
  };
  // The servers' path (OpenAI's `/v1`) comes before every path in the document.
  const servers = (doc.servers ?? []) as { url: string }[];
  const base = servers[0]
    ? new URL(servers[0].url).pathname.replace(/\/$/, '')
    : (typeof doc.basePath === 'string' ? doc.basePath : '').replace(/\/$/, '');
  const out: Operation[] = [];
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const shared = ((item.parameters ?? []) as Json[]).map(resolve);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const own = ((op.parameters ?? []) as Json[]).map(resolve);
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const bodyParam = parameters.find((p) => p.in === 'body');
      const formParams = parameters.filter((p) => p.in === 'formData');
      const pattern = new RegExp(`^${escapeRegExp(base + template).replace(/\\\{[^}]+\\\}/g, '([^/]+?)')}$`);
      out.push({
        document: file,
        method,
        template,
        pattern,
        holes: (template.match(/\{/g) ?? []).length,
        pointer: `/paths/${escape(template)}/${method}`,
        parameters,
        requestBody: op.requestBody
          ? resolve(op.requestBody as Json)
          : bodyParam
            ? { required: bodyParam.required, content: { 'application/json': { schema: bodyParam.schema } } }
            : undefined,
        formSchema:
          formParams.length > 0
            ? {
                type: 'object',
                properties: Object.fromEntries(formParams.map((p) => [p.name, swagger2Schema(p)])),
                required: formParams.filter((p) => p.required === true).map((p) => p.name),
              }
            : undefined,
      });
    }
  }
  return out;
}

/**
 * Reads two OpenAPI constructs the way the document's authors meant them, which JSON Schema alone
 * does not: a `discriminator` picks one `oneOf` branch by its property (so a message is checked
 * against the one schema its `type` names, not all eleven), overlapping `oneOf` shapes are read as
 * `anyOf`, and `additionalProperties: false` in
 * one `allOf` member still allows the properties its sibling members declare (Meta's WhatsApp
 * messages put the shared fields in one member and close the other; read literally, no message
 * would be valid).
 */
function normalize(doc: Json): Json {
  const lookup = (ref: string): Json | undefined =>
    ref.startsWith('#/')
      ? ref
          .slice(2)
          .split('/')
          .reduce<Json | undefined>(
            (at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')] as Json | undefined,
            doc,
          )
      : undefined;
  const members = (node: Json): Json[] =>
    (typeof node.$ref === 'string' ? [lookup(node.$ref) ?? {}] : [node]).flatMap((n) => [
      n,
      ...((n.allOf as Json[] | undefined) ?? []).flatMap(members),
    ]);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const schema = node as Json;
    for (const value of Object.values(schema)) walk(value);
    const discriminator = schema.discriminator as
      { propertyName?: string; mapping?: Record<string, string> } | undefined;
    if (discriminator?.propertyName && discriminator.mapping && Array.isArray(schema.oneOf)) {
      const property = discriminator.propertyName;
      delete schema.oneOf;
      schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), property])];
      schema.properties = {
        ...(schema.properties as Json | undefined),
        [property]: { enum: Object.keys(discriminator.mapping) },
      };
      schema.allOf = Object.entries(discriminator.mapping).map(([value, ref]) => ({
        if: { properties: { [property]: { const: value } } },
        then: { $ref: ref },
      }));
    }
    // Documents write `oneOf` for "one of these shapes" even where the shapes overlap (Deepgram's
    // `model`: a known name, or any string); the vendors take a value that fits any of them.
    if (Array.isArray(schema.oneOf)) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
    if (Array.isArray(schema.allOf)) {
      const declared = (schema.allOf as Json[])
        .flatMap(members)
        .flatMap((m) => Object.keys((m.properties as Json | undefined) ?? {}));
      for (const member of schema.allOf as Json[]) {
        if (member.additionalProperties !== false) continue;
        const own = (member.properties ?? {}) as Json;
        member.properties = {
          ...Object.fromEntries(declared.filter((name) => !(name in own)).map((name) => [name, {}])),
          ...own,
        };
      }
    }
  };
  walk(doc);
  return doc;
}

/** Swagger 2.0 puts a non-body parameter's schema on the parameter itself. */
function swagger2Schema(param: Json): Json {
  const { type, format, enum: choices, items, pattern, minimum, maximum } = param;
  return Object.fromEntries(
    Object.entries({ type, format, enum: choices, items, pattern, minimum, maximum }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

type Decoded = { kind: 'json' | 'form'; value: unknown } | { kind: 'unparsable' } | { kind: 'none' };

async function decode(call: IncomingCall, media: string): Promise<Decoded> {
  const type = call.headers['content-type'] ?? '';
  if (/[/+]json\b/.test(media) || /[/+]json\b/.test(type)) {
    try {
      return { kind: 'json', value: JSON.parse(call.raw.toString('utf8')) };
    } catch {
      return { kind: 'unparsable' };
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded'))
    return { kind: 'form', value: fields(new URLSearchParams(call.raw.toString('utf8'))) };
  if (type.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(call.raw, { headers: { 'content-type': type } }).formData();
      return { kind: 'form', value: fields(form) };
    } catch {
      return { kind: 'unparsable' };
    }
  }
  return { kind: 'none' };
}

/** Form fields as an object: `include[]` and repeated names become arrays, files stand in as their name. */
function fields(form: Iterable<[string, string | { name: string }]>): Json {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const name = key.replace(/\[\]$/, '');
    const text = typeof value === 'string' ? value : value.name;
    const before = out[name];
    out[name] = key.endsWith('[]')
      ? [...((before as string[] | undefined) ?? []), text]
      : before === undefined
        ? text
        : [...[before].flat(), text];
  }
  return out;
}

function mediaFor(content: Json, contentType: string | undefined): string | undefined {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const keys = Object.keys(content);
  return (
    keys.find((k) => k.toLowerCase() === media) ??
    keys.find((k) => k.endsWith('/*') && media.startsWith(k.slice(0, -1))) ??
    keys.find((k) => k === '*/*')
  );
}

function describe(errors: ErrorObject[], label: string): string {
  // An if/then failure repeats the error inside `then`.
  const meant = errors.filter((e) => e.keyword !== 'if');
  const shown = meant
    .slice(0, 5)
    .map(
      (e) =>
        `${label}${e.dataPath} ${e.message ?? 'is invalid'}${e.keyword === 'enum' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : ''}`,
    );
  return shown.join('; ') + (meant.length > 5 ? `; and ${meant.length - 5} more` : '');
}

/** One JSON Pointer segment, URI-escaped as ajv resolves fragments. */
function escape(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
