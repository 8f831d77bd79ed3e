import { z } from 'zod';

/** The steps of a request, in the order they run. `webhook_received` is recorded at intake. */
export const INGESTION_STEPS = [
  'webhook_received',
  'callrail_api_fetch',
  'audio_download',
  'speech_to_text',
  'ai_analysis',
  'crm_integration',
  'notification',
] as const;
export type IngestionStep = (typeof INGESTION_STEPS)[number];
/** The steps that run as jobs, after intake. */
export type PipelineStep = Exclude<IngestionStep, 'webhook_received'>;
/** The steps that run as jobs, in order (`webhook_received` is the intake itself). */
export const PIPELINE_STEPS = INGESTION_STEPS.filter((s): s is PipelineStep => s !== 'webhook_received') as [
  PipelineStep,
  ...PipelineStep[],
];

export const REQUEST_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const SOURCE_TYPES = ['callrail', 'webform', 'api'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** The tenant configuration the pipeline reads, validated where it is used. */
export const pipelineConfigSchema = z.looseObject({
  callrail_company_id: z.string().optional(),
  callrail: z
    .looseObject({
      signature_scheme: z.enum(['spec_hmac_sha256', 'callrail_signature', 'both']).default('both'),
      account_id: z.string().optional(),
      api_key: z.string().optional(),
      signing_secret: z.string().optional(),
      api_base_url: z.string().optional(),
    })
    .default({ signature_scheme: 'both' }),
  crm_config: z
    .looseObject({
      provider: z.enum(['hubspot', 'salesforce', 'none']).optional(),
      pipeline_id: z.string().optional(),
      owner_email: z.string().optional(),
    })
    .default({}),
  ai_config: z.looseObject({ lead_scoring_threshold: z.number().default(70) }).default({ lead_scoring_threshold: 70 }),
  notification_config: z
    .looseObject({
      slack_webhook: z.string().optional(),
      email_alerts: z.array(z.string()).default([]),
      high_value_threshold: z.number().default(80),
    })
    .default({ email_alerts: [], high_value_threshold: 80 }),
  speech_to_text: z
    .looseObject({
      providers: z
        .array(
          z.looseObject({
            kind: z.enum(['openai', 'deepgram', 'pocketsphinx']),
            base_url: z.string().optional(),
            api_key: z.string().optional(),
            model: z.string().optional(),
          }),
        )
        .default([]),
      language: z.string().optional(),
    })
    .default({ providers: [] }),
});
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
