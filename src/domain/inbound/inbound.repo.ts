import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';

/**
 * The rows the inbound flow reads outside `channel_routes`. Two of them read across tenants on
 * purpose: Meta's subscription check and a generic integration's bearer token name no key of
 * ours, so every tenant's configuration is looked at. Everything else takes the tenant first.
 */

/** A tenant's stored configuration, as plain JSON (its secrets still sealed). */
export interface StoredTenantConfig {
  tenantId: string;
  config: Record<string, unknown>;
}

export function createTenantConfigsReader(db: Db) {
  return {
    /** Every tenant's stored configuration; read only by the two checks that name no key of ours. */
    async listAll(): Promise<StoredTenantConfig[]> {
      const rows = await db.selectFrom('tenants').select(['id', 'config']).execute();
      return rows.map((r) => ({ tenantId: r.id, config: fromJson<Record<string, unknown>>(r.config, {}) }));
    },
  };
}

export type TenantConfigsReader = ReturnType<typeof createTenantConfigsReader>;

/**
 * The conversation rows an inbound message reads after the inbox stored it. These tables belong
 * to conversations, which writes them: an integration's customer profile goes into a
 * conversation's context through the conversations door (`ConversationUpkeepService.setContext`).
 */
export function createConversationRows(db: Db) {
  return {
    /** The outbound message the conversation core stored in answer to an inbound one. */
    async findReply(
      tenantId: string,
      inboundMessageId: string,
    ): Promise<{ id: string; conversationId: string } | undefined> {
      const row = await db
        .selectFrom('messages')
        .select(['id', 'conversation_id'])
        .where('tenant_id', '=', tenantId)
        .where('reply_to_id', '=', inboundMessageId)
        .where('direction', '=', 'outbound')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return row && { id: row.id, conversationId: row.conversation_id };
    },

    /** The contact's conversations not closed, on any channel: an integration's news is context for all of them. */
    async openConversationsOf(
      tenantId: string,
      contactId: string,
    ): Promise<{ id: string; context: Record<string, unknown> }[]> {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'context'])
        .where('tenant_id', '=', tenantId)
        .where('contact_id', '=', contactId)
        .where('status', '!=', 'closed')
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({ id: r.id, context: fromJson<Record<string, unknown>>(r.context, {}) }));
    },
  };
}

export type ConversationRows = ReturnType<typeof createConversationRows>;
