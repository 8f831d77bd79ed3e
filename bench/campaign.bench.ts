import { load, startBareServer, startRealServer } from './harness.js';

/** Leads uploaded per run: enough for the dialler's batches of 25 to settle, few enough to stay well under a minute. */
const LEADS = 1000;
/** The run gives up after this long, so a regression cannot hang the bench. */
const MAX_WAIT_MS = 40_000;

const phones = (n: number) =>
  Array.from({ length: n }, (_, i) => `+9198${String(10_000_000 + i).padStart(8, '0')}`).join('\n');

async function call(url: string, init: RequestInit & { apiKey: string }) {
  const res = await fetch(url, { ...init, headers: { 'x-api-key': init.apiKey, ...(init.headers ?? {}) } });
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/**
 * `npm run bench -- campaign`: spec B's dialler on the simulator. Over HTTP: a campaign, LEADS
 * leads by CSV, start; then the dial runs (the worker's jobs, and the same run driven here so the
 * figure is the dialler's, not the job schedule's) until every lead has an outcome. Dials and
 * outcomes per second are set beside the bare Fastify constant route's requests per second.
 */
export async function benchCampaign(seconds: number): Promise<void> {
  const real = await startRealServer();
  const bare = await startBareServer();
  try {
    const { tenant, credentials } = await real.deps.services.tenants.create(
      { kind: 'cli', id: null, tenantId: null, requestId: null, mode: 'live' },
      {
        tenant_id: 'bench',
        name: 'Bench Co',
        plan: 'enterprise',
        configuration: {
          rate_limits: { multiplier: 1000 },
          campaigns: { dialer: 'simulator', calling_hours: { start: '00:00', end: '23:59' } },
        },
      },
    );
    const apiKey = credentials.api_key;
    const body = JSON.stringify({
      name: 'Bench',
      niche: 'real_estate',
      client_name: 'Bench Co',
      client_service: 'Apartments',
      target_cities: ['Mumbai'],
      target_lead_count: LEADS,
      daily_call_limit: 100_000,
    });
    const json = { 'content-type': 'application/json' };
    const campaign = await call(`${real.url}/api/campaigns/`, { method: 'POST', apiKey, headers: json, body });
    const id = String(campaign.id);
    const csv = `phone\n${phones(LEADS)}\n`;
    const upload = await call(`${real.url}/api/campaigns/${id}/leads/upload`, {
      method: 'POST',
      apiKey,
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    if (upload.accepted !== LEADS) throw new Error(`upload accepted ${String(upload.accepted)} of ${LEADS}`);
    const started = performance.now();
    await call(`${real.url}/api/campaigns/${id}/start`, { method: 'POST', apiKey });
    let stats: Record<string, unknown> = {};
    while (performance.now() - started < MAX_WAIT_MS) {
      await real.deps.services.campaigns.dialDue(tenant.id, id);
      stats = await call(`${real.url}/api/campaigns/${id}/stats`, { apiKey });
      if (Number(stats.leads_called) >= LEADS) break;
    }
    const elapsedS = (performance.now() - started) / 1000;
    const dials = Number(stats.calls_this_month);
    const outcomes = Number(stats.leads_called);
    const baseline = await load('bare Fastify constant route', { url: bare.url, durationSeconds: seconds });
    const perS = (n: number) => n / elapsedS;
    process.stdout.write(
      [
        `\ncampaign: ${LEADS} leads by CSV, simulator dialer, ${elapsedS.toFixed(1)} s from start to the last outcome`,
        `  dials scheduled      ${dials} (${perS(dials).toFixed(0)}/s)`,
        `  outcomes recorded    ${outcomes} (${perS(outcomes).toFixed(0)}/s)`,
        `  ${baseline.label.padEnd(20)} ${baseline.requestsPerSecond.toFixed(0)} req/s`,
        `  ratio dials/s : baseline req/s = ${(perS(dials) / baseline.requestsPerSecond).toFixed(4)}`,
        `  ratio outcomes/s : baseline req/s = ${(perS(outcomes) / baseline.requestsPerSecond).toFixed(4)}\n`,
      ].join('\n'),
    );
  } finally {
    await bare.stop();
    await real.stop();
  }
}
