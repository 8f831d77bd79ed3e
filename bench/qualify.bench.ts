import { load, printComparison, startBareServer, startRealServer } from './harness.js';

const MESSAGES = [
  'Looking for automation solutions for our 50-person sales team, budget around $40k, need it this quarter',
  'We need a new roof before winter, about 2,000 sq ft, budget around $15k',
  'Just browsing, send me some info',
  'Interested in solar panels for our home, electricity bill is $300/month, want install in 2 months',
];

/**
 * `npm run bench -- qualify`: spec E's POST /api/qualify over HTTP on the local engine at 50
 * connections, beside a bare Fastify constant route in the same process and run.
 */
export async function benchQualify(seconds: number): Promise<void> {
  const real = await startRealServer();
  const bare = await startBareServer();
  try {
    const { credentials } = await real.deps.services.tenants.create(
      { kind: 'cli', id: null, tenantId: null, requestId: null, mode: 'live' },
      {
        tenant_id: 'bench',
        name: 'Bench Co',
        plan: 'enterprise',
        configuration: { rate_limits: { multiplier: 1000 } },
      },
    );
    const body = JSON.stringify({
      email: 'cto@acme-robotics.com',
      company: 'Acme Robotics',
      name: 'Dana Lee',
      message: MESSAGES[0],
      source: 'website_form',
    });
    const headers = { authorization: `Bearer ${credentials.api_key}`, 'content-type': 'application/json' };
    // Warm-up: trains nothing new, but fills caches and JIT before measuring.
    await load('warm-up', {
      url: `${real.url}/api/qualify`,
      method: 'POST',
      headers,
      body,
      durationSeconds: 2,
      connections: 10,
    });
    const subject = await load('POST /api/qualify (local engine)', {
      url: `${real.url}/api/qualify`,
      method: 'POST',
      headers,
      body,
      durationSeconds: seconds,
    });
    const baseline = await load('bare Fastify constant route', { url: bare.url, durationSeconds: seconds });
    printComparison(`qualify: ${seconds}s at 50 connections`, subject, baseline);
  } finally {
    await bare.stop();
    await real.stop();
  }
}
