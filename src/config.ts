import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is declared once here with a one-line
 * comment; the README's settings table mirrors this list.
 */

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));

const envSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to bind; 0.0.0.0 to accept connections from other machines. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the SQLite database, generated keys, recordings and exports live. */
  FRONTDESK_DATA_DIR: z.string().min(1).default('./data'),
  /** Empty: SQLite in the data dir. `postgres://…` selects PostgreSQL; `sqlite:PATH` or `:memory:` another SQLite file. */
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^(postgres(ql)?:\/\/|sqlite:|:memory:$)/.test(v), 'must start with postgres://, postgresql://, sqlite: or be :memory:'),
  /** Optional Redis: jobs go to BullMQ, rate limits and live updates are shared across processes. */
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  /** Platform admin key. Unset: generated at first start, kept in the data dir, printed once. */
  FRONTDESK_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Encrypts vendor secrets at rest (32+ characters). Unset: generated and kept in the data dir. */
  FRONTDESK_MASTER_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Public URL of this server, used in signed download links and webhook URLs it prints. */
  PUBLIC_BASE_URL: z.string().url('must be an absolute URL such as https://frontdesk.example.com').optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** On first start with an empty database, create a demo tenant and print working curl commands. */
  FRONTDESK_DEMO: flag(true),
  /** Allow outbound calls (webhooks, recordings, callbacks) to loopback/private addresses. For development and tests only. */
  FRONTDESK_ALLOW_PRIVATE_URLS: flag(false),
  /** Largest request body accepted, in bytes. */
  FRONTDESK_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Seconds to wait for in-flight requests and running jobs on shutdown. */
  FRONTDESK_SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1).default(15),
  /** Reported by /health as `environment`. */
  NODE_ENV: z.string().default('development'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  readonly http: { readonly port: number; readonly host: string; readonly bodyLimit: number; readonly publicBaseUrl: string };
  readonly dataDir: string;
  readonly database: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly redisUrl: string | undefined;
  readonly adminKey: string | undefined;
  readonly masterKey: string | undefined;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly demo: boolean;
  readonly allowPrivateUrls: boolean;
  readonly shutdownTimeoutMs: number;
  readonly environment: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a bad value throws a ConfigError naming every bad variable and what it allows. */
export function loadConfig(env: Env = process.env): Config {
  // `PORT=` (set but empty, as compose files and .env templates leave it) means "use the default",
  // not 0 or an empty key.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${describeIssue(i)}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.FRONTDESK_DATA_DIR);
  const database = databaseFrom(e.DATABASE_URL, dataDir);
  return Object.freeze({
    http: Object.freeze({
      port: e.PORT,
      host: e.HOST,
      bodyLimit: e.FRONTDESK_BODY_LIMIT,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? localUrl(e.HOST, e.PORT)).replace(/\/$/, ''),
    }),
    dataDir,
    database,
    redisUrl: e.REDIS_URL || undefined,
    adminKey: e.FRONTDESK_ADMIN_KEY,
    masterKey: e.FRONTDESK_MASTER_KEY,
    logLevel: e.LOG_LEVEL,
    demo: e.FRONTDESK_DEMO,
    allowPrivateUrls: e.FRONTDESK_ALLOW_PRIVATE_URLS,
    shutdownTimeoutMs: e.FRONTDESK_SHUTDOWN_TIMEOUT * 1000,
    environment: e.NODE_ENV,
  });
}

/** The URL this machine reaches a server bound to `host` at: a wildcard bind is reached on loopback, an IPv6 literal in brackets. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function databaseFrom(url: string | undefined, dataDir: string): Config['database'] {
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'frontdesk.db') };
  if (url === ':memory:') return { kind: 'sqlite', file: ':memory:' };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: url.slice('sqlite:'.length) };
  return { kind: 'postgres', url };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const unit = 'origin' in issue && issue.origin === 'string' ? ' characters' : '';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.filter((v) => v !== '').map(String).join(', ')}`;
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}${unit}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}${unit}`;
  if (issue.code === 'invalid_type') return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
  return issue.message;
}
