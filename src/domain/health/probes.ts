import { checkWritable } from '../../lib/writable-dir.js';
import type { HealthProbe } from './health.service.js';

/** What the database probe reads of the store. */
export interface DatabaseProbeTarget {
  readonly dialect: string;
  ping(): Promise<number>;
  writable(): Promise<void>;
  stats(): Record<string, number>;
}

/** What the Redis probe reads of its client. */
export interface RedisProbeTarget {
  readonly status: string;
  ping(): Promise<unknown>;
}

/** The platform's own dependencies: the database, the data directory, Redis when configured. Each is critical. */
export function platformProbes(targets: {
  database: DatabaseProbeTarget;
  dataDir: string;
  redis?: RedisProbeTarget;
}): HealthProbe[] {
  const { database, dataDir, redis } = targets;
  const probes: HealthProbe[] = [
    {
      name: 'database',
      critical: true,
      // A database that answers reads but refuses writes cannot take a single request's intake: not ready.
      ping: async () => {
        const ms = await database.ping();
        await database.writable();
        return ms;
      },
      details: () => ({ dialect: database.dialect, ...database.stats() }),
    },
    // Recordings, exports and mail are written here; a full or read-only data dir fails the requests that write, so it makes the service unready.
    {
      name: 'storage',
      critical: true,
      ping: () => probeWritable(dataDir),
      details: () => ({ kind: 'filesystem' }),
    },
  ];
  if (redis) {
    probes.push({
      name: 'redis',
      critical: true,
      ping: async () => {
        const started = performance.now();
        await redis.ping();
        return roundMs(performance.now() - started);
      },
      details: () => ({ status: redis.status }),
    });
  }
  return probes;
}

const roundMs = (ms: number): number => Math.round(ms * 100) / 100;

/** Resolves with the round trip of a write in `dir` in ms; throws when the directory is not writable. */
async function probeWritable(dir: string): Promise<number> {
  const started = performance.now();
  await checkWritable(dir);
  return roundMs(performance.now() - started);
}
