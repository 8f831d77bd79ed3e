import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { failingProbes, type HealthReport } from '../domain/health/index.js';

/**
 * Runs the health check and sets the answer's status from it: 200 while every critical dependency
 * answers, 503 while one is down, which is what load balancers and orchestrators read.
 */
export async function checkedHealth<R extends { ready: boolean }>(
  health: { check(): Promise<R> },
  reply: FastifyReply,
): Promise<R> {
  const report = await health.check();
  void reply.code(report.ready ? 200 : 503);
  return report;
}

// Specs B and D answer the Kubernetes probes alike, so both surfaces declare and build them here.
const check = z.enum(['ok', 'failed', 'not_configured']);

export const readinessResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  timestamp: z.string(),
  checks: z.object({ database: check, redis: check }),
  /** While not ready: each failing dependency and why. */
  reasons: z.record(z.string(), z.string()).optional(),
});

export const livenessResponse = z.object({
  status: z.literal('alive'),
  timestamp: z.string(),
  uptime_seconds: z.number(),
});

/** Readiness: each dependency ok, failed or not configured, and why while not ready. */
export function readinessView(r: HealthReport): z.infer<typeof readinessResponse> {
  const state = (name: string) => {
    const probe = r.probes.find((p) => p.name === name);
    return probe ? (probe.status === 'healthy' ? ('ok' as const) : ('failed' as const)) : ('not_configured' as const);
  };
  return {
    status: r.ready ? ('ready' as const) : ('not_ready' as const),
    timestamp: r.timestamp,
    checks: { database: state('database'), redis: state('redis') },
    ...(r.ready ? {} : { reasons: failingProbes(r) }),
  };
}

/** Liveness touches no dependency: the process answers, with its uptime. */
export function livenessView(timestamp: string, uptimeSeconds: number): z.infer<typeof livenessResponse> {
  return { status: 'alive' as const, timestamp, uptime_seconds: uptimeSeconds };
}
