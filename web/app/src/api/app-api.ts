/**
 * The `/app/api/*` contract this app is written against, in openapi-typescript's `paths` shape so
 * `openapi-fetch` checks every call: the answers of the app's back end (issue 16), which documents
 * its answers in prose (`{ data: { conversations: [...], total } }`) rather than as schemas, so the
 * generated document cannot type them.
 */

import type { RangeFigures } from '../analytics/figures';

/** A team member's role, or `platform_admin` for a session started with the admin key. */
export type Role = 'owner' | 'admin' | 'agent' | 'viewer' | 'platform_admin';

export interface ErrorEnvelope {
  error: { code: string; message: string; request_id: string };
}

/** Every `/app/api` answer wraps its payload in `data`. */
export interface Data<T> {
  data: T;
}

export interface Me {
  kind: string;
  tenant: { id: string; name: string } | null;
  user: {
    id: string;
    email: string;
    first_name: string | null;
    last_name: string | null;
    /** Their own mobile (E.164), where notices are texted. */
    phone: string | null;
  } | null;
  role: Role;
  permissions: string[];
  expires_at: string;
}

export type ConversationStatus = 'active' | 'waiting_agent' | 'with_agent' | 'closed';

export interface ConversationListItem {
  id: string;
  channel: string;
  status: ConversationStatus;
  bot_paused: boolean;
  assigned_agent_id: string | null;
  department: string | null;
  priority: string | null;
  lead_id: string | null;
  contact_id: string | null;
  summary: string | null;
  message_count: number;
  started_at: string;
  last_activity_at: string;
}

export interface TranscriptMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  sender: string;
  text: string | null;
  status: string;
  created_at: string;
}

export interface Contact {
  id: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** One strength or weakness the scoring engine weighed (the lead page's signals). */
export interface LeadSignal {
  name: string;
  detail: string | null;
  points: number | null;
}

export interface LeadSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: string;
  score: number | null;
  tier: string | null;
  intent: string | null;
  reasoning: string | null;
  summary: string | null;
  recommended_action: string | null;
}

export interface Handoff {
  id: string;
  status: string;
  reason: string | null;
  note: string | null;
  /** What the bot gathered for the person taking over, as the handoff recorded it. */
  briefing: unknown;
  assigned_agent_id: string | null;
  created_at: string;
  accepted_at: string | null;
}

export interface ConversationDetail extends ConversationListItem {
  contact: Contact;
  lead: LeadSummary | null;
  handoff: Handoff | null;
  transcript: TranscriptMessage[];
}

export interface LeadListItem extends LeadSummary {
  created_at: string;
  qualified_at: string | null;
}

export interface LeadDetail extends LeadListItem {
  signals: LeadSignal[];
  conversation_id: string | null;
}

/** One thing that happened to a lead, with the short sentence the page shows; each kind adds its own fields. */
export interface LeadTimelineEvent {
  at: string;
  kind: string;
  text: string;
  conversation_id?: string;
  request_id?: string;
  [field: string]: string | number | null | undefined;
}

/** The tenant's CRM and the lead's last sync with it. */
export interface LeadCrmState {
  provider: string | null;
  status: 'synced' | 'failed' | 'pending' | null;
  at: string | null;
  crm_record_id: string | null;
  error: string | null;
}

export interface LeadTimeline {
  lead_id: string;
  timezone: string;
  events: LeadTimelineEvent[];
  crm: LeadCrmState;
}

export interface OpeningHours {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  open: string | null;
  close: string | null;
}

export interface Holiday {
  date: string;
  name: string | null;
}

export interface BusinessSettings {
  business: { name: string; phone: string | null; email: string | null; timezone: string; address: string | null };
  hours: OpeningHours[];
  holidays?: Holiday[];
}

export type RequestStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** A spec A request (a call or a form lead on its way through the pipeline) in the requests list. */
export interface RequestListItem {
  id: string;
  source: string;
  external_id: string | null;
  status: RequestStatus;
  caller: { name: string | null; phone: string | null; email: string | null };
  lead_id: string | null;
  lead_score: number | null;
  error_message: string | null;
  retry_scheduled: boolean;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  processing_time_ms: number | null;
}

/** One pipeline step of a request's timeline. */
export interface RequestStep {
  name: string;
  status: string;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  reason: string | null;
}

export interface RequestDetail extends RequestListItem {
  retry_at: string | null;
  steps: RequestStep[];
  lead: {
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    score: number | null;
    tier: string | null;
  } | null;
}

/** An appointment on the calendar: `booked` at its start time, or `requested` at the start of the time the customer asked for. */
export interface AppointmentItem {
  id: string;
  status: string;
  kind: 'booked' | 'requested';
  /** Null for a request no time could be read for. */
  start: string | null;
  end: string | null;
  preferred_time: string | null;
  service: string | null;
  description: string | null;
  is_emergency: boolean;
  contact: { id: string | null; name: string | null; phone: string | null };
  conversation_id: string | null;
  source: 'chat' | 'crm';
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppointmentAgenda {
  /** The tenant's IANA zone, which `from` and `to` are dates of. */
  timezone: string;
  from: string;
  to: string;
  appointments: AppointmentItem[];
  untimed: AppointmentItem[];
}

export interface AppointmentRange {
  from: string;
  to: string;
  status?: string;
}

/** One tenant as the platform admin sees it, with this month's usage counters by name. */
export interface PlatformTenant {
  id: string;
  name: string;
  status: string;
  plan: string;
  usage: Record<string, number>;
}

export interface HealthProbe {
  name: string;
  status: 'healthy' | 'unhealthy';
  /** Why a failing probe fails, when it says. */
  reason: string | null;
}

export interface PlatformView {
  tenants: PlatformTenant[];
  total_tenants: number;
  /** `YYYY-MM`, the month the usage counts. */
  usage_period: string;
  activity: { active_conversations_24h: number; messages_processed_24h: number };
  health: { status: 'healthy' | 'degraded' | 'unhealthy'; probes: HealthProbe[] };
}

export interface Service {
  id?: string;
  name: string;
  price: string | null;
  keywords: string[];
}

export interface ServicesSettings {
  services: Service[];
  currency?: string | null;
}

export interface KnowledgeEntry {
  question: string;
  answer: string;
}

export type ChannelName = 'whatsapp' | 'messenger' | 'slack' | 'teams' | 'telegram' | 'twilio';

export interface ChannelSettings {
  channel: ChannelName;
  label: string;
  status: 'connected' | 'off' | 'not_connected';
  enabled: boolean;
  fields: Record<string, string | null>;
  secrets: Record<string, boolean>;
}

export interface ChannelChange {
  enabled?: boolean;
  fields?: Record<string, string | null>;
  secrets?: Record<string, string | null>;
}

export interface NotificationRules {
  wait_limit_minutes: number;
  answer_within_minutes: number;
  email_enabled: boolean;
  sms_enabled: boolean;
  slack_webhook_url: string | null;
  owner_email: string | null;
  owner_phone: string | null;
  events: { hot_lead: boolean; pipeline_failed: boolean; webhook_disabled: boolean };
}

export type NotificationChange = Partial<Omit<NotificationRules, 'events'>> & {
  events?: Partial<NotificationRules['events']>;
};

export interface Json<T> {
  headers: { [name: string]: unknown };
  content: { 'application/json': T };
}

export interface NoContent {
  headers: { [name: string]: unknown };
  content?: never;
}

interface Failure {
  400: Json<ErrorEnvelope>;
  401: Json<ErrorEnvelope>;
  403: Json<ErrorEnvelope>;
  404: Json<ErrorEnvelope>;
  409: Json<ErrorEnvelope>;
  429: Json<ErrorEnvelope>;
}

/** As openapi-typescript writes them: an absent part of the request is an optional `never`. */
type Params<Query, Path> = { query?: Query; header?: never; cookie?: never } & ([Path] extends [never]
  ? { path?: never }
  : { path: Path });

type RequestBody<Body> = [Body] extends [never]
  ? { requestBody?: never }
  : { requestBody: { content: { 'application/json': Body } } };

export type Operation<Ok, Query = never, Path = never, Body = never> = {
  parameters: Params<Query, Path>;
  responses: Ok & Failure;
} & RequestBody<Body>;

interface Unused {
  get?: never;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
}

export type PathItem<Methods, Path = never> = Omit<Unused, keyof Methods> &
  Methods & { parameters: { query?: never; header?: never; path?: Path; cookie?: never } };

type AppointmentAction<Body = never> = Operation<{ 200: Json<Data<AppointmentItem>> }, never, { id: string }, Body>;

type ConversationAction<Body = never> = Operation<{ 200: Json<Data<ConversationDetail>> }, never, { id: string }, Body>;

export interface Page {
  limit?: number;
  offset?: number;
}

export interface ConversationFilters extends Page {
  status?: ConversationStatus;
  channel?: string;
  /** A user id, or `me`. */
  assignee?: string;
}

export interface LeadFilters extends Page {
  tier?: 'HOT' | 'WARM' | 'COLD';
  source?: string;
  from?: string;
  to?: string;
  status?: string;
}

export interface RequestFilters extends Page {
  status?: RequestStatus;
  from?: string;
  to?: string;
}

/** Local dates (`YYYY-MM-DD`) in the tenant's time zone, both included. */
export interface AnalyticsRange {
  from?: string;
  to?: string;
}

export interface AppApiPaths {
  '/app/api/session': PathItem<{
    post: Operation<{ 200: Json<Data<Me>> }, never, never, { email: string; password: string }>;
    delete: Operation<{ 204: NoContent }>;
  }>;
  '/app/api/me': PathItem<{
    get: Operation<{ 200: Json<Data<Me>> }>;
    patch: Operation<{ 200: Json<Data<Me>> }, never, never, { phone: string | null }>;
  }>;
  '/app/api/admin-session': PathItem<{ post: Operation<{ 200: Json<Data<Me>> }, never, never, { key: string }> }>;
  '/app/api/platform': PathItem<{ get: Operation<{ 200: Json<Data<PlatformView>> }> }>;
  '/app/api/magic-link': PathItem<{ post: Operation<{ 202: Json<unknown> }, never, never, { email: string }> }>;
  '/app/api/invitations/{token}/accept': PathItem<
    {
      post: Operation<
        { 201: Json<Data<Me>> },
        never,
        { token: string },
        { password: string; first_name: string; last_name?: string }
      >;
    },
    { token: string }
  >;
  '/app/api/conversations': PathItem<{
    get: Operation<{ 200: Json<Data<{ conversations: ConversationListItem[]; total: number }>> }, ConversationFilters>;
  }>;
  '/app/api/conversations/{id}': PathItem<{ get: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/takeover': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/reply': PathItem<{ post: ConversationAction<{ text: string }> }, { id: string }>;
  '/app/api/conversations/{id}/handback': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/close': PathItem<{ post: ConversationAction<{ resolution: string }> }, { id: string }>;
  '/app/api/conversations/{id}/reopen': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/leads': PathItem<{
    get: Operation<{ 200: Json<Data<{ leads: LeadListItem[]; total: number }>> }, LeadFilters>;
  }>;
  '/app/api/leads/{id}': PathItem<
    { get: Operation<{ 200: Json<Data<LeadDetail>> }, never, { id: string }> },
    { id: string }
  >;
  '/app/api/leads/{id}/timeline': PathItem<
    { get: Operation<{ 200: Json<Data<LeadTimeline>> }, never, { id: string }> },
    { id: string }
  >;
  '/app/api/requests': PathItem<{
    get: Operation<{ 200: Json<Data<{ requests: RequestListItem[]; total: number }>> }, RequestFilters>;
  }>;
  '/app/api/requests/{id}': PathItem<
    { get: Operation<{ 200: Json<Data<RequestDetail>> }, never, { id: string }> },
    { id: string }
  >;
  '/app/api/requests/{id}/retry': PathItem<
    { post: Operation<{ 200: Json<Data<RequestDetail>> }, never, { id: string }> },
    { id: string }
  >;
  '/app/api/analytics': PathItem<{ get: Operation<{ 200: Json<Data<RangeFigures>> }, AnalyticsRange> }>;
  '/app/api/appointments': PathItem<{
    get: Operation<{ 200: Json<Data<AppointmentAgenda>> }, AppointmentRange>;
  }>;
  '/app/api/appointments/{id}/confirm': PathItem<{ post: AppointmentAction }, { id: string }>;
  '/app/api/appointments/{id}/reschedule': PathItem<{ post: AppointmentAction<{ start: string }> }, { id: string }>;
  '/app/api/appointments/{id}/cancel': PathItem<{ post: AppointmentAction<{ reason?: string }> }, { id: string }>;
  '/app/api/settings': PathItem<{
    get: Operation<{ 200: Json<Data<BusinessSettings>> }>;
    patch: Operation<{ 200: Json<Data<BusinessSettings>> }, never, never, BusinessSettings>;
  }>;
  '/app/api/settings/services': PathItem<{
    get: Operation<{ 200: Json<Data<ServicesSettings>> }>;
    put: Operation<{ 200: Json<Data<ServicesSettings>> }, never, never, ServicesSettings>;
  }>;
  '/app/api/settings/knowledge': PathItem<{
    get: Operation<{ 200: Json<Data<(KnowledgeEntry & { id: string })[]>> }>;
    post: Operation<{ 201: Json<Data<KnowledgeEntry & { id: string }>> }, never, never, KnowledgeEntry>;
  }>;
  '/app/api/settings/knowledge/{id}': PathItem<
    {
      patch: Operation<{ 200: Json<Data<KnowledgeEntry & { id: string }>> }, never, { id: string }, KnowledgeEntry>;
      delete: Operation<{ 204: NoContent }, never, { id: string }>;
    },
    { id: string }
  >;
  '/app/api/settings/channels': PathItem<{ get: Operation<{ 200: Json<Data<ChannelSettings[]>> }> }>;
  '/app/api/settings/channels/{channel}': PathItem<
    {
      patch: Operation<{ 200: Json<Data<ChannelSettings>> }, never, { channel: ChannelName }, ChannelChange>;
    },
    { channel: ChannelName }
  >;
  '/app/api/settings/notifications': PathItem<{
    get: Operation<{ 200: Json<Data<NotificationRules>> }>;
    patch: Operation<{ 200: Json<Data<NotificationRules>> }, never, never, NotificationChange>;
  }>;
}

/** What `GET /app/api/events` streams (docs/api/app.md); a lead event has no conversation. */
export type LiveEventType =
  'message.created' | 'typing' | 'conversation.transferred' | 'conversation.updated' | 'lead.created' | 'lead.updated';

export interface LiveEvent {
  type: LiveEventType;
  conversation_id: string | null;
  at: string;
  data: Record<string, unknown>;
}
