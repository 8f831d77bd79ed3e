import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, localUrl, type Config } from './config.js';
import { startSchedules, startWorkers } from './compose/workers.js';
import { backfillRoutes, createDeps, type Deps } from './compose/index.js';
import { cliActor } from './domain/actor.js';
import { SIGNING_KEY_GRACE_SECONDS } from './domain/auth/index.js';
import { CREDENTIAL_KINDS, PLANS, type CreatedTenant, type CredentialKind, type Plan } from './domain/tenants/index.js';
import { AppError } from './domain/errors.js';
import { closeServer } from './http/shutdown.js';
import { migrateToLatest } from './store/migrate.js';
import { addressError, ensureFreeAddress, ensureWritableDataDir, StartupError } from './startup-checks.js';
import fs from 'node:fs';
import path from 'node:path';

const USAGE = `Usage: frontdesk <command>

  serve [--no-worker]     start the HTTP server (and job workers unless --no-worker)
  worker                  run job workers only
  migrate                 bring the database schema up to date
  tenants create --name NAME [--id ID] [--plan PLAN] [--json]
  tenants list [--json]
  keys rotate TENANT --kind ${CREDENTIAL_KINDS.join('|')}
  keys rotate-signing [--grace SECONDS] [--json]
                          new JWT signing key; the old ones verify for the grace (default ${SIGNING_KEY_GRACE_SECONDS}), then retire
`;

const out = (text: string) => process.stdout.write(`${text}\n`);

const OPTIONS = {
  'no-worker': { type: 'boolean', default: false },
  name: { type: 'string' },
  id: { type: 'string' },
  plan: { type: 'string' },
  kind: { type: 'string' },
  grace: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The command line, or an AppError in one sentence for an option the CLI does not know or a value it lacks. */
function readArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    if (!(err instanceof TypeError) || !('code' in err) || !String(err.code).startsWith('ERR_PARSE_ARGS')) throw err;
    // Node's message suggests `--` for positionals, which never helps here; keep its first sentence.
    throw new AppError(
      'VALIDATION',
      `${err.message.split('. ')[0]}. Run \`frontdesk --help\` for the commands and their options.`,
    );
  }
}

type Args = ReturnType<typeof readArgs>;
type Values = Args['values'];

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = readArgs(argv);
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  // Every command opens the data dir (keys, SQLite); say so plainly when it cannot be written.
  if (config.database.kind === 'sqlite' || !config.adminKey || !config.masterKey) await ensureWritableDataDir(config);
  let run: Promise<number> | undefined;
  switch (command) {
    case 'serve':
      return serve(config, { worker: !values['no-worker'] });
    case 'worker':
      return worker(config);
    case 'migrate':
      return withDeps(
        config,
        async (deps) => {
          const applied = await migrateToLatest(deps.database.db);
          await backfillRoutes(applied, deps.services.tenants);
          out(applied.length ? `Applied: ${applied.join(', ')}` : 'Database schema is up to date.');
        },
        { migrate: false },
      );
    case 'tenants':
      run = tenantsCommand(config, sub, values);
      break;
    case 'keys':
      run = keysCommand(config, sub, arg, values);
      break;
    default:
      break;
  }
  if (run) return run;
  process.stderr.write(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  return 2;
}

/** `tenants create|list`; undefined for a subcommand it does not know. */
function tenantsCommand(config: Config, sub: string | undefined, values: Values): Promise<number> | undefined {
  if (sub === 'create') {
    if (!values.name) throw new AppError('VALIDATION', '--name is required');
    if (values.plan && !PLANS.includes(values.plan as Plan))
      throw new AppError('VALIDATION', `--plan must be one of ${PLANS.join(', ')}`);
    return withDeps(config, async (deps) => {
      const created = await deps.services.tenants.create(cliActor, {
        name: values.name!,
        tenant_id: values.id,
        plan: values.plan as Plan | undefined,
      });
      out(values.json ? JSON.stringify(createdJson(created), null, 2) : describeCreated(created, config));
    });
  }
  if (sub === 'list') {
    return withDeps(config, async (deps) => {
      const { tenants } = await deps.services.tenants.list({ limit: 1000, offset: 0 });
      if (values.json)
        out(
          JSON.stringify(
            tenants.map((t) => ({
              tenant_id: t.id,
              name: t.name,
              plan: t.plan,
              status: t.status,
              created_at: t.createdAt,
            })),
            null,
            2,
          ),
        );
      else for (const t of tenants) out(`${t.id}\t${t.plan}\t${t.status}\t${t.name}`);
    });
  }
  return undefined;
}

/** `keys rotate TENANT --kind K` and `keys rotate-signing`; undefined for a subcommand it does not know. */
function keysCommand(
  config: Config,
  sub: string | undefined,
  arg: string | undefined,
  values: Values,
): Promise<number> | undefined {
  if (sub === 'rotate' && arg) {
    // No default: rotating revokes the old credential at once, so which one is the caller's choice to spell out.
    const kind = values.kind as CredentialKind | undefined;
    if (!kind || !CREDENTIAL_KINDS.includes(kind))
      throw new AppError('VALIDATION', `--kind is required and must be one of ${CREDENTIAL_KINDS.join(', ')}`);
    return withDeps(config, async (deps) => {
      await deps.services.tenants.get(arg);
      const rotated = await deps.services.credentials.rotate(arg, kind);
      await deps.services.audit.record(cliActor, {
        tenantId: arg,
        action: 'credential.rotated',
        targetType: 'credential',
        targetId: kind,
        after: { kind, value: '***hidden***' },
      });
      out(
        values.json
          ? JSON.stringify(rotated, null, 2)
          : `New ${kind} for ${arg} (shown once): ${rotated.value}${rotated.client_id ? `\nclient_id: ${rotated.client_id}` : ''}`,
      );
    });
  }
  if (sub === 'rotate-signing' && !arg) {
    if (values.grace !== undefined && !/^\d{1,9}$/.test(values.grace))
      throw new AppError('VALIDATION', '--grace must be a whole number of seconds');
    const graceSeconds = values.grace === undefined ? SIGNING_KEY_GRACE_SECONDS : Number(values.grace);
    return withDeps(config, async (deps) => {
      const rotated = await deps.services.tokens.rotateSigningKey({ graceSeconds });
      await deps.services.audit.record(cliActor, {
        tenantId: null,
        action: 'signing_key.rotated',
        targetType: 'signing_key',
        targetId: rotated.kid,
        after: rotated,
      });
      out(
        values.json
          ? JSON.stringify(rotated, null, 2)
          : `New signing key ${rotated.kid} signs from now on; the previous keys verify until ${rotated.previousRetireAt}, then retire.`,
      );
    });
  }
  return undefined;
}

async function withDeps(
  config: Config,
  fn: (deps: Deps) => Promise<void>,
  opts: { migrate?: boolean } = {},
): Promise<number> {
  const deps = await createDeps(config, opts);
  try {
    await fn(deps);
    return 0;
  } finally {
    await deps.close();
  }
}

function createdJson(c: CreatedTenant) {
  return {
    tenant_id: c.tenant.id,
    name: c.tenant.name,
    plan: c.tenant.plan,
    status: c.tenant.status,
    credentials: c.credentials,
  };
}

function describeCreated(c: CreatedTenant, config: Config): string {
  const k = c.credentials;
  const base = config.http.publicBaseUrl;
  return [
    `Tenant ${c.tenant.id} (${c.tenant.name}, plan ${c.tenant.plan}) created. These credentials are shown once:`,
    `  API key (live):   ${k.api_key}`,
    `  API key (test):   ${k.test_key}`,
    `  Webhook secret:   ${k.webhook_secret}`,
    `  OAuth client:     ${k.client_id} / ${k.client_secret}`,
    `  Widget token:     ${k.widget_token}`,
    `  Owner token:      ${k.owner_token}`,
    '',
    `Web app, signed in as the owner: ${base}/app/login/owner?token=${k.owner_token}`,
    '',
    'Try it:',
    `  curl -s ${base}/api/v2/tenants/${c.tenant.id}/config -H 'Authorization: ApiKey ${k.api_key}'`,
    `  curl -s -X POST ${base}/v1/auth/token -H 'Content-Type: application/json' -d '{"client_id":"${k.client_id}","client_secret":"${k.client_secret}","tenant_id":"${c.tenant.id}"}'`,
    `  curl -s ${base}/api/v2/tenants/${c.tenant.id}/usage -H 'X-API-Key: ${k.api_key}'`,
    `  curl -s -X POST ${base}/api/v2/chat/message -H 'Authorization: Bearer ${k.api_key}' -H 'Content-Type: application/json' -d '{"user_id":"visitor_1","channel":"web","content":{"type":"text","text":"Hi, what are your opening hours?"}}'`,
  ].join('\n');
}

/** Stops on SIGTERM/SIGINT: no new connections, in-flight requests and running jobs finish (bounded), then the database closes. */
function onShutdown(config: Config, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, shutting down…\n`);
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

async function serve(config: Config, opts: { worker: boolean }): Promise<number> {
  await ensureFreeAddress(config);
  const deps = await createDeps(config);
  const app = await buildApp(deps);
  const demo = config.demo ? await deps.services.platform.ensureDemoTenant() : undefined;
  // Train the local engine before taking traffic, so the first qualification is as fast as the rest.
  await deps.services.tenantAi.warm();
  const workers = opts.worker ? await startWorkers(deps) : undefined;
  if (workers) await startSchedules(deps);
  await app.listen({ port: config.http.port, host: config.http.host }).catch(async (error: NodeJS.ErrnoException) => {
    // Taken in the moment since the check: let go of the database before saying so.
    await workers?.stop(config.shutdownTimeoutMs);
    await deps.close();
    throw addressError(error, config.http.host, config.http.port);
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = localUrl(config.http.host, port);
  const lines = [
    '',
    `Frontdesk is running at ${url}  (database: ${deps.database.dialect}, queue: ${deps.queue.backend}, workers: ${opts.worker ? 'in-process' : 'off'})`,
    config.adminKey
      ? 'Admin key: from FRONTDESK_ADMIN_KEY.'
      : `Admin key: kept in ${path.join(config.dataDir, 'admin.key')}${deps.generated.adminKey ? ` (new, shown once): ${deps.adminKey}` : ''}`,
    config.masterKey
      ? 'Master key: from FRONTDESK_MASTER_KEY.'
      : `Master key: kept in ${path.join(config.dataDir, 'master.key')}${deps.generated.masterKey ? ` (new, shown once; back it up, and give every process of a fleet the same one): ${fs.readFileSync(path.join(config.dataDir, 'master.key'), 'utf8').trim()}` : ''}`,
    `API docs:  ${url}/docs`,
  ];
  if (demo) lines.push('', describeCreated(demo, { ...config, http: { ...config.http, publicBaseUrl: url } }));
  else lines.push('', `Next: create a tenant with  npx frontdesk tenants create --name "Acme Plumbing"`);
  out(lines.join('\n'));
  onShutdown(config, async () => {
    // Requests and jobs drain side by side, each within the one shutdown budget.
    await Promise.all([
      closeServer(app, config.shutdownTimeoutMs),
      workers ? workers.stop(config.shutdownTimeoutMs) : deps.queue.stop(config.shutdownTimeoutMs),
    ]);
    await deps.close();
  });
  return -1;
}

async function worker(config: Config): Promise<number> {
  const deps = await createDeps(config);
  const workers = await startWorkers(deps);
  await startSchedules(deps);
  out(`Frontdesk worker running (database: ${deps.database.dialect}, queue: ${deps.queue.backend}).`);
  onShutdown(config, async () => {
    await workers.stop(config.shutdownTimeoutMs);
    await deps.close();
  });
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof AppError || err instanceof StartupError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
