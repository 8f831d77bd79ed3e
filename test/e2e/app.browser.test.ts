import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, start, type Running } from '../helpers/cli.js';

/**
 * The owners' and agents' web app as a person meets it: the real server (`frontdesk serve`) with
 * its committed build, in headless Chromium. What it covers is what this server answers today:
 * reaching the app, being sent to the log-in page with the page asked for remembered, signing in
 * by keyboard, accepting an invitation, and the server's refusals shown in an alert. `WRITE_APP_SCREENSHOTS=1` also writes
 * docs/app-login.png.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const ADMIN_KEY = 'fd_admin_app_browser_test_0123456789';
const LOGIN_SCREENSHOT = new URL('../../docs/app-login.png', import.meta.url).pathname;

if (!HAS_CHROMIUM) console.warn(`SKIPPED: the web app browser test needs Chromium at ${CHROMIUM}`);

/** axe's serious and critical findings on the page as it is now, one line each. */
async function seriousFindings(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate<axe.AxeResults>('axe.run(document)');
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? 'web app in Chromium' : `web app in Chromium (SKIPPED: no ${CHROMIUM})`,
  () => {
    let dir = '';
    let server: Running;
    let base = '';
    let browser: Browser;
    let page: Page;
    /** Uncaught script errors and content-policy refusals: either means the page is broken for someone. */
    const broken: string[] = [];

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-app-'));
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = start(
        ['serve'],
        cleanEnv({ PORT: String(port), FRONTDESK_DATA_DIR: dir, FRONTDESK_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'warn' }),
      );
      await server.waitFor(/-H 'X-API-Key: \S+'\n/);
      browser = await chromium.launch({ executablePath: CHROMIUM });
      page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      page.on('pageerror', (error) => broken.push(error.message));
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) broken.push(message.text());
      });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      server?.child.kill('SIGTERM');
      await server?.exited(30_000).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('sends a signed-out visitor of a page to the log-in page, remembering the page', async () => {
      await page.goto(`${base}/app/leads?tier=HOT`);
      await page.getByRole('heading', { name: 'Sign in to Frontdesk' }).waitFor({ timeout: 15_000 });
      const url = new URL(page.url());
      expect(url.pathname).toBe('/app/login');
      expect(url.searchParams.get('next')).toBe('/app/leads?tier=HOT');
    });

    it('reaches the app from the server’s root', async () => {
      await page.goto(`${base}/`);
      await page.getByRole('heading', { name: 'Sign in to Frontdesk' }).waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).pathname).toBe('/app/login');
    });

    it('signs in by keyboard alone and shows the server’s refusal of an unknown account', async () => {
      await page.getByRole('textbox', { name: 'Email' }).focus();
      await page.keyboard.type('nobody@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type('not-a-password');
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 15_000 });
      expect((await alert.innerText()).trim()).not.toBe('');
      expect(new URL(page.url()).pathname).toBe('/app/login');
    });

    it('offers an emailed sign-in link on its own labelled tab', async () => {
      await page.getByRole('tab', { name: 'Email link' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Email link' });
      await panel.getByRole('textbox', { name: 'Email' }).waitFor();
      expect(await panel.getByRole('button', { name: 'Email me a sign-in link' }).isVisible()).toBe(true);
      await page.getByRole('tab', { name: 'Password' }).click();
    });

    it('has no serious or critical accessibility findings on the log-in page', async () => {
      expect(await seriousFindings(page)).toEqual([]);
      await page.getByRole('tab', { name: 'Email link' }).click();
      expect(await seriousFindings(page)).toEqual([]);
      await page.getByRole('tab', { name: 'Password' }).click();
    });

    it('lets an invited person choose a name and password, and shows the refusal of an unknown invitation', async () => {
      await page.goto(`${base}/app/invitations/inv_unknown_token`);
      await page.getByRole('heading', { name: 'Join your team on Frontdesk' }).waitFor({ timeout: 15_000 });
      expect(await seriousFindings(page)).toEqual([]);
      await page.getByRole('textbox', { name: 'First name' }).fill('Sam Agent');
      await page.getByLabel('Choose a password').fill('a long enough password');
      await page.getByRole('button', { name: 'Accept and sign in' }).click();
      await page.getByRole('alert').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).pathname).toBe('/app/invitations/inv_unknown_token');
    });

    it('fits a phone’s width without sideways scrolling', async () => {
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(`${base}/app/login`);
      await page.getByRole('heading', { name: 'Sign in to Frontdesk' }).waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      if (process.env.WRITE_APP_SCREENSHOTS === '1') await page.screenshot({ path: LOGIN_SCREENSHOT });
    });

    it('ran every page without a script error or a content-policy refusal', () => {
      expect(broken).toEqual([]);
    });
  },
);
