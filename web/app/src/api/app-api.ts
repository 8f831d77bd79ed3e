/**
 * The `/app/api/*` contract this app is written against, in openapi-typescript's `paths` shape so
 * `openapi-fetch` checks every call: the answers of the app's back end (issue 16), which documents
 * its answers in prose (`{ data: { conversations: [...], total } }`) rather than as schemas, so the
 * generated document cannot type them.
 */

export type Role = 'owner' | 'admin' | 'agent' | 'viewer';

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
  user: { id: string; email: string; first_name: string | null; last_name: string | null } | null;
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

export interface OpeningHours {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  open: string | null;
  close: string | null;
}

export interface BusinessSettings {
  business: { name: string; phone: string | null; email: string | null; timezone: string; address: string | null };
  hours: OpeningHours[];
}

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

export interface AppApiPaths {
  '/app/api/session': PathItem<{
    post: Operation<{ 200: Json<Data<Me>> }, never, never, { email: string; password: string }>;
    delete: Operation<{ 204: NoContent }>;
  }>;
  '/app/api/me': PathItem<{ get: Operation<{ 200: Json<Data<Me>> }> }>;
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
  '/app/api/settings': PathItem<{
    get: Operation<{ 200: Json<Data<BusinessSettings>> }>;
    patch: Operation<{ 200: Json<Data<BusinessSettings>> }, never, never, BusinessSettings>;
  }>;
}
