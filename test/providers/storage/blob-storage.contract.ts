import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/providers/storage/storage.js';
import type { BlobStorage } from '../../../src/providers/storage/storage.js';

/** Behaviour both blob storage twins share: run once per implementation with a fresh, empty store. */
export function blobStorageContract(name: string, open: () => BlobStorage): void {
  describe(`${name} (blob storage contract)`, () => {
    it('reads back exactly the bytes and content type it stored, and reports their size', async () => {
      const store = open();
      const audio = Buffer.from([0x49, 0x44, 0x33, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80]);
      const stored = await store.put('tenants/t1/recordings/rec_1.mp3', audio, 'audio/mpeg');

      expect(stored).toMatchObject({ key: 'tenants/t1/recordings/rec_1.mp3', bytes: audio.length });
      expect(await store.get('tenants/t1/recordings/rec_1.mp3')).toEqual({ body: audio, contentType: 'audio/mpeg' });
    });

    it('replaces a blob written again under the same key', async () => {
      const store = open();
      await store.put('tenants/t1/exports/e.json', Buffer.from('{"v":1}'), 'application/json');
      await store.put('tenants/t1/exports/e.json', Buffer.from('v2'), 'text/plain');

      expect(await store.get('tenants/t1/exports/e.json')).toEqual({
        body: Buffer.from('v2'),
        contentType: 'text/plain',
      });
    });

    it('answers undefined for a key that holds nothing, including one below an existing blob', async () => {
      const store = open();
      await store.put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain');

      expect(await store.get('tenants/t1/missing.txt')).toBeUndefined();
      expect(await store.get('tenants/t1/a.txt/below')).toBeUndefined();
    });

    it('treats a key that is only a prefix of other keys as holding nothing', async () => {
      const store = open();
      await store.put('tenants/t1/recordings/r1.mp3', Buffer.from('r'), 'audio/mpeg');

      expect(await store.get('tenants/t1/recordings')).toBeUndefined();
      await store.delete('tenants/t1/recordings');
      expect(await store.get('tenants/t1/recordings/r1.mp3')).toBeDefined();
    });

    it('deletes one blob, and deleting a missing one is not an error', async () => {
      const store = open();
      await store.put('tenants/t1/a.txt', Buffer.from('a'), 'text/plain');
      await store.delete('tenants/t1/a.txt');
      await store.delete('tenants/t1/a.txt');

      expect(await store.get('tenants/t1/a.txt')).toBeUndefined();
    });

    it("deletes a tenant's prefix without touching a tenant whose id merely starts the same", async () => {
      const store = open();
      for (const key of [
        'tenants/t1/recordings/r1.mp3',
        'tenants/t1/recordings/r2.mp3',
        'tenants/t1/exports/e1.json',
        'tenants/t1/a.txt',
        'tenants/t1/b.txt',
      ]) {
        await store.put(key, Buffer.from(key), 'text/plain');
      }
      await store.put('tenants/t10/recordings/r1.mp3', Buffer.from('keep'), 'audio/mpeg');

      expect(await store.deletePrefix('tenants/t1/')).toBe(5);
      expect(await store.get('tenants/t1/recordings/r1.mp3')).toBeUndefined();
      expect(await store.get('tenants/t1/a.txt')).toBeUndefined();
      expect(await store.get('tenants/t10/recordings/r1.mp3')).toEqual({
        body: Buffer.from('keep'),
        contentType: 'audio/mpeg',
      });
      expect(await store.deletePrefix('tenants/t1/')).toBe(0);
    });

    it('deletes by a prefix that ends inside a name', async () => {
      const store = open();
      await store.put('tenants/t1/recordings/rec_a.mp3', Buffer.from('a'), 'audio/mpeg');
      await store.put('tenants/t1/recordings/rec_b.mp3', Buffer.from('b'), 'audio/mpeg');
      await store.put('tenants/t1/recordings/other.mp3', Buffer.from('o'), 'audio/mpeg');

      expect(await store.deletePrefix('tenants/t1/recordings/rec_')).toBe(2);
      expect(await store.get('tenants/t1/recordings/other.mp3')).toBeDefined();
    });

    it.each([
      '../escape.txt',
      'tenants/../../escape.txt',
      'tenants/t1/..',
      '/etc/passwd',
      'C:/windows/x',
      'tenants\\t1\\x',
      'tenants//t1',
      'tenants/./t1',
      '',
      'tenants/t1/\u0000x',
    ])('refuses the key %j on every operation', async (key) => {
      const store = open();
      await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({
        kind: 'invalid_key',
        retryable: false,
      });
      await expect(store.get(key)).rejects.toBeInstanceOf(StorageError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(StorageError);
    });

    it('refuses an empty prefix and one that climbs out, so nothing can delete the whole store', async () => {
      const store = open();
      await expect(store.deletePrefix('')).rejects.toMatchObject({ kind: 'invalid_key' });
      await expect(store.deletePrefix('../')).rejects.toMatchObject({ kind: 'invalid_key' });
      await expect(store.deletePrefix('/')).rejects.toMatchObject({ kind: 'invalid_key' });
    });
  });
}
