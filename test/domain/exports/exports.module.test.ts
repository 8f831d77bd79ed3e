import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createConversationQueryService } from '../../../src/domain/conversations/conversation-query.service.js';
import { createConversationStore } from '../../../src/domain/conversations/index.js';
import { createExportsModule, type ExportSource } from '../../../src/domain/exports/index.js';
import { createFilesystemStorage } from '../../../src/providers/storage/filesystem.js';
import { createEmbeddedQueue } from '../../../src/queue/embedded.queue.js';
import type { Queue } from '../../../src/queue/queue.js';
import type { Db } from '../../../src/store/db.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';

interface Row {
  id: string;
  caller_phone: string;
  recording_url: string;
  note: string;
}

const ROWS: Record<string, Row[]> = {
  tenant_a: [
    { id: 'a1', caller_phone: '+15551230000', recording_url: 'https://rec/a1.wav', note: 'mail me at a@b.example' },
    { id: 'a2', caller_phone: '+15551239999', recording_url: 'https://rec/a2.wav', note: 'plain' },
  ],
  tenant_b: [{ id: 'b1', caller_phone: '+15550000000', recording_url: 'https://rec/b1.wav', note: 'b' }],
};

/** Records of the tenant asked for, two to a page, laid out by a layout the test supplies. */
const source: ExportSource<Row, { start?: string; end?: string }> = {
  range: (start, end) => ({ start, end }),
  pages(tenantId, _range, pageSize) {
    const rows = ROWS[tenantId] ?? [];
    return Readable.from(
      Array.from({ length: Math.ceil(rows.length / pageSize) }, (_, i) => rows.slice(i * pageSize, (i + 1) * pageSize)),
    );
  },
  layout: { sheet: 'rows', columns: ['id', 'phone', 'note'], row: (r) => [r.id, r.caller_phone, r.note] },
  downloadPath: (exportId) => `/files/${exportId}`,
};

async function seedTenants(db: Db): Promise<void> {
  const now = new Date().toISOString();
  for (const id of Object.keys(ROWS)) await insertTenantRow(db, id, { createdAt: now });
}

const actor: Actor = { kind: 'tenant-key', id: 'key_1', tenantId: 'tenant_a', requestId: 'req_1', mode: 'live' };
const text = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};
const linkParts = (url: string) => {
  const u = new URL(url);
  return { expires: u.searchParams.get('expires') ?? '', signature: u.searchParams.get('signature') ?? '' };
};

describe.each(dialects)('the exports module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let queue: Queue;
  let dataDir: string;
  let now = Date.now();
  const audited: { action: string; targetId: string; after: unknown }[] = [];
  let exports: ReturnType<typeof build>;

  const build = () =>
    createExportsModule({
      db: test.database.db,
      clock: { now: () => new Date(now) },
      queue,
      audit: {
        record: (_actor, entry) => {
          audited.push(entry);
          return Promise.resolve();
        },
      },
      storage: createFilesystemStorage({ root: path.join(dataDir, 'storage') }),
      dataDir,
      masterKey: 'test-master-key-0123456789abcdef0123456789',
      publicBaseUrl: 'https://fd.example',
      requests: source,
      conversations: {
        record: (tenantId, id, range) =>
          createConversationQueryService({ store: createConversationStore(test.database.db) }).record(
            tenantId,
            id,
            range,
          ),
        downloadPath: (file) => `/conversation-files/${file}`,
        file: ({ record, analytics, params }) =>
          JSON.stringify({
            id: record.conversation.id,
            messages: record.messages.length,
            format: params.format,
            analysed: analytics?.messages.total ?? null,
          }),
      },
    });

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    await seedTenants(test.database.db);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-exports-'));
    queue = createEmbeddedQueue(test.database, { pollMs: 20, onError: () => undefined });
    exports = build();
    exports.registerJobs(queue);
    await queue.start();
  });
  afterAll(async () => {
    if (skip) return;
    await queue.stop(1000);
    await test.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe.skipIf(skip)('request exports', () => {
    it('builds a CSV through the supplied layout, with personal data redacted, behind a signed link', async () => {
      const started = await exports.exports.start(actor, 'tenant_a', {
        format: 'csv',
        include_pii: false,
        include_audio: false,
      });
      expect(started).toMatchObject({ status: 'processing', tenantId: 'tenant_a', format: 'csv' });
      const done = await exports.exports.settle('tenant_a', started.id, 10_000);
      expect(done).toMatchObject({ status: 'completed', recordCount: 2 });
      expect(exports.exports.downloadUrl(done).startsWith(`https://fd.example/files/${done.id}?`)).toBe(true);
      const { expires, signature } = linkParts(exports.exports.downloadUrl(done));
      const file = await exports.exports.openDownload(done.id, expires, signature);
      expect(file.fileName).toBe(`${done.id}.csv`);
      expect(await text(file.stream)).toBe(
        'id,phone,note\r\na1,[redacted],mail me at [redacted]\r\na2,[redacted],plain\r\n',
      );
      expect(audited.at(-1)).toMatchObject({ action: 'ingestion_requests.exported', targetId: done.id });
    });

    it('keeps personal data and recordings in a JSON export that asks for them', async () => {
      const started = await exports.exports.start(actor, 'tenant_a', {
        format: 'json',
        include_pii: true,
        include_audio: true,
      });
      const done = await exports.exports.settle('tenant_a', started.id, 10_000);
      const { expires, signature } = linkParts(exports.exports.downloadUrl(done));
      const body = JSON.parse(await text((await exports.exports.openDownload(done.id, expires, signature)).stream));
      expect(body).toEqual(ROWS.tenant_a);
    });

    it('refuses a forged link and a link past its day', async () => {
      const started = await exports.exports.start(actor, 'tenant_a', {
        format: 'xlsx',
        include_pii: false,
        include_audio: false,
      });
      const done = await exports.exports.settle('tenant_a', started.id, 10_000);
      expect(done.status).toBe('completed');
      const { expires, signature } = linkParts(exports.exports.downloadUrl(done));
      await expect(exports.exports.openDownload(done.id, expires, 'f'.repeat(64))).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      now += 25 * 3_600_000;
      try {
        await expect(exports.exports.openDownload(done.id, expires, signature)).rejects.toMatchObject({ code: 'GONE' });
      } finally {
        now -= 25 * 3_600_000;
      }
    });

    it('keeps one tenant’s exports and records from another', async () => {
      const a = await exports.exports.start(actor, 'tenant_a', {
        format: 'json',
        include_pii: true,
        include_audio: false,
      });
      await expect(exports.exports.get('tenant_b', a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const b = await exports.exports.start(actor, 'tenant_b', {
        format: 'json',
        include_pii: true,
        include_audio: false,
      });
      const done = await exports.exports.settle('tenant_b', b.id, 10_000);
      const { expires, signature } = linkParts(exports.exports.downloadUrl(done));
      const body = JSON.parse(await text((await exports.exports.openDownload(done.id, expires, signature)).stream));
      expect(body.map((r: Row) => r.id)).toEqual(['b1']);
    });
  });

  describe.skipIf(skip)('conversation exports', () => {
    it('writes the file the surface lays out, with analytics when asked, behind a link for its tenant only', async () => {
      const id = await seedConversation(test.database.db, 'tenant_a', {
        messages: [
          { sender: 'customer', text: 'hello' },
          { sender: 'bot', text: 'hi there' },
        ],
      });
      const result = await exports.conversationExports.export(actor, 'tenant_a', id, {
        format: 'json',
        includeMetadata: false,
        includeAnalytics: true,
      });
      expect(result).toMatchObject({ conversationId: id, format: 'json', messageCount: 2 });
      const file = `${result.exportId}.json`;
      expect(result.downloadUrl).toMatch(new RegExp(`^https://fd\\.example/conversation-files/${file}\\?`));
      const { expires, signature } = linkParts(result.downloadUrl);
      const opened = await exports.conversationExports.open('tenant_a', file, expires, signature);
      expect(JSON.parse(opened.body.toString('utf8'))).toEqual({ id, messages: 2, format: 'json', analysed: 2 });
      expect(audited.at(-1)).toMatchObject({ action: 'conversation.exported', targetId: id });
      await expect(exports.conversationExports.open('tenant_b', file, expires, signature)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        exports.conversationExports.export(actor, 'tenant_b', id, {
          format: 'json',
          includeMetadata: false,
          includeAnalytics: false,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses analytics in a CSV export', async () => {
      const id = await seedConversation(test.database.db, 'tenant_a');
      await expect(
        exports.conversationExports.export(actor, 'tenant_a', id, {
          format: 'csv',
          includeMetadata: false,
          includeAnalytics: true,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
    });
  });
});
