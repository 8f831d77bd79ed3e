import { sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One record per person per tenant across every channel.
  await db.schema
    .createTable('contacts')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('phone', 'varchar(32)')
    .addColumn('email', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contacts_tenant_phone')
    .unique()
    .on('contacts')
    .columns(['tenant_id', 'phone'])
    .where(sql.ref('phone'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('contacts_tenant_email')
    .unique()
    .on('contacts')
    .columns(['tenant_id', 'email'])
    .where(sql.ref('email'), 'is not', null)
    .execute();

  // A platform's id for a person (WhatsApp number, Messenger PSID, Slack user, web visitor) linked to a contact.
  await db.schema
    .createTable('contact_identities')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('contact_id', 'varchar(40)', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('platform_user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_identities_platform')
    .unique()
    .on('contact_identities')
    .columns(['tenant_id', 'channel', 'platform_user_id'])
    .execute();
  await db.schema
    .createIndex('contact_identities_contact')
    .on('contact_identities')
    .columns(['tenant_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('chat_sessions')
    .addColumn('id', 'varchar(48)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('contact_id', 'varchar(40)', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('user_id', 'text')
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_activity_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('chat_sessions_tenant_user')
    .on('chat_sessions')
    .columns(['tenant_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'varchar(48)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('contact_id', 'varchar(40)', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('session_id', 'varchar(48)')
    .addColumn('user_id', 'text')
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    /** `active`, `waiting_agent`, `with_agent`, `closed`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    /** 1 while a human has the conversation: the agent then says nothing until handed back. */
    .addColumn('bot_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('assigned_agent_id', 'varchar(40)')
    .addColumn('department', 'text')
    .addColumn('priority', 'varchar(16)')
    .addColumn('current_intent', 'varchar(64)')
    .addColumn('sentiment', 'varchar(16)')
    .addColumn('lead_id', 'varchar(40)')
    .addColumn('summary', 'text')
    .addColumn('resolution', 'varchar(32)')
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** The last message from the customer: WhatsApp's 24-hour window is counted from it. */
    .addColumn('last_inbound_at', 'varchar(32)')
    .addColumn('last_message_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('conversations_tenant_created')
    .on('conversations')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('conversations_tenant_contact')
    .on('conversations')
    .columns(['tenant_id', 'contact_id', 'status'])
    .execute();
  await db.schema
    .createIndex('conversations_tenant_user')
    .on('conversations')
    .columns(['tenant_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(48)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    /** The client's `message_id` or the platform's message id: unique per tenant and channel. */
    .addColumn('external_id', 'text')
    /** `inbound` (customer) or `outbound` (bot, agent, system). */
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('sender', 'varchar(16)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('media', 'text')
    .addColumn('quick_replies', 'text')
    .addColumn('intent', 'varchar(64)')
    .addColumn('confidence', 'double precision')
    .addColumn('sentiment', 'varchar(16)')
    /** `received`, `processed`, `failed`, `sent`, `held`, `delivered`, `read`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('error', 'text')
    /** JSON: model used, processing time, confidence; the reply's link to the message it answers. */
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('reply_to_id', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_external')
    .unique()
    .on('messages')
    .columns(['tenant_id', 'channel', 'external_id'])
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('messages_conversation')
    .on('messages')
    .columns(['tenant_id', 'conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(48)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('agent_user_id', 'varchar(40)')
    .addColumn('department', 'text')
    .addColumn('priority', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('note', 'text')
    .addColumn('briefing', 'text', (c) => c.notNull())
    /** `queued`, `accepted`, `completed`, `cancelled`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('accepted_at', 'varchar(32)')
    .addColumn('completed_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('transfers_tenant_status')
    .on('transfers')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('message_feedback')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(48)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', 'varchar(64)')
    .addColumn('rating', 'integer')
    .addColumn('helpful', 'integer')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_feedback_conversation')
    .on('message_feedback')
    .columns(['tenant_id', 'conversation_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'message_feedback',
    'transfers',
    'messages',
    'conversations',
    'chat_sessions',
    'contact_identities',
    'contacts',
  ])
    await db.schema.dropTable(table).ifExists().execute();
}
