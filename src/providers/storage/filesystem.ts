import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StorageError, assertValidKey, assertValidPrefix } from './storage.js';
import type { BlobStorage, StoredBlob } from './storage.js';

/**
 * The local twin of blob storage: files under one root directory, normally
 * `{FRONTDESK_DATA_DIR}/files` so blobs never mix with the database and key files. Layout:
 *
 *   {root}/blobs/{key}        the bytes
 *   {root}/meta/{key}.json    `{ "contentType": … }`
 *   {root}/tmp/               writes in progress
 *
 * Content types live in a parallel tree rather than beside each file so that no key is reserved
 * and a listing of `blobs/` is exactly the set of keys. Writes land in `tmp/` and are renamed into
 * place, which is atomic on one filesystem, so a reader never sees half a recording.
 * `StoredBlob.url` is the file's `file://` URL: useful to an operator on the same machine, and
 * never given out over HTTP. Unlike S3, a directory cannot also be a file, so `a` and `a/b`
 * cannot both be stored; the second write fails as `invalid_key`.
 */
export interface FilesystemStorageOptions {
  /** Created on first write. */
  root: string;
}

interface Meta {
  contentType: string;
}

/** Where a store's files go under its root. */
interface Layout {
  blobsDir: string;
  metaDir: string;
  tmpDir: string;
}

/** Keys are validated already; resolving and re-checking the prefix keeps a future rule change from opening a way out. */
function inside(dir: string, relative: string): string {
  const full = path.resolve(dir, ...relative.split('/'));
  if (full !== dir && !full.startsWith(dir + path.sep))
    throw new StorageError('invalid_key', `storage key ${JSON.stringify(relative)} leaves the storage root`);
  return full;
}
const blobPath = (layout: Layout, key: string): string => inside(layout.blobsDir, key);
const metaPath = (layout: Layout, key: string): string => `${inside(layout.metaDir, key)}.json`;

async function writeAtomically(layout: Layout, target: string, data: Buffer | string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.mkdir(layout.tmpDir, { recursive: true });
  const temp = path.join(layout.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

async function putBlob(layout: Layout, key: string, body: Buffer, contentType: string): Promise<StoredBlob> {
  assertValidKey(key);
  const file = blobPath(layout, key);
  await guard(`write ${key}`, async () => {
    try {
      // Meta first: once the bytes are visible their content type is too.
      await writeAtomically(layout, metaPath(layout, key), JSON.stringify({ contentType } satisfies Meta));
      await writeAtomically(layout, file, body);
    } catch (err) {
      if (!isPathConflict(err)) throw err;
      // The meta tree has no such conflict, so the meta just written would outlive the refused blob.
      await fs.rm(metaPath(layout, key), { force: true });
      throw new StorageError(
        'invalid_key',
        `storage key ${JSON.stringify(key)} collides with a stored blob or folder of the same name`,
        { cause: err },
      );
    }
  });
  return { key, url: pathToFileURL(file).href, bytes: body.length };
}

async function deleteBlob(layout: Layout, key: string): Promise<void> {
  assertValidKey(key);
  await guard(`delete ${key}`, async () => {
    try {
      await fs.rm(blobPath(layout, key), { force: true });
    } catch (err) {
      // The key names a folder of other blobs: nothing is stored under the key itself.
      if (!isMissing(err)) throw err;
      return;
    }
    await fs.rm(metaPath(layout, key), { force: true });
  });
}

async function deleteByPrefix(layout: Layout, prefix: string): Promise<number> {
  assertValidPrefix(prefix);
  return guard(`delete ${prefix}*`, async () => {
    // The prefix splits into the directory it names and the start of a name inside it: `a/b/` is all of a/b, `a/b/rec_` only the entries of a/b starting with rec_.
    const cut = prefix.lastIndexOf('/');
    const dir = cut === -1 ? '' : prefix.slice(0, cut);
    const start = prefix.slice(cut + 1);
    const blobParent = dir ? inside(layout.blobsDir, dir) : layout.blobsDir;
    const metaParent = dir ? inside(layout.metaDir, dir) : layout.metaDir;
    let deleted = 0;
    for (const entry of await listIfExists(blobParent)) {
      if (!entry.name.startsWith(start)) continue;
      const blob = path.join(blobParent, entry.name);
      deleted += entry.isDirectory() ? await countFiles(blob) : 1;
      await fs.rm(blob, { recursive: true, force: true });
      await fs.rm(path.join(metaParent, entry.isDirectory() ? entry.name : `${entry.name}.json`), {
        recursive: true,
        force: true,
      });
    }
    // A prefix ending in `/` names a whole directory (a tenant's files): leave no empty directory behind.
    if (start === '' && dir) {
      await fs.rm(blobParent, { recursive: true, force: true });
      await fs.rm(metaParent, { recursive: true, force: true });
    }
    return deleted;
  });
}

export function createFilesystemStorage(opts: FilesystemStorageOptions): BlobStorage {
  const root = path.resolve(opts.root);
  const layout: Layout = {
    blobsDir: path.join(root, 'blobs'),
    metaDir: path.join(root, 'meta'),
    tmpDir: path.join(root, 'tmp'),
  };
  return {
    kind: 'filesystem',
    put: (key, body, contentType) => putBlob(layout, key, body, contentType),
    async get(key) {
      assertValidKey(key);
      const body = await guard(`read ${key}`, () => readIfExists(blobPath(layout, key)));
      if (!body) return undefined;
      const meta = await guard(`read ${key}`, () => readIfExists(metaPath(layout, key)));
      return { body, contentType: contentTypeOf(meta) };
    },
    delete: (key) => deleteBlob(layout, key),
    deletePrefix: (prefix) => deleteByPrefix(layout, prefix),
  };
}

/** Local file errors are environment problems (disk full, permissions) that an operator must fix or that pass; none is the caller's fault. */
async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError(
      'unavailable',
      `filesystem storage could not ${what}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/** Nothing is stored under the key: no such file, a segment of the key is a file (ENOTDIR), or the key is a folder (EISDIR). */
function isMissing(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    ['ENOENT', 'ENOTDIR', 'EISDIR', 'ERR_FS_EISDIR'].includes(String(err.code))
  );
}

/** A segment of the key is an existing file (ENOTDIR, EEXIST from mkdir), or the key is an existing folder (EISDIR). */
function isPathConflict(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err.code === 'ENOTDIR' || err.code === 'EEXIST' || err.code === 'EISDIR')
  );
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

async function listIfExists(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await listIfExists(dir))
    count += entry.isDirectory() ? await countFiles(path.join(dir, entry.name)) : 1;
  return count;
}

/** A blob written before its meta file (or whose meta was lost) is still served, as opaque bytes. */
function contentTypeOf(meta: Buffer | undefined): string {
  if (!meta) return 'application/octet-stream';
  try {
    const parsed = JSON.parse(meta.toString('utf8')) as Partial<Meta>;
    return typeof parsed.contentType === 'string' && parsed.contentType
      ? parsed.contentType
      : 'application/octet-stream';
  } catch {
    return 'application/octet-stream';
  }
}
