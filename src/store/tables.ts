import type { Generated } from 'kysely';

/**
 * Row shapes shared by SQLite and PostgreSQL. Times are ISO-8601 UTC strings and JSON
 * is text in both dialects, so a row reads the same whichever database holds it.
 */

/**
 * Test mode's flag: PostgreSQL keeps a boolean and SQLite 1/0. Writes pass 1 or 0, which both
 * accept, and reads go through Boolean(). Optional because a row written without it is live (the
 * column's default); `Generated` would not fit the repositories that read rows as these shapes.
 */
export type Livemode = number | boolean;

export interface TenantsTable {
  id: string;
  name: string;
  domain: string | null;
  status: string;
  plan: string;
  timezone: string;
  /** JSON: the one tenant configuration model, secrets sealed. */
  config: string;
  config_version: number;
  created_at: string;
  updated_at: string;
}

export interface CredentialsTable {
  id: string;
  tenant_id: string;
  kind: string;
  /** Public half where a credential has one (OAuth client_id). */
  public_id: string | null;
  /** SHA-256 of the secret for credentials we only need to verify. */
  key_hash: string | null;
  /** Sealed secret for credentials we must use ourselves (HMAC signing secrets). */
  sealed_secret: string | null;
  /** First characters, so people can tell keys apart in lists. */
  display_prefix: string;
  created_at: string;
  revoked_at: string | null;
  /** A revoked webhook secret still verifies until then (the tenant's grace window); null for every other row. */
  retires_at: string | null;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: string;
  permissions: string;
  status: string;
  department: string | null;
  /** The person's own mobile in E.164, for notices by SMS. */
  phone: string | null;
  invitation_token_hash: string | null;
  invitation_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A person's password for the web app (written by `domain/people`). */
export interface UserPasswordsTable {
  tenant_id: string;
  user_id: string;
  password_hash: string;
  updated_at: string;
}

/** A one-time sign-in link; only the token's hash is kept. */
export interface MagicLinksTable {
  token_hash: string;
  tenant_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A web-app session; only the hash of the cookie's id is kept. */
export interface AppSessionsTable {
  id_hash: string;
  tenant_id: string | null;
  kind: string;
  user_id: string | null;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  created_at: string;
}

export interface UsageCountersTable {
  tenant_id: string;
  /** Calendar month in UTC, `YYYY-MM`. */
  period: string;
  metric: string;
  value: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_sealed: string;
  created_at: string;
  /** Set when a newer key replaced this one: it verifies until then (a grace for tokens it signed), then is retired. */
  retires_at: string | null;
}

/** A tenant's token generation: stamped into each JWT it is issued; a credential rotation moves it forward, revoking older JWTs. */
export interface TokenGenerationsTable {
  tenant_id: string;
  generation: number;
  updated_at: string;
}

export interface PlatformStateTable {
  key: string;
  value: string;
}

export interface JobsTable {
  id: string;
  tenant_id: string | null;
  type: string;
  payload: string;
  status: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  worker_id: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface LeadsTable {
  id: string;
  tenant_id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  message: string | null;
  source: string;
  metadata: string;
  status: string;
  score: number | null;
  tier: string | null;
  intent: string | null;
  recommended_action: string | null;
  /** JSON: the engine's full analysis of the latest qualification. */
  analysis: string | null;
  enrichment: string | null;
  processing_time_ms: number | null;
  qualified_at: string | null;
  won_at: string | null;
  /** The person (contacts.id); null when the lead has neither phone nor e-mail. */
  contact_id: string | null;
  /** Where and in what trade, as spec B's leads and campaigns give them; null when no one said. */
  city?: string | null;
  niche?: string | null;
  category?: string | null;
  created_at: string;
  updated_at: string;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface LeadScoresTable {
  id: string;
  tenant_id: string;
  lead_id: string;
  score: number;
  tier: string;
  breakdown: string;
  reasoning: string;
  provider: string;
  model: string;
  cost_usd: number;
  created_at: string;
}

export interface BatchesTable {
  id: string;
  tenant_id: string;
  status: string;
  priority: string;
  total: number;
  processed: number;
  failed: number;
  webhook_url: string | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  processing_time_ms: number | null;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface BatchItemsTable {
  id: string;
  tenant_id: string;
  batch_id: string;
  position: number;
  input: string;
  status: string;
  lead_id: string | null;
  score: number | null;
  tier: string | null;
  error: string | null;
}

export interface CrmSyncsTable {
  id: string;
  tenant_id: string;
  lead_id: string | null;
  request_id: string | null;
  crm_type: string;
  crm_record_id: string | null;
  status: string;
  sync_time_ms: number | null;
  error: string | null;
  created_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  tenant_id: string;
  url: string;
  /** JSON: the event types this endpoint receives. */
  events: string;
  /** Sealed with the master key; the plain secret is shown once, at creation. */
  sealed_secret: string;
  status: string;
  /** Deliveries in a row that ended dead, reset by any delivered one. */
  consecutive_failures: number;
  /** First failed attempt since the last success; null while healthy. */
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The exact JSON text that is signed and sent, on every attempt and replay. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  /** The delivery this one replays. */
  replay_of: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  requested_at: string;
  duration_ms: number;
  status_code: number | null;
  /** First 2 KB of what the receiver answered. */
  response_body: string | null;
  error: string | null;
}

export interface WebhookCallbackSecretsTable {
  tenant_id: string;
  sealed_secret: string;
  created_at: string;
}

export interface IngestionRequestsTable {
  id: string;
  tenant_id: string;
  /** `callrail`, `webform` or `api`. */
  source_type: string;
  /** CallRail's call id, or the form's own id. */
  external_id: string | null;
  /** `callrail:<call_id>` or `key:<Idempotency-Key>`: unique per tenant. */
  dedupe_key: string | null;
  status: string;
  original_payload: string;
  /** JSON: spec A's `call_data`. */
  call_data: string;
  /** JSON: spec A's `enriched_data` (callrail_details, audio_analysis, ai_analysis). */
  enriched_data: string;
  /** JSON: spec A's `ai_analysis` summary of the list view. */
  ai_analysis: string | null;
  lead_id: string | null;
  lead_score: number | null;
  project_type: string | null;
  error_message: string | null;
  retry_scheduled: number;
  retry_at: string | null;
  /** Bumped by every retry, so the retried steps' jobs get fresh dedupe keys. */
  generation: number;
  cost_usd: number;
  /** How long the webhook took to acknowledge. */
  ack_ms: number | null;
  processing_time_ms: number | null;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  /** When the relay queued the first step; null while the request waits for it. */
  queued_at: string | null;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface IngestionStepsTable {
  id: string;
  tenant_id: string;
  request_id: string;
  step: string;
  position: number;
  /** `pending`, `running`, `completed`, `skipped` or `failed`. */
  status: string;
  started_at: string | null;
  duration_ms: number | null;
  attempts: number;
  /** Why a step was skipped. */
  reason: string | null;
  error: string | null;
  cost_usd: number;
  /** JSON: what later steps read (a transcript, a stored recording), so a retry resumes without redoing. */
  output: string | null;
  updated_at: string;
}

export interface ExportsTable {
  id: string;
  tenant_id: string;
  format: string;
  status: string;
  params: string;
  storage_key: string | null;
  content_type: string | null;
  record_count: number | null;
  file_size_bytes: number | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  expires_at: string;
}

export interface ContactsTable {
  id: string;
  tenant_id: string;
  name: string | null;
  /** E.164. */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  /** JSON: everything else known about the person (CRM fields, address, language). */
  attributes: string;
  created_at: string;
  updated_at: string;
}

export interface ContactIdentitiesTable {
  id: string;
  tenant_id: string;
  contact_id: string;
  channel: string;
  platform_user_id: string;
  created_at: string;
}

export interface ChatSessionsTable {
  id: string;
  tenant_id: string;
  contact_id: string | null;
  user_id: string | null;
  channel: string;
  /** `active`, `ended`; expiry is read from `expires_at`. */
  status: string;
  /** JSON object. */
  context: string;
  /** JSON array of entries appended through `append_to_history`. */
  history: string;
  metadata: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  expires_at: string;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  contact_id: string | null;
  session_id: string | null;
  user_id: string | null;
  channel: string;
  /** `active`, `waiting_agent`, `with_agent`, `closed`. */
  status: string;
  /** 1 while a human has the conversation. */
  bot_paused: number;
  /** JSON: the dialog's ConversationState. */
  state: string;
  /** JSON object: context set by integrations (generic webhooks, session context). */
  context: string;
  assigned_agent_id: string | null;
  department: string | null;
  priority: string | null;
  current_intent: string | null;
  sentiment: string | null;
  lead_id: string | null;
  summary: string | null;
  resolution: string | null;
  message_count: number;
  last_inbound_at: string | null;
  last_message_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** JSON object: the quality review (flags, tags, outcome, notes). */
  qa?: string;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface MessagesTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  channel: string;
  external_id: string | null;
  direction: string;
  /** `customer`, `bot`, `agent` or `system`. */
  sender: string;
  content_type: string;
  text: string;
  media: string | null;
  quick_replies: string | null;
  intent: string | null;
  confidence: number | null;
  sentiment: string | null;
  status: string;
  error: string | null;
  metadata: string;
  reply_to_id: string | null;
  created_at: string;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

export interface TransfersTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  agent_user_id: string | null;
  department: string | null;
  priority: string;
  reason: string | null;
  note: string | null;
  briefing: string;
  status: string;
  created_at: string;
  accepted_at: string | null;
  completed_at: string | null;
}

/** One outbound message on a messaging platform and what became of it (src/domain/messaging). */
export interface ChannelDeliveriesTable {
  id: string;
  tenant_id: string;
  message_id: string;
  conversation_id: string;
  channel: string;
  recipient: string;
  reply_to: string | null;
  text: string;
  /** JSON array of `{title, payload}`. */
  quick_replies: string;
  /** JSON: platform specifics from the inbound side. */
  context: string;
  /** `pending`, `sending`, `sent`, `inline`, `outbox`, `held`, `failed`. */
  status: string;
  kind: string | null;
  request: string | null;
  external_id: string | null;
  attempts: number;
  reason: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  /** When quiet hours hold a delivery back: the time its next attempt is due. */
  due_at: string | null;
}

/** One change of a person's consent to be messaged on a channel; the latest row is the current state. */
export interface ConsentEventsTable {
  id: string;
  tenant_id: string;
  phone: string;
  channel: string;
  /** `opt_out`, `opt_in`. */
  change: string;
  /** `keyword`, `phrase`, `operator`. */
  source: string;
  evidence: string | null;
  created_at: string;
}

export interface MessageFeedbackTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  message_id: string | null;
  rating: number | null;
  helpful: number | null;
  comment: string | null;
  created_at: string;
}

export interface AppointmentRequestsTable {
  id: string;
  tenant_id: string;
  /** Null for appointments booked through the CRM API. */
  conversation_id: string | null;
  contact_id: string | null;
  lead_id: string | null;
  preferred_time: string | null;
  /** Start of the window the customer asked for, ISO 8601 with the tenant's offset. */
  requested_start: string | null;
  /** End of that window for a part of day or a whole day; null for an exact time. */
  requested_end: string | null;
  /** JSON: what the conversation collected (name, phone, service, address, …). */
  fields: string;
  /** `requested`, `scheduled`, `confirmed`, `completed`, `cancelled`. */
  status: string;
  created_at: string;
  updated_at: string;
  /** ISO instants, when a time is booked. Columns a conversation's request leaves out are optional on insert. */
  start_time?: string | null;
  end_time?: string | null;
  service_type?: string | null;
  description?: string | null;
  /** 1 for an emergency job. */
  is_emergency?: number;
  estimated_value?: number | null;
  technician?: string | null;
  /** JSON array of strings. */
  tags?: string;
  /** `chat` or `crm`. */
  source?: string;
  /** Why it was cancelled, when whoever cancelled it said. */
  cancel_reason?: string | null;
  /** False for a row written under a test key. */
  livemode?: Livemode;
}

/** One training of a tenant's conversion model (domain/conversion). */
export interface ConversionRunsTable {
  id: string;
  tenant_id: string;
  /** `queued`, `running`, `succeeded`, `insufficient_data` or `failed`. */
  status: string;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON: the outcome counts the run read. */
  counts: string | null;
  /** JSON: how many more outcomes a run with too few needed. */
  shortfall: string | null;
  message: string | null;
  /** JSON: the fitted model. */
  model: string | null;
  /** JSON: held-out figures of the model and of the rules. */
  performance: string | null;
  blending: number;
}

/** One claimed reminder, follow-up or retention message: unique per tenant, kind and subject. */
export interface ReminderSendsTable {
  tenant_id: string;
  /** `upcoming`, `followup` or `retention`. */
  kind: string;
  subject_id: string;
  contact_id: string;
  message_id: string | null;
  created_at: string;
}

/** Which tenant an inbound webhook is for: derived from the tenant's configuration, rewritten with it. */
export interface ChannelRoutesTable {
  tenant_id: string;
  /** `whatsapp`, `messenger`, `slack`, `telegram`, `teams` or `callrail`. */
  channel: string;
  /** What the platform's request names, e.g. `phone:<phone_number_id>`; unique per channel. */
  external_key: string;
  created_at: string;
  updated_at: string;
}

/** A spec B outbound campaign; `dials_today` counts the dials of local day `dials_day` against `daily_call_limit`. */
export interface CampaignsTable {
  id: string;
  tenant_id: string;
  name: string;
  niche: string;
  client_name: string;
  client_service: string;
  /** JSON array of city names. */
  target_cities: string;
  target_lead_count: number;
  daily_call_limit: number;
  status: string;
  dials_day: string | null;
  dials_today: number;
  created_at: string;
  updated_at: string;
}

/** One number a campaign may call, its lead, and its dialling state. */
export interface CampaignTargetsTable {
  id: string;
  tenant_id: string;
  campaign_id: string;
  lead_id: string;
  phone: string;
  time_zone: string;
  /** `pending`, `dialing`, `done` or `blocked`. */
  state: string;
  attempts: number;
  next_dial_at: string;
  outcome: string | null;
  call_ref: string | null;
  transcript: string | null;
  created_at: string;
  updated_at: string;
}

/** A number on the tenant's do-not-call list. */
export interface CampaignDncTable {
  tenant_id: string;
  phone: string;
  created_at: string;
}

export interface Tables {
  tenants: TenantsTable;
  credentials: CredentialsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  usage_counters: UsageCountersTable;
  signing_keys: SigningKeysTable;
  token_generations: TokenGenerationsTable;
  platform_state: PlatformStateTable;
  jobs: JobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_callback_secrets: WebhookCallbackSecretsTable;
  leads: LeadsTable;
  lead_scores: LeadScoresTable;
  batches: BatchesTable;
  batch_items: BatchItemsTable;
  crm_syncs: CrmSyncsTable;
  ingestion_requests: IngestionRequestsTable;
  ingestion_steps: IngestionStepsTable;
  exports: ExportsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  chat_sessions: ChatSessionsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  transfers: TransfersTable;
  message_feedback: MessageFeedbackTable;
  appointment_requests: AppointmentRequestsTable;
  channel_deliveries: ChannelDeliveriesTable;
  channel_routes: ChannelRoutesTable;
  consent_events: ConsentEventsTable;
  reminder_sends: ReminderSendsTable;
  conversion_runs: ConversionRunsTable;
  user_passwords: UserPasswordsTable;
  magic_links: MagicLinksTable;
  app_sessions: AppSessionsTable;
  campaigns: CampaignsTable;
  campaign_targets: CampaignTargetsTable;
  campaign_dnc: CampaignDncTable;
}

export type { Generated };
