import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { stepPricesSchema, type StepPrices } from './domain/calls/index.js';
import { parseAllowedDestination, type AllowedDestination } from './providers/http/allowlist.js';

/**
 * The only reader of process.env. Every setting is declared once here with a one-line
 * comment; the README's settings table mirrors this list.
 */

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));

/** Like `flag`, but unset stays unset, for settings whose default depends on another one. */
const optionalFlag = () =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(v)));

const envSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to bind; 0.0.0.0 to accept connections from other machines. */
  HOST: z
    .string()
    .min(1)
    .refine((v) => !/^[^:]*:[^:]*$/.test(v), 'must be a host name or address without a port (the port is PORT)')
    .default('127.0.0.1'),
  /** Where the SQLite database, generated keys, recordings and exports live; relative to the current directory. Unset: `data` in the project's root. */
  FRONTDESK_DATA_DIR: z.string().min(1).optional(),
  /** Empty: SQLite in the data dir. `postgres://…` selects PostgreSQL; `sqlite:PATH` or `:memory:` another SQLite file. */
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (v) => !v || /^(postgres(ql)?:\/\/|sqlite:|:memory:$)/.test(v),
      'must start with postgres://, postgresql://, sqlite: or be :memory:',
    ),
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
  /** On first start with an empty database, create a demo tenant and print working curl commands. Unset: everywhere but NODE_ENV=production. */
  FRONTDESK_DEMO: optionalFlag(),
  /** Allow every outbound call (webhooks, recordings, callbacks, vendor APIs) to loopback/private addresses. For development and tests only. */
  FRONTDESK_ALLOW_PRIVATE_URLS: flag(false),
  /** Private destinations outbound calls may reach anyway, e.g. a self-hosted model server: comma-separated `host` or `host:port` (IP literals or names). */
  FRONTDESK_PRIVATE_URL_ALLOWLIST: z.string().optional(),
  /** Largest request body accepted, in bytes. */
  FRONTDESK_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Largest body a messaging platform's webhook may send, in bytes: Meta batches many events in one delivery. */
  FRONTDESK_CHANNEL_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
  /** Seconds a client has to send a whole request, headers and body; headers alone get at most 10 s. */
  FRONTDESK_REQUEST_TIMEOUT: z.coerce.number().int().min(1).max(600).default(30),
  /** Live-update streams one credential (or user) may hold open on one process. */
  FRONTDESK_LIVE_STREAMS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(10),
  /** Live-update streams one tenant may hold open on one process. */
  FRONTDESK_LIVE_STREAMS_PER_TENANT: z.coerce.number().int().min(1).default(50),
  /** Seconds to wait for in-flight requests and running jobs on shutdown. */
  FRONTDESK_SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1).default(15),
  /** Outgoing mail relay, `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`. Unset: mail goes to the outbox in the data dir. */
  SMTP_URL: z
    .string()
    .optional()
    .refine(
      (v) => !v || /^smtps?:\/\/[^/]+/.test(v),
      'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465',
    ),
  /** Sender of alert e-mails. */
  FRONTDESK_MAIL_FROM: z.string().min(3).default('Frontdesk <alerts@frontdesk.local>'),
  /** S3 bucket for recordings and exports. Unset: files stay in the data dir. */
  S3_BUCKET: z.string().min(3).optional(),
  /** S3 signing region. */
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** S3-compatible endpoint (MinIO, R2); AWS when unset. */
  S3_ENDPOINT: z.string().url('must be an absolute URL such as https://minio.internal:9000').optional(),
  /** Bucket in the path instead of the host name (MinIO and most self-hosted stores). */
  S3_FORCE_PATH_STYLE: flag(false),
  /** S3 keys; unset on AWS to use the SDK's default chain (instance or task role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Prepended to every S3 key, so deployments can share a bucket. */
  S3_KEY_PREFIX: z.string().optional(),
  /** Price table for pipeline step costs: a JSON file path, or inline JSON (see docs/operations.md). */
  FRONTDESK_PRICES: z.string().optional(),
  /** Characters of one text (message, lead, transcript) the local engine reads; a longer text is read at its start and end. */
  FRONTDESK_ENGINE_TEXT_LIMIT: z.coerce.number().int().min(1_000).max(200_000).default(20_000),
  /** Reported by /health as `environment`. */
  NODE_ENV: z.string().default('development'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly bodyLimit: number;
    readonly channelBodyLimit: number;
    readonly publicBaseUrl: string;
    readonly requestTimeoutMs: number;
  };
  readonly liveStreams: { readonly perCredential: number; readonly perTenant: number };
  readonly dataDir: string;
  readonly database:
    { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly redisUrl: string | undefined;
  readonly adminKey: string | undefined;
  readonly masterKey: string | undefined;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly demo: boolean;
  readonly allowPrivateUrls: boolean;
  readonly privateUrlAllowlist: readonly AllowedDestination[];
  readonly shutdownTimeoutMs: number;
  readonly environment: string;
  readonly mail: { readonly from: string; readonly smtp: SmtpSettings | undefined };
  readonly storage: { readonly kind: 'filesystem' } | S3Settings;
  readonly prices: StepPrices;
  readonly engineTextLimit: number;
}

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly auth: { readonly user: string; readonly pass: string } | undefined;
}

export interface S3Settings {
  readonly kind: 's3';
  readonly bucket: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  readonly keyPrefix: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a bad value throws a ConfigError naming every bad variable and what it allows. */
export function loadConfig(env: Env = process.env): Config {
  // A variable set but empty (as compose files and .env templates leave them) means "use the
  // default", not an empty key; except PORT, where an empty value is more likely a lost one.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${describeIssue(i)}`);
  if (env.PORT === '') problems.unshift('PORT: is empty; set a port number (1–65535), or leave PORT unset for 8080');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = e.FRONTDESK_DATA_DIR ? path.resolve(e.FRONTDESK_DATA_DIR) : path.join(projectRoot(), 'data');
  const database = databaseFrom(e.DATABASE_URL, dataDir);
  const prices = pricesFrom(e.FRONTDESK_PRICES);
  const privateUrlAllowlist = allowlistFrom(e.FRONTDESK_PRIVATE_URL_ALLOWLIST);
  if (e.S3_ACCESS_KEY_ID && !e.S3_SECRET_ACCESS_KEY)
    throw new ConfigError(['S3_SECRET_ACCESS_KEY: must be set with S3_ACCESS_KEY_ID']);
  return Object.freeze({
    http: Object.freeze({
      port: e.PORT,
      host: e.HOST,
      bodyLimit: e.FRONTDESK_BODY_LIMIT,
      channelBodyLimit: Math.max(e.FRONTDESK_BODY_LIMIT, e.FRONTDESK_CHANNEL_BODY_LIMIT),
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? localUrl(e.HOST, e.PORT)).replace(/\/$/, ''),
      requestTimeoutMs: e.FRONTDESK_REQUEST_TIMEOUT * 1000,
    }),
    liveStreams: Object.freeze({
      perCredential: e.FRONTDESK_LIVE_STREAMS_PER_CREDENTIAL,
      perTenant: e.FRONTDESK_LIVE_STREAMS_PER_TENANT,
    }),
    dataDir,
    database,
    redisUrl: e.REDIS_URL || undefined,
    adminKey: e.FRONTDESK_ADMIN_KEY,
    masterKey: e.FRONTDESK_MASTER_KEY,
    logLevel: e.LOG_LEVEL,
    demo: e.FRONTDESK_DEMO ?? e.NODE_ENV !== 'production',
    allowPrivateUrls: e.FRONTDESK_ALLOW_PRIVATE_URLS,
    privateUrlAllowlist,
    shutdownTimeoutMs: e.FRONTDESK_SHUTDOWN_TIMEOUT * 1000,
    environment: e.NODE_ENV,
    mail: Object.freeze({ from: e.FRONTDESK_MAIL_FROM, smtp: e.SMTP_URL ? smtpFrom(e.SMTP_URL) : undefined }),
    storage: e.S3_BUCKET
      ? Object.freeze({
          kind: 's3' as const,
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
          credentials:
            e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
              : undefined,
          keyPrefix: e.S3_KEY_PREFIX,
        })
      : Object.freeze({ kind: 'filesystem' as const }),
    prices,
    engineTextLimit: e.FRONTDESK_ENGINE_TEXT_LIMIT,
  });
}

function smtpFrom(url: string): SmtpSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError([
      'SMTP_URL: is not a valid URL; write it as smtp://user:pass@host:587 or smtps://user:pass@host:465, with special characters in the password percent-encoded',
    ]);
  }
  const secure = u.protocol === 'smtps:';
  const user = decodeURIComponent(u.username);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass: decodeURIComponent(u.password) } : undefined,
  };
}

function allowlistFrom(value: string | undefined): readonly AllowedDestination[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return Object.freeze(
    entries.map((entry) => {
      const destination = parseAllowedDestination(entry);
      if (!destination)
        throw new ConfigError([
          `FRONTDESK_PRIVATE_URL_ALLOWLIST: "${entry}" is not a host or host:port, so list entries such as 10.0.0.5:11434,ollama.internal`,
        ]);
      return destination;
    }),
  );
}

/** Inline JSON when it starts with `{`, else a file; a bad table stops the start like any bad setting. */
function pricesFrom(value: string | undefined): StepPrices {
  if (!value) return stepPricesSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(value.trimStart().startsWith('{') ? value : fs.readFileSync(value, 'utf8'));
  } catch (err) {
    throw new ConfigError([
      `FRONTDESK_PRICES: must be a JSON object or the path of a JSON file (${err instanceof Error ? err.message : String(err)})`,
    ]);
  }
  const parsed = stepPricesSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) => `FRONTDESK_PRICES: ${[...i.path].join('.') || '(root)'}: ${describeIssue(i)}`),
    );
  return parsed.data;
}

/** The URL this machine reaches a server bound to `host` at: a wildcard bind is reached on loopback, an IPv6 literal in brackets. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The folder of the nearest package.json at or above the current directory, as npm finds the
 * project for `npm start`; so `npx frontdesk …` run from a sub-folder uses the same data dir.
 */
function projectRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function databaseFrom(url: string | undefined, dataDir: string): Config['database'] {
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'frontdesk.db') };
  if (url === ':memory:') return { kind: 'sqlite', file: ':memory:' };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: url.slice('sqlite:'.length) };
  return { kind: 'postgres', url };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const unit = 'origin' in issue && issue.origin === 'string' ? ' characters' : '';
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values
      .filter((v) => v !== '')
      .map(String)
      .join(', ')}`;
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}${unit}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}${unit}`;
  if (issue.code === 'invalid_type')
    return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
  return issue.message;
}
