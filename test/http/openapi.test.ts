import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../../scripts/openapi.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('serves an OpenAPI 3.1 document built from the route schemas', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/auth/token'].post.requestBody.content['application/json'].schema.required).toEqual([
      'client_id',
      'client_secret',
    ]);
    expect(doc.paths['/v1/metrics'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'timeframe',
      'metrics',
    ]);
    expect(doc.paths['/api/v2/health/readiness'].get.responses).toHaveProperty('503');
  });

  it('names the accepted credentials on authenticated routes and none on public ones', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(doc.paths['/api/v2/tenants'].get.security).toEqual([
      { bearer: [] },
      { apiKeyHeader: [] },
      { apiKeyScheme: [] },
      { adminKey: [] },
    ]);
    expect(doc.paths['/health'].get.security).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'apiKeyHeader', 'adminKey', 'ownerToken', 'widgetToken']),
    );
  });

  it('leaves its own routes and the UI out of the document', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs') || p === '/openapi.json')).toEqual([]);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.app.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing a route)', async () => {
    const generated = await generateOpenApi();
    expect(generated).toBe(await generateOpenApi());
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');
    if (committed === generated) return;
    const paths = (text: string) => JSON.parse(text) as { paths: Record<string, unknown> };
    const before = paths(committed).paths;
    const after = paths(generated).paths;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (p) => JSON.stringify(before[p]) !== JSON.stringify(after[p]),
    );
    expect.fail(
      `docs/openapi.json is out of date: run \`npm run openapi\` and commit the result. Paths that differ: ${changed.join(', ') || '(none; components or info differ)'}`,
    );
  });
});
