import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilesystemStorage } from '../../../src/providers/storage/filesystem.js';
import type { BlobStorage } from '../../../src/providers/storage/storage.js';
import { blobStorageContract } from './blob-storage.contract.js';

const roots: string[] = [];
function freshRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-blobs-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});
const open = (root = freshRoot()): BlobStorage => createFilesystemStorage({ root });

blobStorageContract('filesystem storage', () => open());

describe('filesystem blob storage', () => {
  it('writes under the root and names the file with a file:// URL', async () => {
    const root = freshRoot();
    const stored = await open(root).put('tenants/t1/recordings/rec_1.mp3', Buffer.from('ID3'), 'audio/mpeg');

    const file = fileURLToPath(stored.url);
    expect(file).toBe(path.join(root, 'blobs', 'tenants', 't1', 'recordings', 'rec_1.mp3'));
    expect(fs.readFileSync(file, 'utf8')).toBe('ID3');
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('keeps the content type across restarts, in a meta tree that reserves no key names', async () => {
    const root = freshRoot();
    await open(root).put('tenants/t1/notes.meta.json', Buffer.from('{}'), 'application/json');
    await open(root).put('tenants/t1/voice', Buffer.from('RIFF'), 'audio/wav');

    const reopened = open(root);
    expect(await reopened.get('tenants/t1/voice')).toEqual({ body: Buffer.from('RIFF'), contentType: 'audio/wav' });
    expect(await reopened.get('tenants/t1/notes.meta.json')).toEqual({
      body: Buffer.from('{}'),
      contentType: 'application/json',
    });
  });

  it('serves a blob whose meta file is missing as application/octet-stream', async () => {
    const root = freshRoot();
    await open(root).put('tenants/t1/a.bin', Buffer.from([1, 2, 3]), 'application/x-custom');
    fs.rmSync(path.join(root, 'meta', 'tenants', 't1', 'a.bin.json'));

    expect(await open(root).get('tenants/t1/a.bin')).toEqual({
      body: Buffer.from([1, 2, 3]),
      contentType: 'application/octet-stream',
    });
  });

  it("removes a tenant's directories entirely when deleting its prefix", async () => {
    const root = freshRoot();
    const store = open(root);
    await store.put('tenants/t1/recordings/r1.mp3', Buffer.from('x'), 'audio/mpeg');
    await store.put('tenants/t2/recordings/r1.mp3', Buffer.from('y'), 'audio/mpeg');
    await store.deletePrefix('tenants/t1/');

    expect(fs.readdirSync(path.join(root, 'blobs', 'tenants'))).toEqual(['t2']);
    expect(fs.readdirSync(path.join(root, 'meta', 'tenants'))).toEqual(['t2']);
  });

  it('refuses a key that would need a stored blob to be a folder, or a folder to be a blob', async () => {
    const root = freshRoot();
    const store = open(root);
    await store.put('tenants/t1/a', Buffer.from('a'), 'text/plain');
    await store.put('tenants/t1/dir/b', Buffer.from('b'), 'text/plain');

    await expect(store.put('tenants/t1/a/b', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({
      kind: 'invalid_key',
      retryable: false,
    });
    await expect(store.put('tenants/t1/dir', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({
      kind: 'invalid_key',
      retryable: false,
    });
    expect(await store.get('tenants/t1/a')).toEqual({ body: Buffer.from('a'), contentType: 'text/plain' });
    expect(fs.existsSync(path.join(root, 'meta', 'tenants', 't1', 'dir.json'))).toBe(false);
  });

  it('writes nothing outside the root when a traversal key is refused', async () => {
    const parent = freshRoot();
    const root = path.join(parent, 'store');
    await expect(open(root).put('../outside.txt', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({
      kind: 'invalid_key',
    });

    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
