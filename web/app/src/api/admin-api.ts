import type { Data, Json, NoContent, Operation, PathItem, Role } from './app-api';

/**
 * The `/app/api` contract of the owner's and admin's settings pages (webhooks, keys, the team), in
 * the same shape as `app-api.ts`: the server documents these answers in prose, so they are typed here.
 */

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookEventName {
  name: string;
  description: string;
}

export type DeliveryStatus = 'pending' | 'failed' | 'delivered' | 'dead';

export interface Delivery {
  id: string;
  event: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  response_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
}

export type KeyKind = 'api_key' | 'test_key' | 'webhook_secret' | 'oauth_client' | 'widget_token' | 'owner_token';

export interface ApiKey {
  kind: KeyKind;
  hint: string;
  client_id: string | null;
  created_at: string;
  rotated_at: string | null;
}

export interface RotatedKey {
  kind: KeyKind;
  value: string;
  client_id: string | null;
  created_at: string;
}

export interface TeamUser {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: string;
  status: string;
  invitation_expires_at: string | null;
  created_at: string;
}

type WebhookAnswer = { 200: Json<Data<Webhook>> };
type UserAnswer = { 200: Json<Data<TeamUser>> };
type Id = { id: string };

export interface AdminApiPaths {
  '/app/api/webhooks': PathItem<{
    get: Operation<{ 200: Json<Data<{ webhooks: Webhook[]; events: WebhookEventName[] }>> }>;
    post: Operation<{ 201: Json<Data<Webhook & { secret: string }>> }, never, never, { url: string; events: string[] }>;
  }>;
  '/app/api/webhooks/{id}': PathItem<
    {
      patch: Operation<WebhookAnswer, never, Id, { url?: string; events?: string[] }>;
      delete: Operation<{ 204: NoContent }, never, Id>;
    },
    Id
  >;
  '/app/api/webhooks/{id}/enable': PathItem<{ post: Operation<WebhookAnswer, never, Id> }, Id>;
  '/app/api/webhooks/{id}/disable': PathItem<{ post: Operation<WebhookAnswer, never, Id, { reason?: string }> }, Id>;
  '/app/api/webhooks/{id}/deliveries': PathItem<
    {
      get: Operation<
        { 200: Json<Data<{ deliveries: Delivery[]; has_more: boolean }>> },
        { limit?: number; status?: DeliveryStatus; before?: string },
        Id
      >;
    },
    Id
  >;
  '/app/api/webhooks/{id}/deliveries/{deliveryId}/replay': PathItem<
    { post: Operation<{ 202: Json<Data<Delivery>> }, never, { id: string; deliveryId: string }> },
    { id: string; deliveryId: string }
  >;
  '/app/api/keys': PathItem<{ get: Operation<{ 200: Json<Data<{ keys: ApiKey[] }>> }> }>;
  '/app/api/keys/{kind}/rotate': PathItem<
    { post: Operation<{ 201: Json<Data<RotatedKey>> }, never, { kind: KeyKind }> },
    { kind: KeyKind }
  >;
  '/app/api/users': PathItem<{
    get: Operation<{ 200: Json<Data<{ users: TeamUser[]; total: number }>> }>;
    post: Operation<
      { 201: Json<Data<TeamUser>> },
      never,
      never,
      { email: string; first_name?: string; last_name?: string; role: Role }
    >;
  }>;
  '/app/api/users/{id}': PathItem<{ patch: Operation<UserAnswer, never, Id, { role: Role }> }, Id>;
  '/app/api/users/{id}/deactivate': PathItem<{ post: Operation<UserAnswer, never, Id> }, Id>;
  '/app/api/users/{id}/invitation': PathItem<
    {
      post: Operation<{ 202: Json<Data<TeamUser>> }, never, Id>;
      delete: Operation<{ 204: NoContent }, never, Id>;
    },
    Id
  >;
}
