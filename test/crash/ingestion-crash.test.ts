import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTimestamped } from '../../src/channels/callrail.js';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot.fake.js';
import { CHILD_TIMEOUT_MS, cleanEnv, freePort, start, type Running } from '../helpers/cli.js';

const ADMIN_KEY = 'fd_admin_crash_test_key_0001';
const MASTER_KEY = 'crash-test-master-key-0123456789abcdef';
const HUBSPOT_TOKEN = 'pat-na1-crash';
const TENANT_ID = 'crash_co';
const SENDERS = 4;
/** Streaming time before the SIGKILL, counted from the first CRM write, so the kill lands while every step kind is busy. */
const STREAM_BEFORE_KILL_MS = 1_500;
const SENT_AFTER_RESTART_PER_SENDER = 5;
/**
 * Each sender's pause between calls. Unpaced, the server acknowledges thousands of calls a second
 * (workers yield to HTTP meanwhile), so the backlog at the kill would outgrow the drain timeout.
 */
const SEND_INTERVAL_MS = 10;
/** Jobs the dead process held come back once their 30 s lease runs out, which mostly overlaps the restart. */
const DRAIN_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 15_000;
const DEAL_CREATE = { method: 'POST', path: '/crm/v3/objects/deals' } as const;

interface Acknowledged {
  requestId: string;
  callId: string;
  phone: string;
}

/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

describe(
  'CallRail ingestion across a SIGKILL of the server',
  { timeout: 2 * CHILD_TIMEOUT_MS + DRAIN_TIMEOUT_MS },
  () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    let url: string;
    let hubspot: HubSpotFake;
    let server: Running | undefined;
    let db: Database.Database | undefined;
    let webhookSecret: string;
    let apiKey: string;
    const acknowledged: Acknowledged[] = [];
    /** Answers other than 200: any of them fails the run. */
    const unexpected: string[] = [];
    let sequence = 0;
    const atKill = { unfinished: 0, contacts: 0, syncs: 0 };

    const startServer = async () => {
      const running = start(['serve'], env);
      await running.waitFor(/Frontdesk is running at /);
      return running;
    };

    const database = () => {
      db ??= new Database(path.join(dataDir, 'frontdesk.db'), { readonly: true, fileMustExist: true });
      return db;
    };

    const statusesOf = (requests: readonly Acknowledged[]): string[] => {
      const rows = database()
        .prepare<[string], { id: string; status: string }>(
          'SELECT id, status FROM ingestion_requests WHERE tenant_id = ?',
        )
        .all(TENANT_ID);
      const byId = new Map(rows.map((r) => [r.id, r.status]));
      return requests.map((a) => byId.get(a.requestId) ?? 'missing');
    };

    /** One call with its own call id and caller number; resolves with the acknowledgement, or undefined when the server is gone. */
    const sendCall = async (): Promise<Acknowledged | undefined> => {
      sequence += 1;
      const callId = `CALcrash${String(sequence).padStart(5, '0')}`;
      const phone = `+1512555${String(sequence).padStart(4, '0')}`;
      const raw = JSON.stringify({
        call_id: callId,
        tenant_id: TENANT_ID,
        caller_id: phone,
        caller_name: 'Pat Jones',
        duration: '95',
        answered: true,
      });
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(`${url}/v1/callrail/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-timestamp': String(timestamp),
            'x-callrail-signature': signTimestamped(webhookSecret, timestamp, raw),
          },
          body: raw,
        });
        const text = await res.text();
        if (res.status !== 200) {
          unexpected.push(`${res.status} ${text}`);
          return undefined;
        }
        const body: Body = JSON.parse(text);
        return { requestId: body.request_id, callId, phone };
      } catch {
        // Refused or reset: the server was killed with this call in flight, so it was never acknowledged.
        return undefined;
      }
    };

    /** Sends calls one after another until `done` says stop or the server stops answering. */
    const sender = async (done: () => boolean) => {
      while (!done()) {
        const ack = await sendCall();
        if (!ack) return;
        acknowledged.push(ack);
        await sleep(SEND_INTERVAL_MS);
      }
    };

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-crash-'));
      hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      env = cleanEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        FRONTDESK_DATA_DIR: dataDir,
        FRONTDESK_ADMIN_KEY: ADMIN_KEY,
        FRONTDESK_MASTER_KEY: MASTER_KEY,
        FRONTDESK_DEMO: '0',
        // The HubSpot fake listens on loopback, which outbound calls refuse by default.
        FRONTDESK_ALLOW_PRIVATE_URLS: '1',
        LOG_LEVEL: 'warn',
      });
      server = await startServer();
      const res = await fetch(`${url}/api/v2/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-api-key': ADMIN_KEY },
        body: JSON.stringify({
          tenant_id: TENANT_ID,
          name: 'Crash Co',
          plan: 'enterprise',
          configuration: {
            crm_config: { provider: 'hubspot', hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url },
            rate_limits: { multiplier: 1000 },
          },
        }),
      });
      const created: Body = await res.json();
      expect(res.status, JSON.stringify(created)).toBe(201);
      webhookSecret = created.data.credentials.webhook_secret;
      apiKey = created.data.api_keys.primary;
    }, CHILD_TIMEOUT_MS);

    afterAll(async () => {
      db?.close();
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited(SHUTDOWN_TIMEOUT_MS);
      }
      await hubspot.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('completes every call acknowledged before the SIGKILL and after the restart', async () => {
      const first = server!;
      let killed = false;
      // The first deal create is never answered: its sync has written a contact to HubSpot and is held
      // there until the kill, so every run crashes inside the window between a CRM write and its record.
      hubspot.stallNext(DEAL_CREATE);
      const streaming = Array.from({ length: SENDERS }, () => sender(() => killed));
      const stalledBy = Date.now() + DRAIN_TIMEOUT_MS;
      while (!hubspot.requests.some((r) => r.method === DEAL_CREATE.method && r.path === DEAL_CREATE.path)) {
        if (Date.now() > stalledBy || unexpected.length > 0)
          throw new Error(
            `no HubSpot deal create arrived; ${acknowledged.length} calls acknowledged; ${unexpected.join('; ')}`,
          );
        await sleep(10);
      }
      await sleep(STREAM_BEFORE_KILL_MS);
      first.child.kill('SIGKILL');
      killed = true;
      expect((await first.exited(SHUTDOWN_TIMEOUT_MS)).signal).toBe('SIGKILL');
      await Promise.all(streaming);
      const beforeRestart = acknowledged.length;
      atKill.unfinished = statusesOf(acknowledged).filter((s) => s !== 'completed').length;
      atKill.contacts = hubspot.contacts.size;
      atKill.syncs =
        database()
          .prepare<[string], { n: number }>('SELECT count(*) AS n FROM crm_syncs WHERE tenant_id = ?')
          .get(TENANT_ID)?.n ?? 0;

      server = await startServer();
      await Promise.all(
        Array.from({ length: SENDERS }, () => {
          let left = SENT_AFTER_RESTART_PER_SENDER;
          return sender(() => left-- <= 0);
        }),
      );
      expect(unexpected).toEqual([]);
      expect(acknowledged.length).toBe(beforeRestart + SENDERS * SENT_AFTER_RESTART_PER_SENDER);

      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      let statuses = statusesOf(acknowledged);
      while (statuses.some((s) => s !== 'completed') && Date.now() < deadline) {
        await sleep(250);
        statuses = statusesOf(acknowledged);
      }
      const tally = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
      expect(
        tally,
        `${beforeRestart} acknowledged before the kill, ${atKill.unfinished} of them unfinished then`,
      ).toEqual({ completed: acknowledged.length });
    });

    it('was killed with acknowledged calls unfinished and HubSpot holding contacts whose sync was not yet recorded', () => {
      expect(atKill.unfinished).toBeGreaterThan(0);
      expect(atKill.contacts).toBeGreaterThan(atKill.syncs);
    });

    it('stores each acknowledged call exactly once, under the request id it answered with', () => {
      const rows = database()
        .prepare<[string], { external_id: string; ids: string; n: number }>(
          'SELECT external_id, group_concat(id) AS ids, count(*) AS n FROM ingestion_requests WHERE tenant_id = ? GROUP BY external_id',
        )
        .all(TENANT_ID);
      const byCall = new Map(rows.map((r) => [r.external_id, r]));
      expect(rows.filter((r) => r.n > 1)).toEqual([]);
      for (const a of acknowledged) expect(byCall.get(a.callId)?.ids, a.callId).toBe(a.requestId);
    });

    it('shows each acknowledged request completed with its ai_analysis step completed, through the API', async () => {
      const pending = [...acknowledged];
      const failures: string[] = [];
      // The tenant's own key: the admin's management budget (25 per 10 s) would refuse a read per call.
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let a = pending.pop(); a; a = pending.pop()) {
            const res = await fetch(`${url}/v1/tenants/${TENANT_ID}/requests/${a.requestId}`, {
              headers: { 'x-api-key': apiKey },
            });
            const data = ((await res.json()) as Body).data;
            const ai = (data?.processing_steps as { step: string; status: string }[] | undefined)?.find(
              (s) => s.step === 'ai_analysis',
            );
            if (res.status !== 200 || data.status !== 'completed' || ai?.status !== 'completed')
              failures.push(`${a.requestId}: ${res.status} ${data?.status} ai_analysis ${ai?.status}`);
          }
        }),
      );
      expect(failures).toEqual([]);
    });

    it('leaves exactly one HubSpot contact with one deal per acknowledged call, and no caller twice', () => {
      const counts = new Map<string | undefined, number>();
      for (const c of hubspot.contacts.values())
        counts.set(c.properties.phone, (counts.get(c.properties.phone) ?? 0) + 1);
      expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
      const missing = acknowledged.filter((a) => counts.get(a.phone) !== 1);
      // What the store says about a call without its contact, so a failure explains itself.
      const explain = missing.map((a) => ({
        call: a,
        steps: database()
          .prepare(
            'SELECT step, status, reason, error, attempts FROM ingestion_steps WHERE tenant_id = ? AND request_id = ?',
          )
          .all(TENANT_ID, a.requestId),
        syncs: database()
          .prepare('SELECT status, crm_record_id, error FROM crm_syncs WHERE tenant_id = ? AND request_id = ?')
          .all(TENANT_ID, a.requestId),
        hubspot: hubspot.requests
          .filter((r) => JSON.stringify(r.body ?? '').includes(a.phone))
          .map((r) => `${r.method} ${r.path}`),
      }));
      expect(
        missing.map((a) => a.phone),
        JSON.stringify(explain),
      ).toEqual([]);
      const dealsOf = new Map<string, number>();
      for (const [, contactId] of hubspot.associations) dealsOf.set(contactId, (dealsOf.get(contactId) ?? 0) + 1);
      const contactOf = new Map([...hubspot.contacts.values()].map((c) => [c.properties.phone, c.id]));
      expect(acknowledged.filter((a) => dealsOf.get(contactOf.get(a.phone) ?? '') !== 1).map((a) => a.phone)).toEqual(
        [],
      );
    });
  },
);
