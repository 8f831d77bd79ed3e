import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotError, startHubSpotFake, type HubSpotFake } from '../fakes/hubspot.fake.js';
import { cleanEnv, freePort, start, type Running } from '../helpers/cli.js';
import { outboxIn } from '../surfaces/app/app-session.js';
import { addDays, dayLabel } from '../../web/app/src/appointments/calendar.js';

/**
 * The owners' and agents' web app as a person meets it: the real server (`frontdesk serve`) with
 * its committed build, in headless Chromium: reaching the app, being sent to the log-in page with
 * the page asked for remembered, signing in by keyboard, accepting an invitation, the server's
 * refusals shown in an alert, and then a day's work (a lead arriving, a handoff e-mailed, taken
 * over, answered and handed back, a viewer kept out) with axe run on every signed-in page, and
 * the platform admin's key opening the platform view (tenants, usage, health) and nothing else.
 * The owner changes today's hours in the settings and the assistant's answer changes with them.
 * `WRITE_APP_SCREENSHOTS=1` also writes docs/app-login.png, and docs/app-inbox.png,
 * app-leads.png, app-lead.png, app-analytics.png and app-settings.png of that day's work.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const ADMIN_KEY = 'fd_admin_app_browser_test_0123456789';
const LOGIN_SCREENSHOT = new URL('../../docs/app-login.png', import.meta.url).pathname;
const screenshotOf = (name: string) => new URL(`../../docs/app-${name}.png`, import.meta.url).pathname;

if (!HAS_CHROMIUM) console.warn(`SKIPPED: the web app browser test needs Chromium at ${CHROMIUM}`);

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are read field by field

/** A web-form enquiry that the qualifier scores HOT: budget, timeline and a decision maker. */
const HOT_FORM_LEAD = {
  email: 'dana.whitfield@northwind-logistics.com',
  company: 'Northwind Logistics',
  name: 'Dana Whitfield',
  message:
    'We are a 120-person sales team evaluating lead scoring software. Budget approved at $40,000 this quarter; we need a demo this week and want to sign by end of month.',
  source: 'website_form',
};

const PASSWORD = 'correct horse battery staple';
/** The settings page's sections, each a tab. */
const SETTINGS_TABS = ['Profile and hours', 'Services and prices', 'Knowledge base', 'Channels', 'Notifications'];

/** A tenant made through spec D with the admin key: its id, API key and owner token. */
async function createTenant(
  base: string,
  name = 'Harbour Dental',
  configuration: Record<string, unknown> = {},
): Promise<{ id: string; apiKey: string; ownerToken: string }> {
  const res = await fetch(`${base}/api/v2/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-api-key': ADMIN_KEY },
    body: JSON.stringify({ name, configuration }),
  });
  expect(res.status).toBe(201);
  const data = ((await res.json()) as Body).data;
  return { id: data.tenant_id ?? data.id, apiKey: data.api_keys.primary, ownerToken: data.credentials.owner_token };
}

/** The session a sign-in answer set: as headers for the API, and as cookies for a browser profile. */
interface Cookies {
  write: Record<string, string>;
  forBrowser: (base: string) => { name: string; value: string; url: string }[];
}

/** Invites a person through spec D's users route and accepts the invitation as they would. */
async function inviteAndAccept(base: string, tenantId: string, email: string, role: string): Promise<Cookies> {
  const invited = await fetch(`${base}/api/v2/tenants/${tenantId}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-api-key': ADMIN_KEY },
    body: JSON.stringify({ email, role, send_invitation: true }),
  });
  expect(invited.status).toBe(201);
  const token = ((await invited.json()) as Body).data.invitation_token as string;
  const accepted = await fetch(`${base}/app/api/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD, first_name: email.split('@')[0] }),
  });
  expect(accepted.status).toBe(201);
  const jar = new Map(accepted.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
  const cookie = `fd_session=${jar.get('fd_session')}; fd_csrf=${jar.get('fd_csrf')}`;
  return {
    write: { cookie, 'x-csrf-token': jar.get('fd_csrf') ?? '' },
    forBrowser: (url) => [...jar].map(([name, value]) => ({ name, value, url: `${url}/app` })),
  };
}

/** Signs in through the log-in form the page was sent to. */
async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to Frontdesk' }).waitFor({ timeout: 15_000 });
  const form = page.getByRole('form', { name: 'Sign in with a password' });
  await form.getByRole('textbox', { name: 'Email' }).fill(email);
  await form.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** The first message to `address` in the server's mail outbox, once the notice job has sent it. */
async function waitForMail(dir: string, address: string): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mail = outboxIn(dir).find((m) => m.to.includes(address));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Two more enquiries through the same form route, so the lists read like a working day's. */
const MORE_FORM_LEADS = [
  {
    email: 'priya.nair@brightsmile.example',
    name: 'Priya Nair',
    company: 'Bright Smile Clinics',
    message: 'We run three clinics and are comparing front-desk tools for next quarter. Could you send pricing?',
    source: 'website_form',
  },
  {
    email: 'tom.baker@example.org',
    name: 'Tom Baker',
    company: 'Baker & Sons Bakery',
    message: 'Just browsing, do you have a newsletter?',
    source: 'website_form',
  },
];

/** Waits until the page shows its heading or its refusal and nothing on it is still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1, [role="alert"]').first().waitFor({ timeout: 15_000 });
  await expect.poll(() => page.locator('[aria-label^="Loading"]').count(), { timeout: 15_000 }).toBe(0);
}

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
        cleanEnv({
          PORT: String(port),
          FRONTDESK_DATA_DIR: dir,
          FRONTDESK_ADMIN_KEY: ADMIN_KEY,
          LOG_LEVEL: 'warn',
          // Notices link to the pages of this very server, so the e-mailed link can be opened.
          PUBLIC_BASE_URL: base,
          // The requests test's CRM is a HubSpot fake on 127.0.0.1.
          FRONTDESK_ALLOW_PRIVATE_URLS: '1',
          // The webhook the owner adds in the browser points here (the discard port: every delivery fails).
          FRONTDESK_PRIVATE_URL_ALLOWLIST: '127.0.0.1:9',
        }),
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

    describe('the day’s work, signed in', () => {
      let tenant = { id: '', apiKey: '', ownerToken: '' };
      let owner: Page;
      let agent: Page;
      let viewer: Page;
      let viewerCookies: Cookies;
      let conversationId = '';
      const contexts: BrowserContext[] = [];

      /** A page in its own browser profile, so each person has their own cookies. */
      const personPage = async (): Promise<Page> => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        contexts.push(context);
        const opened = await context.newPage();
        opened.on('pageerror', (error) => broken.push(error.message));
        return opened;
      };
      const call = (method: string, url: string, body?: object, headers: Record<string, string> = {}) =>
        fetch(`${base}${url}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey, ...headers },
          body: body && JSON.stringify(body),
        });
      const visitorSays = async (text: string): Promise<Body> => {
        const res = await call('POST', '/api/v2/chat/message', {
          user_id: 'visitor_maya',
          channel: 'web',
          ...(conversationId && { conversation_id: conversationId }),
          content: { type: 'text', text },
        });
        const answer = (await res.json()) as Body;
        expect(res.status, JSON.stringify(answer)).toBe(200);
        return answer.data;
      };
      /** A new visitor's first message, so it opens a conversation of its own: the bot's answer. */
      let visitors = 0;
      const newVisitorAsks = async (text: string): Promise<string> => {
        visitors += 1;
        const res = await call('POST', '/api/v2/chat/message', {
          user_id: `visitor_new_${visitors}`,
          channel: 'web',
          content: { type: 'text', text },
        });
        const answer = (await res.json()) as Body;
        expect(res.status, JSON.stringify(answer)).toBe(200);
        return answer.data.response.text as string;
      };
      /** What the visitor's side reads of the conversation: spec D's transcript. */
      const transcript = async (): Promise<{ sender: string; content: { text: string } }[]> => {
        const res = await call('GET', `/api/v2/conversations/${conversationId}?include_messages=true`);
        return ((await res.json()) as Body).data.messages;
      };

      beforeAll(async () => {
        tenant = await createTenant(base);
        owner = await personPage();
        agent = await personPage();
        viewer = await personPage();
      }, 60_000);
      afterAll(async () => {
        for (const context of contexts) await context.close();
      });

      it('signs an invited owner in through the log-in form', async () => {
        await inviteAndAccept(base, tenant.id, 'olivia@harbourdental.example', 'owner');
        await owner.goto(`${base}/app/inbox`);
        await signIn(owner, 'olivia@harbourdental.example');
        await owner.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor({ timeout: 15_000 });
        expect(new URL(owner.url()).pathname).toBe('/app/inbox');
      });

      it('shows a web-form lead in the leads list with its tier as it arrives, over the live stream', async () => {
        const streams: { status: number; type: string | undefined }[] = [];
        let leadFetches = 0;
        owner.on('response', (response) => {
          const path = new URL(response.url()).pathname;
          if (path === '/app/api/events')
            streams.push({ status: response.status(), type: response.headers()['content-type'] });
          if (path === '/app/api/leads') leadFetches += 1;
        });
        await owner.goto(`${base}/app/leads`);
        await owner.getByRole('heading', { name: 'Leads', level: 1 }).waitFor({ timeout: 15_000 });
        // The stream is open, so the page's fallback poll (every 30 s) is off, and the list has loaded.
        await owner.getByRole('status').getByText('Live updates on').waitFor({ timeout: 15_000 });
        await owner.getByText('No leads match these filters.').waitFor({ timeout: 15_000 });
        expect(streams).toContainEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
        const fetchedBefore = leadFetches;
        const res = await call('POST', '/api/qualify', HOT_FORM_LEAD);
        expect(res.status).toBe(200);
        expect(((await res.json()) as Body).tier).toBe('HOT');
        // Well inside the fallback poll's period: only the lead.created event can have fetched the list again.
        const row = owner.getByRole('row').filter({ hasText: 'Dana Whitfield' });
        await row.waitFor({ timeout: 10_000 });
        expect(await row.getByText('HOT', { exact: true }).isVisible()).toBe(true);
        expect(leadFetches).toBeGreaterThan(fetchedBefore);
        expect(await owner.getByRole('status').getByText('Live updates on').isVisible()).toBe(true);
      });

      it('tells the agent by e-mail when a visitor asks for a person', async () => {
        await inviteAndAccept(base, tenant.id, 'sam@harbourdental.example', 'agent');
        viewerCookies = await inviteAndAccept(base, tenant.id, 'vic@harbourdental.example', 'viewer');
        const asked = await visitorSays('Can I talk to a human agent please');
        expect(asked.conversation_status).toBe('waiting_agent');
        conversationId = asked.conversation_id;
        const mail = await waitForMail(dir, 'sam@harbourdental.example');
        expect(mail.subject).toContain('A customer is waiting for a person');
        expect(mail.text).toContain(`${base}/app/conversations/${conversationId}`);
      });

      it('opens the e-mailed link through the log-in page, takes over, replies and hands back', async () => {
        await agent.goto(`${base}/app/conversations/${conversationId}`);
        await signIn(agent, 'sam@harbourdental.example');
        // The notice's link names the conversation; the app shows it in the inbox.
        await agent.waitForURL(`${base}/app/inbox/${conversationId}`, { timeout: 15_000 });
        await agent.getByRole('button', { name: 'Take over' }).click();
        await agent.getByRole('textbox', { name: 'Your reply' }).fill('Hi, this is Sam. I can book you in today.');
        await agent.getByRole('button', { name: 'Send reply' }).click();
        await agent.getByRole('log', { name: 'Messages' }).getByText('this is Sam').waitFor({ timeout: 15_000 });
        expect((await transcript()).at(-1)).toMatchObject({
          sender: 'agent',
          content: { text: 'Hi, this is Sam. I can book you in today.' },
        });
        await agent.getByRole('button', { name: 'Hand back to the bot' }).click();
        await agent.getByRole('button', { name: 'Take over' }).waitFor({ timeout: 15_000 });
        const after = await visitorSays('Thanks! What are your opening hours?');
        expect(after.conversation_status).toBe('active');
        expect(after.response?.text).toMatch(/\S/);
      }, 60_000);

      it('shows the agent that the visitor is typing, then their message, without a reload', async () => {
        const typing = agent.getByText('Visitor is typing…');
        const typed = await call('POST', '/api/v2/chat/typing', {
          conversation_id: conversationId,
          user_id: 'visitor_maya',
          channel: 'web',
          typing_duration_ms: 30_000,
        });
        expect(typed.status).toBe(200);
        await typing.waitFor({ timeout: 10_000 });
        expect(await typing.getAttribute('aria-live')).toBe('polite');
        await visitorSays('Do you take new patients on Saturdays?');
        await agent
          .getByRole('log', { name: 'Messages' })
          .getByText('new patients on Saturdays')
          .waitFor({ timeout: 10_000 });
        // The visitor's message ends the indicator, though the typing event asked for 30 seconds.
        await typing.waitFor({ state: 'detached', timeout: 10_000 });
      });

      it('does not let a viewer take over: no button on the page, and 403 from the API', async () => {
        await viewer.context().addCookies(viewerCookies.forBrowser(base));
        await viewer.goto(`${base}/app/conversations/${conversationId}`);
        await viewer.getByRole('log', { name: 'Messages' }).getByText('this is Sam').waitFor({ timeout: 15_000 });
        expect(await viewer.getByRole('button', { name: 'Take over' }).count()).toBe(0);
        expect(await viewer.getByRole('textbox', { name: 'Your reply' }).count()).toBe(0);
        const res = await fetch(`${base}/app/api/conversations/${conversationId}/takeover`, {
          method: 'POST',
          headers: viewerCookies.write,
        });
        expect(res.status).toBe(403);
      });

      it('shows an appointment booked through the CRM in the week view, confirms it, and fits a phone', async () => {
        const crm = { 'x-owner-token': tenant.ownerToken };
        const customer = await call('POST', '/v1/crm/customers', { name: 'Maya Lopez', phone: '+14155550123' }, crm);
        expect(customer.status, await customer.clone().text()).toBe(201);
        // Two days ahead, so confirming a future time; the tenant's zone is UTC, so the date is the same there.
        const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
        const booked = await call(
          'POST',
          '/v1/crm/appointments',
          {
            customer_id: ((await customer.json()) as Body).id,
            start_time: `${day}T15:00:00Z`,
            service_type: 'Cleaning',
          },
          crm,
        );
        expect(booked.status).toBe(201);
        const id = ((await booked.json()) as Body).id as string;

        await owner.goto(`${base}/app/appointments?view=week&date=${day}`);
        const card = owner.getByRole('article', { name: /Maya Lopez/ });
        await card.waitFor({ timeout: 15_000 });
        expect(await card.getByText('Booked', { exact: true }).isVisible()).toBe(true);
        expect(await card.getByText('15:00', { exact: true }).isVisible()).toBe(true);
        await card.getByRole('button', { name: 'Confirm' }).click();
        await card.getByText('Confirmed', { exact: true }).waitFor({ timeout: 15_000 });
        const after = (await (await call('GET', `/v1/crm/appointments/${id}`, undefined, crm)).json()) as Body;
        expect(after.status).toBe('confirmed');

        // By keyboard: the next week has no such appointment, and the previous one brings it back.
        await owner.getByRole('button', { name: 'Next week' }).focus();
        await owner.keyboard.press('Enter');
        await owner.getByRole('heading', { name: dayLabel(addDays(day, 7)) }).waitFor({ timeout: 15_000 });
        await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0);
        await owner.keyboard.press('Shift+Tab');
        await owner.keyboard.press('Shift+Tab');
        await owner.keyboard.press('Enter');
        await card.waitFor({ timeout: 15_000 });

        await owner.setViewportSize({ width: 375, height: 740 });
        // The navigation folds away with a transition, so the width is read once the layout has settled.
        await expect
          .poll(() => owner.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'), {
            timeout: 10_000,
          })
          .toBeLessThanOrEqual(0);
        await owner.setViewportSize({ width: 1280, height: 860 });
      }, 60_000);
      it('lets the agent give their own mobile for texted notices on the settings page', async () => {
        await agent.goto(`${base}/app/settings`);
        const form = agent.getByRole('form', { name: 'Your mobile' });
        const mobile = form.getByRole('textbox', { name: 'Mobile for notices' });
        await mobile.fill('555 0100');
        await form.getByRole('button', { name: 'Save my mobile' }).click();
        await form.getByRole('alert').waitFor({ timeout: 15_000 });
        await mobile.fill('+14155550123');
        await form.getByRole('button', { name: 'Save my mobile' }).click();
        await form.getByRole('status').getByText('Your mobile is saved.').waitFor({ timeout: 15_000 });
        const me = (await (await agent.request.get(`${base}/app/api/me`)).json()) as Body;
        expect(me.data.user.phone).toBe('+14155550123');
      });
      it('settings change business hours and the bot’s answer changes', async () => {
        const askHours = () => newVisitorAsks('Are you open? What are your opening hours?');
        const saveHours = async (change: (day: string) => [open: string, close: string]) => {
          const form = owner.getByRole('form', { name: 'Business profile and hours' });
          for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
            const [open, close] = change(day);
            await form.getByLabel(`${day} opens`).fill(open);
            await form.getByLabel(`${day} closes`).fill(close);
          }
          await form.getByRole('button', { name: 'Save profile and hours' }).click();
          await form.getByRole('status').getByText('Saved.').waitFor({ timeout: 15_000 });
        };
        const settings = (await (await owner.request.get(`${base}/app/api/settings`)).json()) as Body;
        const today = new Intl.DateTimeFormat('en-US', {
          weekday: 'long',
          timeZone: settings.data.business.timezone as string,
        }).format(new Date());

        await owner.goto(`${base}/app/settings`);
        await settled(owner);
        await saveHours(() => ['00:00', '00:00']);
        expect(await askHours()).toContain("We're open now");

        await saveHours((day) => (day === today ? ['', ''] : ['00:00', '00:00']));
        expect(await askHours()).toContain("We're closed right now");
        const kept = (await (await owner.request.get(`${base}/app/api/settings`)).json()) as Body;
        expect((kept.data.hours as Body[]).filter((h) => h.open === null)).toHaveLength(1);
      }, 60_000);

      it('adds a knowledge entry the bot answers from at once, and shows a refused value beside its field', async () => {
        await owner.goto(`${base}/app/settings`);
        await settled(owner);
        await owner.getByRole('tab', { name: 'Knowledge base' }).click();
        const entry = owner.getByRole('form', { name: 'New entry' });
        await entry.getByRole('textbox', { name: 'New entry: question' }).fill('Do you have bike parking?');
        await entry
          .getByRole('textbox', { name: 'New entry: answer' })
          .fill('Yes, bike racks stand by the front door.');
        await entry.getByRole('button', { name: 'Add entry' }).click();
        await owner.getByRole('form', { name: 'Entry 1' }).waitFor({ timeout: 15_000 });
        expect(await newVisitorAsks('Do you have bike parking?')).toContain('bike racks stand by the front door');

        await owner.getByRole('tab', { name: 'Notifications' }).click();
        const rules = owner.getByRole('form', { name: 'Notification rules' });
        const slack = rules.getByRole('textbox', { name: 'Slack webhook URL' });
        await slack.fill('http://hooks.slack.com/services/T000/B000/XXXX');
        await rules.getByRole('button', { name: 'Save notifications' }).click();
        await rules.getByRole('alert').first().waitFor({ timeout: 15_000 });
        await expect.poll(() => slack.getAttribute('aria-invalid')).toBe('true');
        expect(await rules.getByText('must be an https URL').isVisible()).toBe(true);
      }, 60_000);

      it('fits the settings on a phone’s width, every section', async () => {
        await owner.setViewportSize({ width: 375, height: 740 });
        try {
          await owner.goto(`${base}/app/settings`);
          await settled(owner);
          for (const tab of SETTINGS_TABS) {
            await owner.getByRole('tab', { name: tab }).click();
            await owner.getByRole('tabpanel', { name: tab }).waitFor();
            const overflow = await owner.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
            expect(overflow, tab).toBeLessThanOrEqual(0);
          }
        } finally {
          await owner.setViewportSize({ width: 1280, height: 860 });
        }
      }, 60_000);

      it('has no serious or critical accessibility findings on any signed-in page', async () => {
        for (const lead of MORE_FORM_LEADS) {
          const res = await call('POST', '/api/qualify', lead);
          expect(res.status, await res.text()).toBe(200);
        }
        // The owner's own session reads the list, as the page does.
        const listed = (await (await owner.request.get(`${base}/app/api/leads?limit=50`)).json()) as Body;
        const lead = (listed.data.leads as Body[]).find((l) => l.email === HOT_FORM_LEAD.email);
        // The screenshot names are the pages the README shows.
        const pages: [path: string, screenshot?: string][] = [
          ['/app/inbox'],
          [`/app/inbox/${conversationId}`, 'inbox'],
          ['/app/leads', 'leads'],
          [`/app/leads/${lead?.id as string}`, 'lead'],
          ['/app/requests'],
          ['/app/analytics', 'analytics'],
          ['/app/appointments'],
          ['/app/appointments?view=day'],
          ['/app/settings/webhooks'],
          ['/app/settings/keys'],
          ['/app/settings/users'],
          ['/app/settings', 'settings'],
        ];
        const findings: string[] = [];
        for (const [where, screenshot] of pages) {
          await owner.goto(`${base}${where}`);
          await settled(owner);
          if (screenshot === 'lead') {
            // The lead's history: at least its creation and its scoring, as a list under its heading.
            const timeline = owner.getByRole('region', { name: 'Timeline' });
            await timeline.getByRole('heading', { name: 'Timeline', level: 2 }).waitFor({ timeout: 15_000 });
            expect(await timeline.getByRole('listitem').count()).toBeGreaterThan(0);
            expect(await timeline.getByText('Lead created from', { exact: false }).isVisible()).toBe(true);
            await owner.getByRole('region', { name: 'CRM' }).getByText('No CRM configured.').waitFor();
          }
          findings.push(...(await seriousFindings(owner)).map((f) => `${where}: ${f}`));
          if (screenshot && process.env.WRITE_APP_SCREENSHOTS === '1')
            await owner.screenshot({ path: screenshotOf(screenshot) });
        }
        // The settings page is one page of several sections: each is checked as it is shown.
        await owner.goto(`${base}/app/settings`);
        await settled(owner);
        for (const tab of SETTINGS_TABS.slice(1)) {
          await owner.getByRole('tab', { name: tab }).click();
          await owner.getByRole('tabpanel', { name: tab }).locator('form, p').first().waitFor({ timeout: 15_000 });
          findings.push(...(await seriousFindings(owner)).map((f) => `/app/settings (${tab}): ${f}`));
        }
        expect(findings).toEqual([]);
      }, 120_000);

      it('lets the owner add a webhook and read its delivery log', async () => {
        await owner.goto(`${base}/app/settings/webhooks`);
        await settled(owner);
        const form = owner.getByRole('form', { name: 'Add a webhook' });
        await form.getByRole('textbox', { name: 'Endpoint URL' }).fill('http://127.0.0.1:9/hook');
        await form.getByRole('checkbox', { name: /^lead\.qualified/ }).check();
        await form.getByRole('button', { name: 'Add webhook' }).click();
        await owner.getByText('you will not see it again').waitFor({ timeout: 15_000 });
        expect(await owner.getByRole('textbox', { name: 'Signing secret' }).inputValue()).toMatch(/\S{16,}/);
        expect(await seriousFindings(owner)).toEqual([]);

        const lead = { ...HOT_FORM_LEAD, email: 'webhook.lead@northwind-logistics.com' };
        expect((await call('POST', '/api/qualify', lead)).status).toBe(200);
        const open = owner.getByRole('button', { name: 'Deliveries to http://127.0.0.1:9/hook' });
        const log = owner.getByRole('region', { name: 'Deliveries to http://127.0.0.1:9/hook' });
        // The log is read when it opens; opening it again reads it afresh until the delivery is there.
        await expect
          .poll(
            async () => {
              await open.click();
              return log.getByRole('row').filter({ hasText: 'lead.qualified' }).count();
            },
            { timeout: 20_000 },
          )
          .toBeGreaterThan(0);
        expect(await seriousFindings(owner)).toEqual([]);
      }, 60_000);

      it('rotates the API key after asking, shows the new key once, and the old key stops working', async () => {
        await owner.goto(`${base}/app/settings/keys`);
        await settled(owner);
        await owner.getByRole('button', { name: 'Rotate the API key' }).click();
        const dialog = owner.getByRole('dialog', { name: 'Rotate the API key?' });
        // Read once the dialog has faded in: mid-fade its text is pale.
        await expect.poll(() => seriousFindings(owner), { timeout: 10_000 }).toEqual([]);
        await dialog.getByRole('button', { name: 'Rotate' }).click();
        const field = owner.getByRole('textbox', { name: 'API key' });
        await field.waitFor({ timeout: 15_000 });
        await dialog.waitFor({ state: 'hidden' });
        const newKey = await field.inputValue();
        expect(newKey).toMatch(/^fd_live_/);
        expect(await owner.getByText('you will not see it again').isVisible()).toBe(true);
        expect(await seriousFindings(owner)).toEqual([]);
        await owner.getByRole('button', { name: 'I have copied it' }).click();
        expect(await field.count()).toBe(0);
        await owner.reload();
        await settled(owner);
        expect(await owner.content()).not.toContain(newKey);

        expect((await call('GET', '/api/webhooks')).status).toBe(401);
        tenant.apiKey = newKey;
        expect((await call('GET', '/api/webhooks')).status).toBe(200);
      }, 60_000);

      it('invites a person by e-mail from the team page', async () => {
        await owner.goto(`${base}/app/settings/users`);
        await settled(owner);
        const form = owner.getByRole('form', { name: 'Invite a person' });
        await form.getByRole('textbox', { name: 'Email' }).fill('nina@harbourdental.example');
        await form.getByRole('combobox', { name: 'Role' }).selectOption('viewer');
        await form.getByRole('button', { name: 'Send invitation' }).click();
        const row = owner.getByRole('row').filter({ hasText: 'nina@harbourdental.example' });
        await row.getByText('invited').waitFor({ timeout: 15_000 });
        const mail = await waitForMail(dir, 'nina@harbourdental.example');
        expect(mail.text).toContain(`${base}/app/invitations/`);
        expect(await seriousFindings(owner)).toEqual([]);
      }, 60_000);

      it('fits the settings pages to a phone’s width', async () => {
        await owner.setViewportSize({ width: 375, height: 740 });
        for (const where of ['/app/settings/webhooks', '/app/settings/keys', '/app/settings/users']) {
          await owner.goto(`${base}${where}`);
          await settled(owner);
          const overflow = await owner.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          expect(overflow, where).toBeLessThanOrEqual(0);
        }
        await owner.setViewportSize({ width: 1280, height: 860 });
      }, 60_000);

      it('fits the analytics page’s charts, figures and table to a phone’s width', async () => {
        await owner.setViewportSize({ width: 375, height: 740 });
        await owner.goto(`${base}/app/analytics`);
        await settled(owner);
        await owner.getByRole('heading', { name: 'Conversion funnel' }).waitFor();
        const overflow = await owner.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        await owner.setViewportSize({ width: 1280, height: 860 });
        expect(overflow).toBeLessThanOrEqual(0);
      });
    });

    describe('a failed request, retried', () => {
      const HUBSPOT_TOKEN = 'pat-na1-app-browser';
      let hubspot: HubSpotFake;
      let context: BrowserContext;

      beforeAll(async () => {
        hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
      });
      afterAll(async () => {
        await context?.close();
        await hubspot?.close();
      });

      it('shows the owner the failed step on the request’s timeline, and Retry runs it again to the end', async () => {
        const roofing = await createTenant(base, 'Harbour Roofing', {
          crm_config: { provider: 'hubspot', hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url },
        });
        const cookies = await inviteAndAccept(base, roofing.id, 'rita@harbourroofing.example', 'owner');
        context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        await context.addCookies(cookies.forBrowser(base));
        const rita = await context.newPage();
        rita.on('pageerror', (error) => broken.push(error.message));

        // HubSpot refuses the token once: the CRM step fails the request for good.
        hubspot.failNext(401, hubspotError('Authentication credentials not found.', 'INVALID_AUTHENTICATION'));
        const sent = await fetch(`${base}/v1/leads/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': roofing.apiKey },
          body: JSON.stringify({
            customer_name: 'Reed Porter',
            customer_email: 'reed@porterhomes.example',
            project_description: 'New roof, budget $20k, this month',
          }),
        });
        expect(sent.status).toBe(200);
        const requestId = ((await sent.json()) as Body).request_id as string;

        await rita.goto(`${base}/app/requests?status=failed`);
        await rita.getByRole('heading', { name: 'Requests', level: 1 }).waitFor({ timeout: 15_000 });
        // The list polls; the request shows up once its CRM step has failed.
        const link = rita.getByRole('link', { name: 'Reed Porter' });
        await link.waitFor({ timeout: 30_000 });
        expect(await seriousFindings(rita)).toEqual([]);
        await link.click();
        await rita.waitForURL(`${base}/app/requests/${requestId}`);
        const steps = rita.getByRole('region', { name: 'Steps' });
        await steps.getByText('Authentication credentials not found.').waitFor({ timeout: 15_000 });
        expect(await steps.getByText('Sent to the CRM').isVisible()).toBe(true);
        expect(await seriousFindings(rita)).toEqual([]);

        await rita.getByRole('button', { name: 'Retry' }).click();
        const queued = rita.getByRole('status').filter({ hasText: 'Retry queued' });
        await queued.waitFor({ timeout: 15_000 });
        expect(await queued.innerText()).toContain('Sent to the CRM');
        // The page polls the request until the retried CRM step and the rest have run.
        await rita.getByText('Done', { exact: true }).first().waitFor({ timeout: 30_000 });
        expect(await rita.getByRole('button', { name: 'Retry' }).count()).toBe(0);
        const answer = (await (await rita.request.get(`${base}/app/api/requests/${requestId}`)).json()) as Body;
        expect(answer.data.status).toBe('completed');
        expect(answer.data.steps.find((s: Body) => s.name === 'crm_integration')).toMatchObject({
          status: 'completed',
          attempts: 2,
        });

        // The lead's page tells both syncs on its timeline, and the CRM card the last one.
        const leadPath = `/app/leads/${answer.data.lead.id as string}`;
        await rita.goto(`${base}${leadPath}`);
        const crm = rita.getByRole('region', { name: 'CRM' });
        await crm.getByText('HubSpot').waitFor({ timeout: 15_000 });
        expect(await crm.getByText('synced', { exact: true }).isVisible()).toBe(true);
        const timeline = rita.getByRole('region', { name: 'Timeline' });
        expect(await timeline.getByText('Sync to hubspot failed', { exact: false }).isVisible()).toBe(true);
        expect(await timeline.getByText('Synced to hubspot').isVisible()).toBe(true);
        expect(await seriousFindings(rita)).toEqual([]);

        await rita.setViewportSize({ width: 375, height: 740 });
        for (const where of [`/app/requests/${requestId}`, '/app/requests', leadPath]) {
          await rita.goto(`${base}${where}`);
          await settled(rita);
          const overflow = await rita.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          expect(overflow, where).toBeLessThanOrEqual(0);
        }
      }, 120_000);
    });

    describe('the platform admin', () => {
      let admin: Page;
      let context: BrowserContext;

      beforeAll(async () => {
        context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        admin = await context.newPage();
        admin.on('pageerror', (error) => broken.push(error.message));
      });
      afterAll(async () => {
        await context?.close();
      });

      /** The admin-key form on its own tab of the log-in page. */
      const adminForm = async () => {
        await admin.getByRole('tab', { name: 'Platform admin' }).click();
        return admin.getByRole('form', { name: 'Sign in as the platform admin' });
      };

      it('shows the server’s refusal of a wrong admin key', async () => {
        await admin.goto(`${base}/app/login`);
        await admin.getByRole('heading', { name: 'Sign in to Frontdesk' }).waitFor({ timeout: 15_000 });
        const form = await adminForm();
        await form.getByLabel('Admin key').fill('fd_admin_not_the_key_at_all');
        await form.getByRole('button', { name: 'Open the platform view' }).click();
        const alert = form.getByRole('alert');
        await alert.waitFor({ timeout: 15_000 });
        expect(await alert.innerText()).toContain('The admin key is wrong');
        expect(new URL(admin.url()).pathname).toBe('/app/login');
      });

      it('signs in with the key to the platform view: the tenants with their usage, and the health probes', async () => {
        const form = await adminForm();
        await form.getByLabel('Admin key').fill(ADMIN_KEY);
        await form.getByRole('button', { name: 'Open the platform view' }).click();
        await admin.getByRole('heading', { name: 'Platform', level: 1 }).waitFor({ timeout: 15_000 });
        expect(new URL(admin.url()).pathname).toBe('/app/platform');
        const tenants = admin.getByRole('table', { name: /Tenants/ });
        const row = tenants.getByRole('row').filter({ hasText: 'Harbour Dental' });
        await row.waitFor({ timeout: 15_000 });
        expect(await row.innerText()).toMatch(/active/);
        const probes = admin.getByRole('list', { name: 'Health probes' }).getByRole('listitem');
        expect(await probes.count()).toBeGreaterThan(0);
        expect(await probes.first().innerText()).toMatch(/\b(ok|failing)\b/i);
        expect(await admin.getByRole('heading', { name: /^Health: (healthy|degraded|unhealthy)$/ }).count()).toBe(1);
        await admin.getByRole('button', { name: 'Refresh' }).click();
        await row.waitFor();
      });

      it('offers the admin only the platform page, and tells them so on a tenant’s page', async () => {
        const nav = admin.getByRole('navigation', { name: 'Sections' });
        expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Platform']);
        await admin.goto(`${base}/app/inbox`);
        await admin.getByRole('heading', { name: 'This page is for a tenant’s team' }).waitFor({ timeout: 15_000 });
        await admin.getByRole('link', { name: 'Open the platform view' }).click();
        await admin.getByRole('heading', { name: 'Platform', level: 1 }).waitFor({ timeout: 15_000 });
      });

      it('has no serious or critical accessibility findings on the platform pages, and fits a phone', async () => {
        const findings: string[] = [];
        for (const where of ['/app/platform', '/app/leads']) {
          await admin.goto(`${base}${where}`);
          await settled(admin);
          findings.push(...(await seriousFindings(admin)).map((f) => `${where}: ${f}`));
        }
        expect(findings).toEqual([]);
        await admin.setViewportSize({ width: 375, height: 740 });
        await admin.goto(`${base}/app/platform`);
        await settled(admin);
        const overflow = await admin.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
      }, 60_000);
    });

    it('ran every page without a script error or a content-policy refusal', () => {
      expect(broken).toEqual([]);
    });
  },
);
