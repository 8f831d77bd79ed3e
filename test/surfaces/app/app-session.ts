import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';

let addresses = 0;
/** A fresh client address, so sign-ins of unrelated tests do not share one address's attempt budget. */
export function nextAddress(): string {
  addresses += 1;
  return `192.0.2.${addresses % 250}`;
}

/** A person signed in to the web app: the cookies the browser would send and the CSRF echo. */
export interface Browser {
  cookie: string;
  csrf: string;
  /** Headers of a safe request (cookies only). */
  read: Record<string, string>;
  /** Headers of an unsafe request (cookies and the X-CSRF-Token echo). */
  write: Record<string, string>;
}

/** The session and CSRF cookies a sign-in answer set, as the browser keeps them. */
export function browserOf(res: LightMyRequestResponse): Browser {
  const jar = new Map(res.cookies.map((c) => [c.name, c.value]));
  const session = jar.get('fd_session');
  const csrf = jar.get('fd_csrf');
  if (!session || !csrf) throw new Error(`no session cookies in ${res.statusCode} ${res.body}`);
  const cookie = `fd_session=${session}; fd_csrf=${csrf}`;
  return { cookie, csrf, read: { cookie }, write: { cookie, 'x-csrf-token': csrf } };
}

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

/**
 * Requests as a signed-in browser makes them: reads with the cookies, writes with the CSRF echo
 * too. `app` is read at each call, since suites start their app in `beforeAll`.
 */
export function browserRequests(app: () => TestApp['app']) {
  return async (
    browser: Browser,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const res = await app().inject({
      method,
      url,
      headers: method === 'GET' ? browser.read : browser.write,
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json<Body>() : {}, raw: res.body };
  };
}

/** Invites a user through spec D's users route; answers the user id and the invitation token. */
export async function invite(
  t: TestApp,
  tenantId: string,
  body: { email: string; role?: string },
): Promise<{ userId: string; token: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v2/tenants/${tenantId}/users`,
    headers: t.adminHeaders,
    payload: { role: 'agent', send_invitation: true, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  const data = res.json<{ data: { user_id: string; invitation_token: string } }>().data;
  return { userId: data.user_id, token: data.invitation_token };
}

/** Invites and accepts: a signed-in, active user. */
export async function signedInUser(
  t: TestApp,
  tenantId: string,
  body: { email: string; role?: string; password?: string },
): Promise<{ userId: string; browser: Browser }> {
  const { userId, token } = await invite(t, tenantId, body);
  const res = await t.app.inject({
    method: 'POST',
    url: `/app/api/invitations/${token}/accept`,
    remoteAddress: nextAddress(),
    payload: { password: body.password ?? 'correct horse battery', first_name: 'Pat' },
  });
  if (res.statusCode !== 201) throw new Error(`accept failed: ${res.statusCode} ${res.body}`);
  return { userId, browser: browserOf(res) };
}

/** Quoted-printable as nodemailer writes long lines: soft breaks joined, `=XX` decoded. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every message in the mail outbox so far: recipients, subject and decoded text. */
export function outbox(t: TestApp): { to: string[]; subject: string; text: string }[] {
  return outboxIn(t.dataDir);
}

/** The same, for a server started as a process on the data directory `dataDir`. */
export function outboxIn(dataDir: string): { to: string[]; subject: string; text: string }[] {
  const dir = path.join(dataDir, 'outbox');
  if (!fs.existsSync(path.join(dir, 'index.jsonl'))) return [];
  return fs
    .readFileSync(path.join(dir, 'index.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; to: string[]; subject: string })
    .map((e) => ({
      to: e.to,
      subject: e.subject,
      text: decodeQuotedPrintable(fs.readFileSync(path.join(dir, e.file), 'utf8')),
    }));
}

/**
 * Waits (up to 10 s) until no job is due: the queue is never idle while a wait-limit check waits
 * for its time, so "nothing due now" is what tells that the notices have gone out.
 */
export async function settleDueJobs(t: TestApp): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const due = await t.deps.database.db
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ['queued', 'active'])
      .where('run_at', '<=', new Date().toISOString())
      .execute();
    if (due.length === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Hands a conversation to people through spec D's transfer route, then waits for the notices it queues. */
export async function transferAndSettle(
  t: TestApp,
  tenant: { apiKey: string },
  conversationId: string,
  body: object,
): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v2/conversations/${conversationId}/transfer`,
    headers: { 'x-api-key': tenant.apiKey },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  await settleDueJobs(t);
}
