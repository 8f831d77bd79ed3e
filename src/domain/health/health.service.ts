import type { Clock } from '../../lib/clock.js';
import { writeRefusalOf } from '../../lib/write-refusals.js';

/** A dependency the health service can probe; `ping` resolves with its round-trip ms or throws. */
export interface HealthProbe {
  name: string;
  /** Readiness fails while a critical probe fails. */
  critical: boolean;
  ping(): Promise<number>;
  details?(): Record<string, unknown>;
}

export interface ProbeResult {
  name: string;
  status: 'healthy' | 'unhealthy';
  responseTimeMs: number | null;
  error?: string;
  /** Why an unhealthy probe fails when it is a known condition (`read-only (25006)`, `disk full (ENOSPC)`). */
  reason?: string;
  details: Record<string, unknown>;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  ready: boolean;
  timestamp: string;
  version: string;
  environment: string;
  uptimeSeconds: number;
  probes: ProbeResult[];
}

export interface HealthService {
  check(): Promise<HealthReport>;
  /** Process facts for liveness and metrics: uptime, memory, cpu. */
  processInfo(): { uptimeSeconds: number; memoryRssMb: number; heapUsedMb: number; cpuUserMs: number };
}

const PROBE_TIMEOUT_MS = 2000;

/** Each failing probe with why, for readiness bodies: `{database: "read-only (25006)"}`. */
export function failingProbes(report: HealthReport): Record<string, string> {
  return Object.fromEntries(
    report.probes.filter((p) => p.status === 'unhealthy').map((p) => [p.name, p.reason ?? p.error ?? 'unhealthy']),
  );
}

export function createHealthService(deps: {
  probes: HealthProbe[];
  clock: Clock;
  version: string;
  environment: string;
  startedAt: number;
}): HealthService {
  const run = async (probe: HealthProbe): Promise<ProbeResult> => {
    try {
      const ms = await Promise.race([
        probe.ping(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref(),
        ),
      ]);
      return { name: probe.name, status: 'healthy', responseTimeMs: ms, details: probe.details?.() ?? {} };
    } catch (err) {
      const reason = writeRefusalOf(err)?.reason;
      return {
        name: probe.name,
        status: 'unhealthy',
        responseTimeMs: null,
        error: err instanceof Error ? err.message : String(err),
        ...(reason ? { reason } : {}),
        details: probe.details?.() ?? {},
      };
    }
  };
  const uptime = () => Math.round((Date.now() - deps.startedAt) / 1000);
  return {
    async check() {
      const probes = await Promise.all(deps.probes.map(run));
      const criticalDown = probes.some((p, i) => p.status === 'unhealthy' && deps.probes[i]?.critical);
      const anyDown = probes.some((p) => p.status === 'unhealthy');
      return {
        status: criticalDown ? 'unhealthy' : anyDown ? 'degraded' : 'healthy',
        ready: !criticalDown,
        timestamp: deps.clock.now().toISOString(),
        version: deps.version,
        environment: deps.environment,
        uptimeSeconds: uptime(),
        probes,
      };
    },
    processInfo() {
      const mem = process.memoryUsage();
      return {
        uptimeSeconds: uptime(),
        memoryRssMb: Math.round(mem.rss / 1048576),
        heapUsedMb: Math.round(mem.heapUsed / 1048576),
        cpuUserMs: Math.round(process.cpuUsage().user / 1000),
      };
    },
  };
}
