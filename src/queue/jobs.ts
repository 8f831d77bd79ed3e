/**
 * The typed catalogue of jobs: each job type and its payload. A domain module adds its
 * jobs here and registers their handlers in its `*.jobs.ts`; tests add their own by
 * declaration merging.
 */
export interface JobPayloads {
  /** Qualifies the leads of one chunk of a batch (positions from ≤ p < to). */
  'batch.process': { tenantId: string; batchId: string; from: number; to: number };
  /** Makes attempt number `attempt` of one outbound webhook delivery; the next attempt is a new job. */
  'webhook.deliver': { tenantId: string; deliveryId: string; attempt: number };
  /** Sends one signed event to a one-off callback URL (a batch's `webhook_url`); `body` is the exact JSON sent. */
  'webhook.callback': { tenantId: string; url: string; eventId: string; body: string };
  /** Writes the file of one spec A request export. */
  'export.build': { tenantId: string; exportId: string };
  /** Runs one step of an ingestion request; `generation` changes with every retry so its dedupe key is fresh. */
  'ingest.step': { tenantId: string; requestId: string; step: string; generation: number };
  /** Sends one outbound message on a messaging platform (or records it in the outbox, or holds it). */
  'channel.deliver': { tenantId: string; deliveryId: string };
  /** Hands a verified platform message to the conversation core when its webhook had to answer first (Slack, Teams); `message` is the normalised message as JSON. */
  'channel.receive': { tenantId: string; message: Record<string, unknown> };
  /** Sends every tenant's due reminders, follow-ups and retention messages; `slot` numbers the 15-minute slot it runs for. */
  'reminders.sweep': { slot: number };
  /** Trains one tenant's conversion model for one run of `conversion_runs`. */
  'conversion.train': { tenantId: string; runId: string };
  /** Tells the people on duty of a handoff that was just opened. */
  'handoff.notify': { tenantId: string; transferId: string };
  /** Runs once the tenant's wait limit after a handoff opened: if nobody took it yet, the owner and the visitor are told. */
  'handoff.wait_limit': { tenantId: string; transferId: string; minutes: number };
  /** Tells a tenant's owner of one event (`kind`: hot_lead, pipeline_failed, webhook_disabled) through its notification rules. */
  'notify.owner': { tenantId: string; event: { kind: string } & Record<string, unknown> };
  /** Finds a started campaign's businesses with the places search, then queues its first dial run. */
  'campaign.source': { tenantId: string; campaignId: string };
  /** Dials a running campaign's due targets; `slot` numbers the minute it runs for (each run queues the next). */
  'campaign.dial': { tenantId: string; campaignId: string; slot: number };
}

export type JobType = keyof JobPayloads;
