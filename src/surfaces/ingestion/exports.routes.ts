import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngestionDeps } from './services.js';
import { AppError } from '../../domain/errors.js';
import { EXPORT_FORMATS, type ExportRecord } from '../../domain/exports/index.js';
import { MANAGEMENT, dateParam, exportStatusView, exportView, ok, tenantActor, tenantParams } from './views.js';

const tags = ['ingestion: management'];
/** How long the export route holds the connection for the file before answering 202 with a status URL. */
const EXPORT_WAIT_MS = 10_000;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('json'),
  start_date: dateParam.optional().describe('Created on or after this day or instant'),
  end_date: dateParam.optional().describe('Created on or before this day (whole day) or instant'),
  include_pii: flag.describe('Include caller names, phone numbers, e-mails and transcripts (redacted otherwise)'),
  include_audio: flag.describe('Include recording URLs (dropped otherwise)'),
});

const exportParams = tenantParams.extend({ export_id: z.string().min(1).max(64) });
const downloadParams = z.object({ export_id: z.string().min(1).max(64) });
// Missing parts make a link that does not verify (403), not a malformed request.
const downloadQuery = z.object({ expires: z.string().max(20).default(''), signature: z.string().max(128).default('') });

const exportSchema = {
  params: tenantParams,
  querystring: exportQuery,
  tags,
  summary: 'Export request data (spec A); 202 with a status URL when the file takes longer than 10 s',
  description:
    'Builds a file (json, csv or xlsx) of the requests created in the range. PII and recording URLs are left out unless asked for. The answer waits up to 10 s for the file; after that it is 202 with a status URL to poll.',
  docs: {
    ok: {
      200: 'The finished export: `{ success, data: { export_id, download_url, expires_at, … }, request_id }`',
      202: 'Still building: `{ success, data: { export_id, status, status_url, expires_at }, request_id }`',
    },
    errors: ['NOT_FOUND:tenant'],
  },
} satisfies FastifySchema;

const exportStatusSchema = {
  params: exportParams,
  tags,
  summary: 'Status of a request export',
  description: 'Where an export stands; once completed it carries the signed download URL.',
  docs: {
    ok: { 200: '`{ success, data: { export_id, status, download_url, status_url, … }, request_id }`' },
    errors: ['NOT_FOUND:tenant', 'NOT_FOUND:export'],
  },
} satisfies FastifySchema;

const downloadSchema = {
  params: downloadParams,
  querystring: downloadQuery,
  tags,
  summary: 'Download an export file through its signed, expiring link',
  description:
    'Streams the export file. The link needs no credential: its `expires` and `signature` are checked instead, so it can be handed to a browser.',
  docs: {
    ok: { 200: 'The file, with the Content-Type of its format and an attachment Content-Disposition' },
    errors: ['FORBIDDEN', 'GONE', 'NOT_FOUND:export', 'DATABASE'],
  },
} satisfies FastifySchema;

/** Spec A's request export, the status route a slow export points at, and the signed download. */
export function registerExportRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { exports, tenants } = deps.services;
  const base = deps.config.http.publicBaseUrl;
  const statusUrl = (r: ExportRecord) =>
    `${base}/v1/tenants/${encodeURIComponent(r.tenantId)}/exports/${encodeURIComponent(r.id)}`;

  app.get(
    '/v1/tenants/:tenant_id/requests/export',
    {
      schema: exportSchema,
      config: { auth: MANAGEMENT },
    },
    async (request, reply) => {
      const tenantId = request.params.tenant_id;
      const actor = tenantActor(request, tenantId, 'read');
      await tenants.get(tenantId);
      const started = await exports.start(actor, tenantId, request.query);
      const record = await exports.settle(tenantId, started.id, EXPORT_WAIT_MS);
      if (record.status === 'completed') return ok(request, exportView(record, exports.downloadUrl(record)));
      if (record.status === 'failed') throw new AppError('INTERNAL', `Export ${record.id} failed`);
      return reply.code(202).send(
        ok(request, {
          export_id: record.id,
          status: record.status,
          status_url: statusUrl(record),
          expires_at: record.expiresAt,
        }),
      );
    },
  );

  app.get(
    '/v1/tenants/:tenant_id/exports/:export_id',
    {
      schema: exportStatusSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      const { tenant_id: tenantId, export_id: exportId } = request.params;
      tenantActor(request, tenantId, 'read');
      await tenants.get(tenantId);
      const record = await exports.get(tenantId, exportId);
      return ok(
        request,
        exportStatusView(record, {
          downloadUrl: record.status === 'completed' ? exports.downloadUrl(record) : null,
          statusUrl: statusUrl(record),
        }),
      );
    },
  );

  app.get(
    '/v1/exports/:export_id/download',
    {
      schema: downloadSchema,
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const file = await exports.openDownload(request.params.export_id, request.query.expires, request.query.signature);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    },
  );
}
