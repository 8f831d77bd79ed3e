import fs from 'node:fs';
import autocannon from 'autocannon';
import { signTimestamped } from '../src/channels/callrail.js';

/**
 * The load generator of `npm run bench -- ingest`, run as its own process so signing and
 * sending stay out of the process being measured. Every request is a
 * CallRail call with its own call id, signed at send time with a fresh timestamp; every 200's
 * `request_id` is written out with the call id it answered, for the stored-and-drained check.
 */
export interface IngestLoadSpec {
  url: string;
  tenantId: string;
  secret: string;
  /** Call ids are `${callIdPrefix}${n}`, unique per run and per target. */
  callIdPrefix: string;
  connections: number;
  durationSeconds: number;
  /** Where the figures and acknowledgements are written as JSON. */
  outFile: string;
}

export interface IngestLoadOutput {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests sent whose 200 carried no `request_id` (counted as failures by the caller). */
  unreadable: number;
  /** When the load stopped (ms since the epoch), so the drain is timed from there. */
  finishedAt: number;
  /** [call id, request id] of every 200. */
  acknowledged: [string, string][];
}

const PHONE_PREFIX = '+1512555';

/** A CallRail call without a recording (so no download or transcription) but with caller data for the later steps. */
export function callBody(tenantId: string, callId: string, n: number): string {
  return JSON.stringify({
    call_id: callId,
    tenant_id: tenantId,
    caller_id: `${PHONE_PREFIX}${String(n % 10_000).padStart(4, '0')}`,
    caller_name: 'Pat Jones',
    duration: '184',
    answered: true,
    start_time: new Date().toISOString(),
    tracking_phone_number: '+15125550100',
    business_phone_number: '+15125550199',
    tags: ['roofing', 'new-customer'],
    lead_status: 'good_lead',
    value: '15000',
  });
}

async function main(spec: IngestLoadSpec): Promise<void> {
  let sequence = 0;
  let unreadable = 0;
  const acknowledged: [string, string][] = [];
  const url = new URL(spec.url);
  const result = await autocannon({
    url: url.origin,
    connections: spec.connections,
    duration: spec.durationSeconds,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        setupRequest(request, context: { callId?: string }) {
          sequence += 1;
          const callId = `${spec.callIdPrefix}${sequence}`;
          const body = callBody(spec.tenantId, callId, sequence);
          const timestamp = Math.floor(Date.now() / 1000);
          context.callId = callId;
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-timestamp': String(timestamp),
              'x-callrail-signature': signTimestamped(spec.secret, timestamp, body),
            },
          };
        },
        onResponse(status, body, context: { callId?: string }) {
          if (status !== 200) return;
          let requestId: unknown;
          try {
            requestId = (JSON.parse(body) as { request_id?: unknown }).request_id;
          } catch {
            requestId = undefined;
          }
          if (typeof requestId === 'string' && context.callId) acknowledged.push([context.callId, requestId]);
          else unreadable += 1;
        },
      },
    ],
  });
  const output: IngestLoadOutput = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    unreadable,
    finishedAt: new Date(result.finish).getTime(),
    acknowledged,
  };
  fs.writeFileSync(spec.outFile, JSON.stringify(output));
}

const encoded = process.env.BENCH_INGEST_LOAD;
if (encoded) await main(JSON.parse(encoded) as IngestLoadSpec);
