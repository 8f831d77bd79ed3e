import type { TestApp } from './app.js';

/** What spec B's campaign routes need from a test: a campaign, a CSV upload, the store's view of targets. */

export const CAMPAIGN = {
  name: 'Mumbai Real Estate Q1',
  niche: 'real_estate',
  client_name: 'ABC Properties',
  client_service: 'Premium Apartments',
  target_cities: ['Mumbai', 'Pune'],
  target_lead_count: 500,
  daily_call_limit: 100,
};

/** A settable clock: tests move it instead of sleeping. */
export function movableClock(iso: string) {
  let at = new Date(iso);
  return {
    now: () => new Date(at),
    set(next: string) {
      at = new Date(next);
    },
  };
}

export async function createCampaign(t: TestApp, apiKey: string, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/campaigns/',
    headers: { 'x-api-key': apiKey },
    payload: { ...CAMPAIGN, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`campaign create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; status: string }>();
}

export async function uploadCsv(t: TestApp, apiKey: string, campaignId: string, csv: string, query = '') {
  return t.app.inject({
    method: 'POST',
    url: `/api/campaigns/${campaignId}/leads/upload${query}`,
    headers: { 'x-api-key': apiKey, 'content-type': 'text/csv' },
    payload: csv,
  });
}

export async function campaignAction(t: TestApp, apiKey: string, campaignId: string, action: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/campaigns/${campaignId}/${action}`,
    headers: { 'x-api-key': apiKey },
  });
}

export async function targetsOf(t: TestApp, campaignId: string) {
  return t.deps.database.db
    .selectFrom('campaign_targets')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('phone')
    .execute();
}

/** Ten valid Indian mobile numbers, `+9198765432 1d` for d = 0…9: the simulator's callee is the last digit's. */
export const TEN_NUMBERS = Array.from({ length: 10 }, (_, d) => `+91987654321${d}`);
