import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The widget's files, plain HTML/CSS/JS with no build step, served as they are in `web/widget/`. */
const WIDGET_DIR = new URL('../../../web/widget/', import.meta.url);

/** The chat may only load its own files and call its own origin's API; any site may frame it. */
const CHAT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *";

interface Asset {
  file: string;
  type: string;
  summary: string;
  description: string;
}

const ASSETS: readonly Asset[] = [
  {
    file: 'embed.js',
    type: 'text/javascript; charset=utf-8',
    summary: 'The web widget loader script',
    description:
      'One `<script src="…/widget/embed.js" data-token="<widget token>" async></script>` on any site adds a chat bubble in the tenant’s colours that opens `/widget/chat.html` in an iframe. Any origin may load it.',
  },
  {
    file: 'chat.html',
    type: 'text/html; charset=utf-8',
    summary: 'The web widget chat page',
    description:
      'The chat the loader frames, reading the widget token from its URL fragment (`#token=…`) and talking to `/v1/widget/*` on this origin.',
  },
  {
    file: 'chat.js',
    type: 'text/javascript; charset=utf-8',
    summary: 'The web widget chat script',
    description: 'The chat page’s script.',
  },
  {
    file: 'chat.css',
    type: 'text/css; charset=utf-8',
    summary: 'The web widget chat styles',
    description: 'The chat page’s styles.',
  },
];

/**
 * `GET /widget/<file>`: public, cacheable for five minutes (the loader's URL never changes, so a new
 * version reaches sites within that), revalidated by ETag, and loadable from any origin.
 */
export function registerWidgetAssetRoutes(app: FastifyInstance): void {
  for (const asset of ASSETS) {
    const body = readFileSync(new URL(asset.file, WIDGET_DIR));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    app.get(
      `/widget/${asset.file}`,
      {
        schema: {
          tags: ['telephony: widget sessions'],
          summary: asset.summary,
          description: asset.description,
          produces: [asset.type.split(';')[0] ?? asset.type],
          docs: { ok: { 200: `The file, \`${asset.type}\`` } },
        },
        config: { auth: 'public' },
      },
      (request, reply) => {
        void reply
          .header('Cache-Control', 'public, max-age=300')
          .header('ETag', etag)
          .header('Access-Control-Allow-Origin', '*')
          .header('Cross-Origin-Resource-Policy', 'cross-origin')
          .header('X-Content-Type-Options', 'nosniff');
        if (asset.file.endsWith('.html')) void reply.header('Content-Security-Policy', CHAT_CSP);
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.type(asset.type).send(body);
      },
    );
  }
}
