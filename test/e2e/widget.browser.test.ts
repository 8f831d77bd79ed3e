import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, start, type Running } from '../helpers/cli.js';

/**
 * The web widget as a visitor meets it: a real server, a host page on another origin (localhost
 * against the server's 127.0.0.1) with one script tag and hostile CSS, and headless Chromium.
 * `WRITE_WIDGET_SCREENSHOT=1` also writes docs/widget.png for the README.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const ADMIN_KEY = 'fd_admin_browser_test_0123456789';
const SCREENSHOT = fileURLToPathOf('../../docs/widget.png');

function fileURLToPathOf(relative: string): string {
  return new URL(relative, import.meta.url).pathname;
}

if (!HAS_CHROMIUM) console.warn(`SKIPPED: the web widget browser test needs Chromium at ${CHROMIUM}`);

/** The tenant's site: only the script tag, and styles that would break a widget living in the page's own DOM. */
function hostPage(server: string, token: string): string {
  return `<!doctype html><html lang="en"><head><title>Acme Plumbing</title>
<style>button { display: none !important } * { font-family: serif !important; color: #c00 !important }</style></head>
<body><main><h1>Acme Plumbing</h1><p>Leaks fixed today.</p></main>
<script src="${server}/widget/embed.js" data-token="${token}" async></script></body></html>`;
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? 'web widget in Chromium' : `web widget in Chromium (SKIPPED: no ${CHROMIUM})`,
  () => {
    let dir = '';
    let server: Running;
    let base = '';
    let site: http.Server;
    let siteUrl = '';
    let apiKey = '';
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-widget-'));
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = start(
        ['serve'],
        cleanEnv({
          PORT: String(port),
          FRONTDESK_DATA_DIR: dir,
          FRONTDESK_ADMIN_KEY: ADMIN_KEY,
          LOG_LEVEL: 'warn',
        }),
      );
      await server.waitFor(/-H 'X-API-Key: \S+'\n/);
      const created = await fetch(`${base}/api/v2/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-api-key': ADMIN_KEY },
        body: JSON.stringify({
          name: 'Acme Plumbing',
          configuration: {
            branding: { primary_color: '#0f766e', company_name: 'Acme Plumbing' },
            // Name and number are all this desk asks for, so the visitor's first message leaves only the confirmation.
            chatbot: {
              default_greeting: 'Hi! This is Acme Plumbing. What can we fix for you?',
              collect_fields: ['name', 'phone'],
            },
          },
        }),
      });
      expect(created.status).toBe(201);
      const data = (
        (await created.json()) as { data: { api_keys: { primary: string }; credentials: { widget_token: string } } }
      ).data;
      apiKey = data.api_keys.primary;
      const html = hostPage(base, data.credentials.widget_token);
      site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      siteUrl = `http://localhost:${(site.address() as { port: number }).port}/`;
      browser = await chromium.launch({ executablePath: CHROMIUM });
      page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => site?.close(resolve));
      server?.child.kill('SIGTERM');
      await server?.exited(30_000).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function chatFrame(): Frame {
      const frame = page.frames().find((f) => f.url().startsWith(`${base}/widget/chat.html`));
      if (!frame) throw new Error('the chat iframe is missing');
      return frame;
    }

    // The tests compile without the DOM library, so what runs in the browser is written as source text.

    /** Where keyboard focus is: the element's id, looking into the widget's shadow root. */
    async function focused(): Promise<string> {
      return page.evaluate<string>(`(() => {
        const active = document.activeElement;
        const inner = active && active.shadowRoot && active.shadowRoot.activeElement;
        return inner ? active.id + ' > ' + inner.tagName.toLowerCase() : (active ? active.id : '');
      })()`);
    }

    /** The bubble button, inside the widget's shadow root (Playwright's CSS pierces open roots). */
    const bubble = () => page.locator('#frontdesk-widget button[aria-controls="panel"]');

    it('shows a bubble in the tenant’s colour that the keyboard reaches and opens', async () => {
      await page.goto(siteUrl);
      await page.getByRole('button', { name: 'Open chat with Acme Plumbing' }).waitFor({ timeout: 15_000 });
      const color = page.evaluate<string>(
        `getComputedStyle(document.getElementById('frontdesk-widget').shadowRoot.querySelector('button')).backgroundColor`,
      );
      expect(await color).toBe('rgb(15, 118, 110)');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('frontdesk-widget > button');
      await page.keyboard.press('Enter');
      expect(await bubble().getAttribute('aria-expanded')).toBe('true');
      expect(await bubble().getAttribute('aria-label')).toBe('Close chat with Acme Plumbing');
      const frame = chatFrame();
      await frame.getByText('Hi! This is Acme Plumbing.').waitFor();
      await expect.poll(() => frame.evaluate<string>('document.activeElement.id')).toBe('message');
    });

    it('sends a message and announces the reply in a live region', async () => {
      const frame = chatFrame();
      await page.keyboard.type('Hi, I am Jane Doe, my kitchen pipe is leaking. Call me on 415-555-0100.');
      await page.keyboard.press('Enter');
      const log = frame.getByRole('log');
      expect(await log.getAttribute('aria-live')).toBe('polite');
      await expect.poll(() => log.locator('.bot').count(), { timeout: 15_000 }).toBe(2);
      expect((await log.locator('.bot').last().innerText()).trim()).not.toBe('Assistant:');
      if (process.env.WRITE_WIDGET_SCREENSHOT === '1') await page.screenshot({ path: SCREENSHOT });
    });

    it('records the chat as a web conversation of the tenant', async () => {
      const list = await fetch(`${base}/v1/crm/conversations?channel=web`, { headers: { 'x-api-key': apiKey } });
      expect(list.status).toBe(200);
      const conversations = (await list.json()) as Array<{ id: string; channel: string }>;
      expect(conversations).toHaveLength(1);
      const detail = await fetch(`${base}/v1/crm/conversations/${conversations[0]!.id}`, {
        headers: { 'x-api-key': apiKey },
      });
      expect(JSON.stringify(await detail.json())).toContain('my kitchen pipe is leaking');
    });

    it('turns the confirmed chat into a lead of the tenant, with the name and number the visitor gave', async () => {
      const log = chatFrame().getByRole('log');
      expect(await log.locator('.bot').last().innerText()).toContain('Is that all correct?');
      await page.keyboard.type('Yes');
      await page.keyboard.press('Enter');
      await expect.poll(() => log.locator('.bot').count(), { timeout: 15_000 }).toBe(3);
      const headers = { 'x-api-key': apiKey };
      const list = await fetch(`${base}/v1/crm/conversations?channel=web`, { headers });
      const [conversation] = (await list.json()) as Array<{ id: string; lead_id: string | null }>;
      expect(conversation?.lead_id).toMatch(/^lead_/);
      const summary = await fetch(`${base}/api/v2/conversations/${conversation!.id}/summary`, { headers });
      expect(summary.status).toBe(200);
      const { data } = (await summary.json()) as {
        data: { customer: { name: string | null; phone: string | null }; outcome: { lead_id: string | null } };
      };
      expect(data.outcome.lead_id).toBe(conversation!.lead_id);
      expect(data.customer).toMatchObject({ name: 'Jane Doe', phone: '+14155550100' });
    });

    it('has no serious or critical accessibility violations in the chat or on the bubble', async () => {
      for (const target of [chatFrame(), page.mainFrame()]) {
        await target.evaluate(axe.source);
        const results = await target.evaluate<axe.AxeResults>('axe.run(document, { iframes: false })');
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
    });

    it('closes on Escape and gives focus back to the bubble', async () => {
      await chatFrame().locator('#message').focus();
      await page.keyboard.press('Escape');
      // The frame tells the page by postMessage, which a loaded machine delivers a moment later.
      await expect.poll(() => bubble().getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('#frontdesk-widget [role="dialog"]').isHidden()).toBe(true);
      await expect.poll(() => focused()).toBe('frontdesk-widget > button');
    });
  },
);
