import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { tenantOf } from '../../http/auth.js';
import type { LeadgenDeps } from './services.js';
import {
  campaignParams,
  campaignResponse,
  campaignStatsResponse,
  createCampaignSchema,
  uploadQuery,
  uploadReportResponse,
} from './campaigns.schemas.js';
import { campaignStatsView, campaignView, uploadReportView } from './campaigns.views.js';

const TENANT = { auth: { allow: ['tenant-key', 'admin'] } } as const;
const tags = ['leadgen: campaigns'];

const listSchema = {
  tags,
  summary: 'List campaigns (spec B)',
  description: "The tenant's campaigns, newest first.",
  response: { 200: campaignResponse.array() },
} satisfies FastifySchema;

const createSchema = {
  tags,
  summary: 'Create a campaign (spec B)',
  description: 'A campaign starts as a `draft`: upload people to call, then start it.',
  body: createCampaignSchema,
  response: { 201: campaignResponse },
  docs: {
    example: {
      name: 'Mumbai Real Estate Q1',
      niche: 'real_estate',
      client_name: 'ABC Properties',
      client_service: 'Premium Apartments',
      target_cities: ['Mumbai', 'Pune'],
      target_lead_count: 500,
      daily_call_limit: 100,
    },
  },
} satisfies FastifySchema;

function transitionSchema(verb: string, description: string) {
  return {
    tags,
    params: campaignParams,
    summary: `${verb} a campaign (spec B)`,
    description: `${description} A campaign in another state answers 409 CONFLICT with its \`status\` in the details.`,
    response: { 200: campaignResponse },
    docs: { errors: ['NOT_FOUND:campaign', 'CONFLICT'] },
  } satisfies FastifySchema;
}

const statsSchema = {
  tags,
  params: campaignParams,
  summary: 'Campaign statistics (spec B)',
  description:
    "Counts and rates from the outcomes of the campaign's calls: `connection_rate` = answered by a person / called, `qualification_rate` = qualified / called, `conversion_rate` = appointments / qualified (docs/campaigns.md).",
  response: { 200: campaignStatsResponse },
  docs: { errors: ['NOT_FOUND:campaign'] },
} satisfies FastifySchema;

const uploadSchema = {
  tags,
  params: campaignParams,
  querystring: uploadQuery,
  consumes: ['text/csv'],
  summary: 'Upload people to call (CSV)',
  description:
    'A `text/csv` body with a header row, read row by row as it streams: `phone` (or `phone_number`, `mobile`, `number`) is required and put in E.164 (numbers without `+` read in `default_country`); `company` (or `company_name`, `business_name`, `name`), `city` and `category` are taken when present. Each row becomes a lead (source `campaign`) and a target of the campaign; a phone the campaign already has is rejected. Row numbers count the header as row 1.',
  response: { 200: uploadReportResponse },
  docs: { errors: ['NOT_FOUND:campaign', 'UNSUPPORTED_MEDIA_TYPE'] },
} satisfies FastifySchema;

const dncSchema = {
  tags,
  querystring: uploadQuery,
  consumes: ['text/csv'],
  summary: 'Upload do-not-call numbers (CSV)',
  description:
    "Numbers no campaign of the tenant will dial, one per line in the first column (further columns, such as the NCPR/DND registry's preference column, are ignored; a first line with letters is a header). A bare 10-digit number is an Indian one, as in the NCPR registry files.",
  response: { 200: uploadReportResponse },
  docs: { errors: ['UNSUPPORTED_MEDIA_TYPE'] },
} satisfies FastifySchema;

/** Spec B's campaigns under `/api/campaigns`. */
export function registerCampaignRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { campaigns } = deps.services;

  for (const path of ['/api/campaigns', '/api/campaigns/']) {
    app.get(path, { schema: listSchema, config: TENANT }, async (request) =>
      (await campaigns.list(tenantOf(request))).map(campaignView),
    );
    app.post(path, { schema: createSchema, config: TENANT }, async (request, reply) => {
      const b = request.body;
      const campaign = await campaigns.create(tenantOf(request), {
        name: b.name,
        niche: b.niche,
        clientName: b.client_name,
        clientService: b.client_service,
        targetCities: b.target_cities,
        targetLeadCount: b.target_lead_count,
        dailyCallLimit: b.daily_call_limit,
      });
      return reply.code(201).send(campaignView(campaign));
    });
  }

  const transitions = [
    [
      'start',
      'Start',
      'A draft campaign starts: its places search runs, then calls go out within calling hours and its daily limit.',
    ],
    ['pause', 'Pause', 'A running campaign stops dialling at once; calls under way end normally.'],
    ['resume', 'Resume', 'A paused campaign dials again.'],
  ] as const;
  for (const [action, verb, description] of transitions)
    app.post(
      `/api/campaigns/:campaign_id/${action}`,
      { schema: transitionSchema(verb, description), config: TENANT },
      async (request) => campaignView(await campaigns[action](tenantOf(request), request.params.campaign_id)),
    );

  app.get('/api/campaigns/:campaign_id/stats', { schema: statsSchema, config: TENANT }, async (request) =>
    campaignStatsView(await campaigns.stats(tenantOf(request), request.params.campaign_id)),
  );

  registerUploads(app, deps);
}

/** The CSV uploads, in a scope that hands the body over as a stream so rows are read as they arrive. */
function registerUploads(scope: FastifyInstance, deps: LeadgenDeps): void {
  const { campaigns } = deps.services;
  void scope.register((child, _options, done) => {
    child.addContentTypeParser('text/csv', (_request, payload, next) => next(null, payload));
    const app = child.withTypeProvider<ZodTypeProvider>();
    app.post('/api/campaigns/:campaign_id/leads/upload', { schema: uploadSchema, config: TENANT }, async (request) => {
      const body = request.body as Readable;
      const report = await campaigns.uploadLeads(
        tenantOf(request),
        request.params.campaign_id,
        body,
        request.query.default_country,
      );
      return uploadReportView(report);
    });
    app.post('/api/campaigns/dnc', { schema: dncSchema, config: TENANT }, async (request) =>
      uploadReportView(
        await campaigns.uploadDnc(tenantOf(request), request.body as Readable, request.query.default_country),
      ),
    );
    done();
  });
}
