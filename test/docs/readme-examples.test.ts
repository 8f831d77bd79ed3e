import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, start, type Running } from '../helpers/cli.js';

/**
 * Every command the README prints, run as printed against a freshly started server, in the order a
 * reader meets them: a command block or a table's example that answers anything but 2xx fails
 * here. The server's address and the tenant's credentials are the reader's to fill in (`KEY=…`);
 * the test fills them from its server and from what the README says hands them out (the tenant's
 * create answer).
 */

const README = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const exec = promisify(execFile);

/** Blocks a test cannot run as printed, each with the reason; anything else the README shows runs. */
const NOT_RUN: Array<{ marker: string; why: string }> = [
  { marker: 'npm install && npm start', why: 'the quick start is what CI itself runs' },
  {
    marker: 'export DATABASE_URL=postgres://',
    why: 'a fleet needs machines; test/startup and the PostgreSQL suites cover it',
  },
];

interface Example {
  heading: string;
  script: string;
}

/** `sh` fenced blocks, and `curl …` inline examples of tables, under the heading they follow. */
export function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  let heading = '';
  let block: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (block) {
      if (line.startsWith('```')) {
        examples.push({ heading, script: block.join('\n') });
        block = undefined;
      } else block.push(line);
    } else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    else if (line.startsWith('```sh')) block = [];
    else if (line.startsWith('|')) {
      for (const cell of line.split('`')) if (cell.startsWith('curl ')) examples.push({ heading, script: cell });
    }
  }
  return examples;
}

/**
 * Lines that set what depends on the reader's own server: where it listens and the credentials it
 * handed out. The test sets these from its server instead.
 */
const READER_SET = /^\s*(?:export\s+)?(?:URL|KEY|CLIENT_ID|CLIENT_SECRET|HOOKS)=/;

/** curl as the reader runs it, plus a record of each answer's status and body for the assertions. */
const CURL_RECORDER = `
curl() {
  local n=$(( $(wc -l < "$RECORD/statuses") + 1 ))
  local code
  : > "$RECORD/body-$n"
  code=$(command curl --max-time 4 -o "$RECORD/body-$n" -w '%{http_code}' "$@")
  local args="$*"
  printf '%s\\t%s\\n' "\${code:-000}" "\${args//$'\\n'/ }" >> "$RECORD/statuses"
  cat "$RECORD/body-$n"
}
`;

describe('README examples', () => {
  let dir = '';
  let server: Running;
  let url = '';
  const env: Record<string, string> = {};
  /** The reader's own webhook receiver on this machine, as the README describes it. */
  let receiver: http.Server;
  const received: Array<{ path: string; event: string }> = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-readme-'));
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', event: (JSON.parse(body) as { event?: string }).event ?? '' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    env.HOOKS = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Started the way the README says to try webhooks on one machine.
    const settings = { PORT: String(port), FRONTDESK_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' };
    server = start(['serve'], cleanEnv({ ...settings, FRONTDESK_ALLOW_PRIVATE_URLS: '1' }));
    await server.waitFor(/-H 'X-API-Key: \S+'\n/);
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    server?.child.kill('SIGTERM');
    await server?.exited(30_000).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function runExample(script: string): Promise<Array<{ status: string; command: string; body: string }>> {
    const record = fs.mkdtempSync(path.join(dir, 'record-'));
    fs.writeFileSync(path.join(record, 'statuses'), '');
    const lines = script.split('\n').filter((line) => !READER_SET.test(line));
    await exec('bash', ['-c', `${CURL_RECORDER}\n${lines.join('\n')}`], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, RECORD: record, URL: url, ...env },
      timeout: 60_000,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`example failed:\n${script}\n${error.stderr ?? error.message}`);
    });
    const statuses = fs.readFileSync(path.join(record, 'statuses'), 'utf8').trim().split('\n').filter(Boolean);
    return statuses.map((line, i) => {
      const [status = '', command = ''] = line.split('\t');
      return { status, command, body: fs.readFileSync(path.join(record, `body-${i + 1}`), 'utf8') };
    });
  }

  it('lists only the blocks it cannot run as the ones it skips', () => {
    const skipped = readmeExamples(README).filter((e) => NOT_RUN.some((n) => e.script.includes(n.marker)));
    expect(skipped).toHaveLength(NOT_RUN.length);
  });

  it('answers 2xx to every example, in the order the README gives them', async () => {
    const failures: string[] = [];
    for (const { heading, script } of readmeExamples(README)) {
      if (NOT_RUN.some((n) => script.includes(n.marker))) continue;
      for (const call of await runExample(script)) {
        if (!call.status.startsWith('2') && !(call.status === '200' && call.command.includes('-N'))) {
          failures.push(`${heading}: ${call.status} ${call.command}\n  ${call.body.slice(0, 300)}`);
        }
        const created = /"api_keys":\{"primary":"(fd_live_[^"]+)"/.exec(call.body);
        if (created) env.KEY = created[1]!;
        const client = /"client_id":"([^"]+)","client_secret":"([^"]+)"/.exec(call.body);
        if (client) Object.assign(env, { CLIENT_ID: client[1]!, CLIENT_SECRET: client[2]! });
      }
    }
    expect(failures).toEqual([]);
    expect(env.KEY).toMatch(/^fd_live_/);
  }, 240_000);

  it('delivers the webhooks the README promises to the receiver of the reader', async () => {
    await expect
      .poll(() => received.map((r) => `${r.path} ${r.event}`).sort(), { timeout: 30_000, interval: 250 })
      .toEqual(expect.arrayContaining(['/batch-done batch.completed', '/leads lead.qualified']));
  }, 60_000);
});
