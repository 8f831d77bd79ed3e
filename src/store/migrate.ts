import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Tables } from './tables.js';
import * as foundation from './migrations/2026-11-23-0001-foundation.js';
import * as webhooks from './migrations/2026-11-23-0002-webhooks.js';
import * as leads from './migrations/2026-11-23-0003-leads.js';
import * as ingestion from './migrations/2026-11-23-0004-ingestion.js';
import * as conversations from './migrations/2026-11-23-0005-conversations.js';
import * as appointments from './migrations/2026-11-23-0006-appointments.js';
import * as channelDeliveries from './migrations/2026-11-23-0007-channel-deliveries.js';
import * as lookupIndexes from './migrations/2026-11-23-0008-lookup-indexes.js';
import * as jobClaimIndex from './migrations/2026-11-23-0009-job-claim-index.js';
import * as intakeRelay from './migrations/2026-11-23-0010-intake-relay.js';
import * as channelRoutes from './migrations/2026-12-06-0011-channel-routes.js';
import * as tokenRevocation from './migrations/2026-12-06-0012-token-revocation.js';
import * as webhookSecretGrace from './migrations/2026-12-06-0013-webhook-secret-grace.js';
import * as leadContacts from './migrations/2026-12-06-0014-lead-contacts.js';
import * as appointmentSlot from './migrations/2026-12-06-0015-appointment-slot.js';
import * as consentEvents from './migrations/2026-12-06-0016-consent-events.js';
import * as crmAppointments from './migrations/2026-12-06-0017-crm-appointments.js';
import * as conversationQa from './migrations/2026-12-06-0018-conversation-qa.js';
import * as livemode from './migrations/2026-12-06-0019-livemode.js';
import * as reminderSends from './migrations/2026-12-06-0020-reminder-sends.js';
import * as leadPlaces from './migrations/2026-12-07-0001-lead-places.js';
import * as conversionRuns from './migrations/2026-12-07-0400-conversion-runs.js';
import * as appSessions from './migrations/2026-12-07-0500-app-sessions.js';
import * as userPhones from './migrations/2026-12-07-0660-user-phones.js';
import * as campaigns from './migrations/2026-12-07-0300-campaigns.js';
import * as appointmentCancelReason from './migrations/2026-12-07-0620-appointment-cancel-reason.js';

/** Every migration, in order. Names are date-prefixed; the list is append-only. */
const migrations: Record<string, Migration> = {
  '2026-11-23-0001-foundation': foundation,
  '2026-11-23-0002-webhooks': webhooks,
  '2026-11-23-0003-leads': leads,
  '2026-11-23-0004-ingestion': ingestion,
  '2026-11-23-0005-conversations': conversations,
  '2026-11-23-0006-appointments': appointments,
  '2026-11-23-0007-channel-deliveries': channelDeliveries,
  '2026-11-23-0008-lookup-indexes': lookupIndexes,
  '2026-11-23-0009-job-claim-index': jobClaimIndex,
  '2026-11-23-0010-intake-relay': intakeRelay,
  '2026-12-06-0011-channel-routes': channelRoutes,
  '2026-12-06-0012-token-revocation': tokenRevocation,
  '2026-12-06-0013-webhook-secret-grace': webhookSecretGrace,
  '2026-12-06-0014-lead-contacts': leadContacts,
  '2026-12-06-0015-appointment-slot': appointmentSlot,
  '2026-12-06-0016-consent-events': consentEvents,
  '2026-12-06-0017-crm-appointments': crmAppointments,
  '2026-12-06-0018-conversation-qa': conversationQa,
  '2026-12-06-0019-livemode': livemode,
  '2026-12-06-0020-reminder-sends': reminderSends,
  '2026-12-07-0001-lead-places': leadPlaces,
  '2026-12-07-0400-conversion-runs': conversionRuns,
  '2026-12-07-0500-app-sessions': appSessions,
  '2026-12-07-0660-user-phones': userPhones,
  '2026-12-07-0300-campaigns': campaigns,
  '2026-12-07-0620-appointment-cancel-reason': appointmentCancelReason,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<Tables>): Promise<string[]> {
  // On PostgreSQL the migrator looks for its tables in every schema unless told which: a
  // database holding several Frontdesk schemas (a fleet's, parallel tests') would make it skip
  // creating its own lock table. The schema is the connection's, so a default deployment keeps `public`.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'frontdesk_migrations',
    migrationLockTableName: 'frontdesk_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
