import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../src/domain/errors.js';
import { errorCatalogue, renderedCode, type CatalogueEntry } from '../../src/http/error-catalogue.js';
import { RATE_LIMIT_POLICIES } from '../../src/http/rate-limit.js';
import type { SurfaceDialect, SurfaceId } from '../../src/http/surface.js';
import { appDialect } from '../../src/surfaces/app/plugin.js';
import { chatbotDialect } from '../../src/surfaces/chatbot/plugin.js';
import { ingestionDialect } from '../../src/surfaces/ingestion/plugin.js';
import { leadgenDialect } from '../../src/surfaces/leadgen/plugin.js';
import { qualifierDialect } from '../../src/surfaces/qualifier/plugin.js';
import { telephonyDialect } from '../../src/surfaces/telephony/plugin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const DIALECTS: Record<SurfaceId, SurfaceDialect> = {
  ingestion: ingestionDialect,
  leadgen: leadgenDialect,
  telephony: telephonyDialect,
  chatbot: chatbotDialect,
  qualifier: qualifierDialect,
  app: appDialect,
};

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
  'x-surface'?: SurfaceId;
}
interface Document {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const statusOf = (dialect: SurfaceDialect, code: ErrorCode): string =>
  String(dialect.render(new AppError(code, 'probe'), { requestId: 'req_1', now: new Date(0) }).status);

/** The statuses an operation must document, from what its security, inputs and surface imply. */
function impliedStatuses(op: Operation, surface: SurfaceId): Map<string, string> {
  const dialect = DIALECTS[surface];
  const implied = new Map<string, string>([[statusOf(dialect, 'INTERNAL'), 'every route can fail']]);
  if (op.security) {
    implied.set(statusOf(dialect, 'UNAUTHENTICATED'), 'it takes credentials');
    implied.set(statusOf(dialect, 'FORBIDDEN'), 'it takes credentials');
    if (RATE_LIMIT_POLICIES[surface]) implied.set(statusOf(dialect, 'RATE_LIMITED'), 'its surface limits credentials');
  }
  if ((op.parameters?.length ?? 0) > 0 || op.requestBody) implied.set(statusOf(dialect, 'VALIDATION'), 'it validates');
  return implied;
}

/** What an operation lacks; each entry names the gap. */
function gapsOf(op: Operation, doc: Document, catalogue: ReadonlyMap<string, CatalogueEntry>): string[] {
  const gaps: string[] = [];
  if (!op.summary?.trim()) gaps.push('summary');
  if (!op.description?.trim()) gaps.push('description');
  const bodies = Object.values(op.requestBody?.content ?? {});
  if (op.requestBody && !bodies.some((m) => m.example !== undefined || m.examples !== undefined))
    gaps.push('request example');
  if (!Object.keys(op.responses).some((s) => s.startsWith('2'))) gaps.push('2xx response');
  const surface = op['x-surface'];
  if (!surface) return [...gaps, 'x-surface'];
  for (const [status, why] of impliedStatuses(op, surface)) {
    if (!op.responses[status]) gaps.push(`${status} response (${why})`);
  }
  const codesInBody = renderedCode(
    DIALECTS[surface].render(new AppError('INTERNAL', 'probe'), { requestId: 'r', now: new Date(0) }).body,
  );
  for (const [status, response] of Object.entries(op.responses)) {
    if (Number(status) < 400 || response.content?.['application/json']?.schema?.$ref === undefined) continue;
    const ref = response.content['application/json'].schema.$ref.replace('#/components/schemas/', '');
    if (!(ref in doc.components.schemas)) gaps.push(`${status}: envelope schema ${ref}`);
    const codes = [...response.description.matchAll(/\(\/docs#errors-([A-Z0-9_]+)\)/g)].map((m) => m[1] ?? '');
    if (codes.length === 0) gaps.push(`${status}: no error code linked`);
    for (const code of codes) {
      const entry = catalogue.get(code);
      if (!entry) gaps.push(`${status}: ${code} is not in the error catalogue`);
      else if (codesInBody && !entry.uses.some((u) => u.surface === surface && String(u.status) === status))
        gaps.push(`${status}: ${surface} never answers ${code} with this status`);
    }
  }
  return gaps;
}

describe('OpenAPI completeness', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.app.inject({ url: '/openapi.json' })).json<Document>();
  });
  afterAll(async () => t.close());

  it('documents every operation: summary, description, request example, 2xx and the errors its security and inputs imply', () => {
    const catalogue = new Map(errorCatalogue(Object.values(DIALECTS)).map((e) => [e.code, e]));
    const gaps: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const gap of gapsOf(op, doc, catalogue)) gaps.push(`${method.toUpperCase()} ${path}: ${gap}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('documents error responses in the envelope of their surface, with a body its renderer gives', () => {
    const op = doc.paths['/v1/tenants/{tenant_id}/requests/{request_id}']?.get;
    const notFound = op?.responses['404']?.content?.['application/json'];
    expect(notFound?.schema?.$ref).toBe('#/components/schemas/IngestionError');
    expect(op?.responses['404']?.description).toContain('[`REQUEST_NOT_FOUND`](/docs#errors-REQUEST_NOT_FOUND)');
    expect(notFound?.example).toMatchObject({ success: false, error: { code: 'TENANT_NOT_FOUND' } });
  });

  it('links only to anchors the /docs description declares', () => {
    const anchors = new Set([...doc.info.description.matchAll(/\bid="errors-([^"]+)"/g)].map((m) => m[1]));
    const links = [...JSON.stringify(doc.paths).matchAll(/\/docs#errors-([A-Z0-9_]+)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((code) => !anchors.has(code))).toEqual([]);
  });
});
