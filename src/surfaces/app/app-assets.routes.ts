import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The web app's committed build (`npm run app:build`), served as it is. */
const DIST_DIR = fileURLToPath(new URL('../../../web/app/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The page may run only its own scripts and call only its own origin. Mantine sets CSS variables in
 * a `<style>` element and `style` attributes at run time, hence inline styles; nothing may frame it.
 */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

function filesUnder(dir: string, prefix = ''): Array<[string, StaticFile]> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry): Array<[string, StaticFile]> => {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) return filesUnder(path.join(dir, entry.name), `${relative}/`);
    const body = fs.readFileSync(path.join(dir, entry.name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return [[relative, { body, etag, type: TYPES[path.extname(entry.name)] ?? 'application/octet-stream' }]];
  });
}

function send(reply: FastifyReply, file: StaticFile, cacheControl: string, ifNoneMatch: string | undefined) {
  void reply
    .header('Cache-Control', cacheControl)
    .header('ETag', file.etag)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin');
  if (file.type.startsWith('text/html')) void reply.header('Content-Security-Policy', PAGE_CSP);
  if (ifNoneMatch === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}

/** Built files carry a content hash in their names, so they never change under a URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself must be fetched again on every visit to pick up a new release. */
const REVALIDATE = 'no-cache';

/** Answers `GET /app/<rest>`: a built file, or the page for a page path. */
export type AppFileHandler = (rest: string, request: FastifyRequest, reply: FastifyReply) => FastifyReply | void;

/**
 * What `/app/<rest>` answers: a built file, `index.html` for every page path (`/app/inbox/…`), where
 * the app's router takes over, and a 404 for `/app/api/*` (the app's API, never the page) and for a
 * missing file (an old build's script, a mistyped asset), never the page in its place. Exported on
 * its own so a route that first checks the session can answer with it. The build is read once a
 * process: it does not change under a running server, and both routes serving it share it.
 */
export function appFiles(): AppFileHandler {
  return (loaded ??= loadAppFiles());
}

let loaded: AppFileHandler | undefined;

function loadAppFiles(): AppFileHandler {
  const files = new Map(filesUnder(DIST_DIR));
  const index = files.get('index.html');
  if (!index) throw new Error(`${DIST_DIR}index.html is missing: run \`npm run app:build\``);
  return (rest, request, reply) => {
    if (rest === 'api' || rest.startsWith('api/')) return reply.callNotFound();
    const ifNoneMatch = request.headers['if-none-match'];
    const file = rest === '' ? index : files.get(rest);
    if (file) return send(reply, file, rest.startsWith('assets/') ? IMMUTABLE : REVALIDATE, ifNoneMatch);
    if (rest.startsWith('assets/') || path.extname(rest) !== '') return reply.callNotFound();
    return send(reply, index, REVALIDATE, ifNoneMatch);
  };
}

/**
 * The owners' and agents' web app at `/app/`, and `GET /` leading to it. The app's start page is
 * public: it asks `/app/api/me` and sends a signed-out visitor to its log-in page; the other page
 * paths are answered by the pages route, which checks the session first.
 */
export function registerAppAssetRoutes(app: FastifyInstance): void {
  const answer = appFiles();
  // Not API operations: kept out of the OpenAPI document.
  const options = { schema: { hide: true }, config: { auth: 'public' as const } };

  app.get('/', options, (_request, reply) => reply.redirect('/app/', 302));
  app.get('/app', options, (_request, reply) => reply.redirect('/app/', 301));
  app.get('/app/', options, (request, reply) => answer('', request, reply));
}
