import type { Clock } from '../../lib/clock.js';
import { createHealthService, type HealthService } from './health.service.js';
import { platformProbes, type DatabaseProbeTarget, type RedisProbeTarget } from './probes.js';

export { failingProbes } from './health.service.js';
export type { HealthProbe, HealthReport, HealthService, ProbeResult } from './health.service.js';

/** Health of this process and of the platform's dependencies (database, data directory, Redis when configured). */
export function createHealthModule(ports: {
  database: DatabaseProbeTarget;
  dataDir: string;
  redis?: RedisProbeTarget;
  clock: Clock;
  version: string;
  environment: string;
}): { health: HealthService } {
  return {
    health: createHealthService({
      probes: platformProbes(ports),
      clock: ports.clock,
      version: ports.version,
      environment: ports.environment,
      startedAt: Date.now(),
    }),
  };
}
