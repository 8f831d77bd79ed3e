/**
 * The `/app/api/*` contract this app is written against, in openapi-typescript's `paths` shape so
 * `openapi-fetch` checks every call. The back end of issue 16 documents these routes in
 * `docs/openapi.json`; once it does, `npm run app:types` puts them in `schema.d.ts` and the client
 * reads them from there, so this file holds only what the generated document does not yet name.
 */

export type Role = 'owner' | 'admin' | 'agent' | 'viewer';

export interface ErrorEnvelope {
  error: { code: string; message: string; request_id: string };
}

export interface Me {
  user: { id: string; email: string; name: string | null };
  tenant: { id: string; name: string };
  role: Role;
  permissions: string[];
}

export interface Person {
  id: string;
  name: string | null;
}

export interface ConversationListItem {
  id: string;
  status: string;
  channel: string;
  assignee: Person | null;
  contact_name: string | null;
  last_message: string | null;
  last_activity_at: string;
  lead_tier: string | null;
}

export interface TranscriptMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  sender: string;
  text: string | null;
  created_at: string;
}

export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface LeadSignal {
  name: string;
  detail: string | null;
  points: number | null;
}

export interface LeadScore {
  id: string;
  score: number | null;
  tier: string | null;
  reasoning: string | null;
  signals: LeadSignal[];
}

export interface HandoffBriefing {
  reason: string | null;
  briefing: string;
  requested_at: string;
}

export interface ConversationDetail {
  id: string;
  status: string;
  channel: string;
  assignee: Person | null;
  bot_paused: boolean;
  messages: TranscriptMessage[];
  contact: Contact | null;
  lead: LeadScore | null;
  handoff: HandoffBriefing | null;
}

export interface LeadListItem {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: string;
  score: number | null;
  tier: string | null;
  created_at: string;
}

export interface LeadDetail extends LeadListItem {
  intent: string | null;
  recommended_action: string | null;
  reasoning: string | null;
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

interface Json<T> {
  headers: { [name: string]: unknown };
  content: { 'application/json': T };
}

interface NoContent {
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

type Operation<Ok, Query = never, Path = never, Body = never> = {
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

type PathItem<Methods, Path = never> = Omit<Unused, keyof Methods> &
  Methods & { parameters: { query?: never; header?: never; path?: Path; cookie?: never } };

type ConversationAction = Operation<{ 200: Json<ConversationDetail> }, never, { id: string }>;

export interface ConversationFilters {
  status?: string;
  channel?: string;
  assignee?: string;
}

export interface LeadFilters {
  tier?: string;
  source?: string;
  from?: string;
  to?: string;
  status?: string;
}

export interface AppApiPaths {
  '/app/api/session': PathItem<{
    post: Operation<{ 204: NoContent; 200: Json<Me> }, never, never, { email: string; password: string }>;
    delete: Operation<{ 204: NoContent }>;
  }>;
  '/app/api/me': PathItem<{ get: Operation<{ 200: Json<Me> }> }>;
  '/app/api/magic-link': PathItem<{
    post: Operation<{ 202: NoContent; 204: NoContent }, never, never, { email: string }>;
  }>;
  '/app/api/invitations/{token}/accept': PathItem<
    {
      post: Operation<{ 200: Json<Me>; 204: NoContent }, never, { token: string }, { password: string; name: string }>;
    },
    { token: string }
  >;
  '/app/api/conversations': PathItem<{
    get: Operation<{ 200: Json<{ data: ConversationListItem[] }> }, ConversationFilters>;
  }>;
  '/app/api/conversations/{id}': PathItem<
    { get: Operation<{ 200: Json<ConversationDetail> }, never, { id: string }> },
    { id: string }
  >;
  '/app/api/conversations/{id}/takeover': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/reply': PathItem<
    { post: Operation<{ 200: Json<ConversationDetail> }, never, { id: string }, { text: string }> },
    { id: string }
  >;
  '/app/api/conversations/{id}/handback': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/close': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/conversations/{id}/reopen': PathItem<{ post: ConversationAction }, { id: string }>;
  '/app/api/leads': PathItem<{ get: Operation<{ 200: Json<{ data: LeadListItem[] }> }, LeadFilters> }>;
  '/app/api/leads/{id}': PathItem<{ get: Operation<{ 200: Json<LeadDetail> }, never, { id: string }> }, { id: string }>;
  '/app/api/settings': PathItem<{
    get: Operation<{ 200: Json<BusinessSettings> }>;
    patch: Operation<{ 200: Json<BusinessSettings> }, never, never, BusinessSettings>;
  }>;
}
