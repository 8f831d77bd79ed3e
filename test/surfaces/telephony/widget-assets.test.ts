import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';

describe('spec C web widget assets and config', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the loader to any origin, typed, cacheable and revalidated by ETag', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/widget/embed.js',
      headers: { origin: 'https://shop.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toBe(fs.readFileSync('web/widget/embed.js', 'utf8'));
    const again = await t.app.inject({
      method: 'GET',
      url: '/widget/embed.js',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('keeps the loader small, at the size the docs state', () => {
    const { size } = fs.statSync('web/widget/embed.js');
    expect(size).toBeLessThan(6 * 1024);
    expect(fs.readFileSync('docs/api/telephony.md', 'utf8')).toContain(
      `\`embed.js\` (${size.toLocaleString('en')} bytes`,
    );
  });

  it('serves the chat page with a policy that lets any site frame it and nothing else load', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget/chat.html' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    for (const [file, type] of [
      ['chat.js', 'text/javascript; charset=utf-8'],
      ['chat.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await t.app.inject({ method: 'GET', url: `/widget/${file}` });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toBe(type);
    }
  });

  it('answers an unknown widget file 404 in spec C’s envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget/secrets.json' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toHaveProperty('detail');
  });

  it('reads the title, greeting and colour from the tenant’s branding and chatbot configuration', async () => {
    const tenant = await t.createTenant({
      name: 'Acme Plumbing',
      configuration: {
        branding: { primary_color: '#0f766e', company_name: 'Acme' },
        chatbot: { default_greeting: 'Hi from Acme! What needs fixing?' },
      },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/widget/config',
      headers: { 'x-widget-token': tenant.credentials.widget_token },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ title: 'Acme', greeting: 'Hi from Acme! What needs fixing?', color: '#0f766e' });
  });

  it('falls back to the business name, the default greeting and colour', async () => {
    const tenant = await t.createTenant({ name: 'Plain Co' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/widget/config',
      headers: { 'x-widget-token': tenant.credentials.widget_token },
    });
    expect(res.json()).toEqual({ title: 'Plain Co', greeting: 'Hello! How can I help you today?', color: '#2563eb' });
  });

  it('refuses the config without a widget token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/widget/config' });
    expect(res.statusCode).toBe(401);
  });
});
