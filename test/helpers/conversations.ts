import type { ConversationState } from '../../src/engine/dialog/dialog.js';
import { initialState } from '../../src/engine/dialog/dialog.js';
import { newId } from '../../src/lib/ids.js';
import type { Db } from '../../src/store/db.js';
import type { ConversationsTable } from '../../src/store/tables.js';
import type { TestApp } from './app.js';

export interface SeedMessage {
  sender: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  /** Default: one minute after the previous message (the first one minute after the start). */
  at?: string;
  intent?: string;
  sentiment?: string;
  status?: string;
}

export interface SeedConversation {
  channel?: string;
  userId?: string;
  status?: string;
  botPaused?: boolean;
  /** Default 2025-06-01T10:00:00.000Z. */
  createdAt?: string;
  currentIntent?: string;
  state?: Partial<ConversationState>;
  resolution?: string;
  contact?: { phone?: string; platformUserId?: string };
  messages?: SeedMessage[];
}

/** A conversation row with every column as a new web conversation starts; `row` names its id, tenant and start, and what differs. */
export function conversationRow(
  row: Pick<ConversationsTable, 'id' | 'tenant_id' | 'created_at'> & Partial<ConversationsTable>,
): ConversationsTable {
  return {
    contact_id: null,
    session_id: null,
    user_id: null,
    channel: 'web',
    status: 'active',
    bot_paused: 0,
    state: '{}',
    context: '{}',
    assigned_agent_id: null,
    department: null,
    priority: null,
    current_intent: null,
    sentiment: null,
    lead_id: null,
    summary: null,
    resolution: null,
    message_count: 0,
    last_inbound_at: null,
    last_message_at: null,
    updated_at: row.created_at,
    closed_at: null,
    ...row,
  };
}

const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Inserts a conversation and its messages as the conversation core stores them; answers its id. */
export async function seedConversation(db: Db, tenantId: string, seed: SeedConversation = {}): Promise<string> {
  const id = newId('conv');
  const createdAt = seed.createdAt ?? '2025-06-01T10:00:00.000Z';
  const channel = seed.channel ?? 'web';
  let contactId: string | null = null;
  if (seed.contact) {
    contactId = newId('ct');
    await db
      .insertInto('contacts')
      .values({
        id: contactId,
        tenant_id: tenantId,
        name: null,
        phone: seed.contact.phone ?? null,
        email: null,
        attributes: '{}',
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    if (seed.contact.platformUserId) {
      await db
        .insertInto('contact_identities')
        .values({
          id: newId('cid'),
          tenant_id: tenantId,
          contact_id: contactId,
          channel,
          platform_user_id: seed.contact.platformUserId,
          created_at: createdAt,
        })
        .execute();
    }
  }
  let at = createdAt;
  const rows = (seed.messages ?? []).map((m) => {
    at = m.at ?? plusMinutes(at, 1);
    return {
      id: newId('msg'),
      tenant_id: tenantId,
      conversation_id: id,
      channel,
      external_id: null,
      direction: m.sender === 'customer' ? 'inbound' : 'outbound',
      sender: m.sender,
      content_type: 'text',
      text: m.text,
      media: null,
      quick_replies: null,
      intent: m.intent ?? null,
      confidence: m.intent ? 0.9 : null,
      sentiment: m.sentiment ?? null,
      status: m.status ?? (m.sender === 'customer' ? 'processed' : 'sent'),
      error: null,
      metadata: '{}',
      reply_to_id: null,
      created_at: at,
    };
  });
  const status = seed.status ?? 'active';
  await db
    .insertInto('conversations')
    .values(
      conversationRow({
        id,
        tenant_id: tenantId,
        contact_id: contactId,
        user_id: seed.userId ?? `visitor_${id.slice(-6)}`,
        channel,
        status,
        bot_paused: seed.botPaused ? 1 : 0,
        state: JSON.stringify({ ...initialState(), ...seed.state }),
        current_intent: seed.currentIntent ?? seed.state?.current_intent ?? null,
        resolution: seed.resolution ?? null,
        message_count: rows.length,
        last_message_at: rows.length > 0 ? at : null,
        created_at: createdAt,
        updated_at: at,
        closed_at: status === 'closed' ? at : null,
      }),
    )
    .execute();
  if (rows.length > 0) await db.insertInto('messages').values(rows).execute();
  return id;
}

export async function seedFeedback(
  db: Db,
  tenantId: string,
  conversationId: string,
  feedback: { rating?: number; helpful?: boolean; comment?: string; messageId?: string },
): Promise<void> {
  await db
    .insertInto('message_feedback')
    .values({
      id: newId('fb'),
      tenant_id: tenantId,
      conversation_id: conversationId,
      message_id: feedback.messageId ?? null,
      rating: feedback.rating ?? null,
      helpful: feedback.helpful === undefined ? null : feedback.helpful ? 1 : 0,
      comment: feedback.comment ?? null,
      created_at: '2025-06-01T11:00:00.000Z',
    })
    .execute();
}

/** A tenant user created through spec D's users route (no invitation); answers its id. */
export async function createAgent(
  t: TestApp,
  tenantId: string,
  body: { email: string; first_name?: string; last_name?: string; department?: string; role?: string },
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v2/tenants/${tenantId}/users`,
    headers: t.adminHeaders,
    payload: { role: 'agent', send_invitation: false, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`user create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ data: { user_id: string } }>().data.user_id;
}
