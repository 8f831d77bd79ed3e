import type { Clock } from '../../lib/clock.js';
import type { DataMode } from '../actor.js';
import type { ComplianceService } from '../compliance/index.js';
import type { ChannelDelivery, ConversationUpkeepService } from '../conversations/index.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import { reminderText } from './reminder-texts.js';
import type { ReminderCandidate, ReminderKind, RemindersRepo } from './reminders.repo.js';

/** What one run did. */
export interface RunReport {
  kind: ReminderKind;
  /** Everyone the selection found. */
  candidates: number;
  /** Handed to delivery, to go out now. */
  sent: number;
  /** Handed to delivery, waiting for the recipient's allowed hours. */
  held: number;
  /** Opted out of SMS: not messaged, and not claimed, so an opt-in later lets the next run reach them. */
  skippedOptedOut: number;
  /** Claimed by an earlier run (here or in another process): not sent again. */
  alreadySent: number;
}

export interface RemindersService {
  /** Reminds customers of appointments starting within `hoursAhead` hours (the tenant's `default_reminder_hours`, else 24). */
  sendUpcoming(tenantId: string, mode: DataMode, hoursAhead?: number): Promise<RunReport>;
  /** Follows up contacts with a phone who wrote in the last week (not the last hour) and have no appointment. */
  sendFollowups(tenantId: string, mode: DataMode): Promise<RunReport>;
  /** Invites back past customers whose last completed visit is `minDays` days old (tenant's setting, else 90) with nothing booked. */
  sendRetention(tenantId: string, mode: DataMode, minDays?: number): Promise<RunReport>;
}

export interface RemindersPorts {
  repo: RemindersRepo;
  clock: Clock;
  tenants: Pick<TenantsService, 'get'>;
  /** Asked first, so an opted-out number is not even claimed; delivery asks again before each attempt. */
  compliance: Pick<ComplianceService, 'mayContact'>;
  messages: Pick<ConversationUpkeepService, 'postSystemText'>;
  delivery: ChannelDelivery;
  counters: Counters;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_REMINDER_HOURS = 24;
const DEFAULT_RETENTION_DAYS = 90;
/** A follow-up is for a customer who wrote in the last week but not in the last hour (not one still chatting). */
const FOLLOWUP_WINDOW_MS = 7 * DAY_MS;
const FOLLOWUP_QUIET_MS = HOUR_MS;

function count(ports: RemindersPorts, tenantId: string, kind: ReminderKind): void {
  const c = ports.counters;
  c.increment('sms_sent_total');
  c.increment('sms_sent_customer');
  c.incrementForBusiness('sms_by_business', tenantId, 'sms_sent_customer');
  if (kind === 'upcoming') c.incrementForBusiness('sms_by_business', tenantId, 'reminders_sent');
  if (kind === 'followup') {
    c.increment('lead_followups_sent');
    c.incrementForBusiness('sms_by_business', tenantId, 'lead_followups_sent');
  }
  if (kind === 'retention') {
    c.increment('retention_messages_sent');
    c.incrementForBusiness('sms_by_business', tenantId, 'retention_messages_sent');
    c.incrementForBusiness('retention_by_business', tenantId, 'lapsed_customer');
  }
}

/** Claims one send, then stores and hands over its message; the claim is given back if the message could not be stored. */
async function sendOne(
  ports: RemindersPorts,
  tenantId: string,
  { kind, mode }: { kind: ReminderKind; mode: DataMode },
  who: ReminderCandidate,
  business: { name: string; timezone: string },
): Promise<'sent' | 'held' | 'skipped_opted_out' | 'already_sent'> {
  const now = ports.clock.now();
  const gate = await ports.compliance.mayContact(tenantId, who.phone, 'sms', now);
  if (gate.kind === 'opted_out') return 'skipped_opted_out';
  if (!(await ports.repo.claim(tenantId, kind, who.subjectId, who.contactId, now.toISOString()))) return 'already_sent';
  const text = reminderText(kind, who, business);
  let posted: { conversationId: string; messageId: string };
  try {
    posted = await ports.messages.postSystemText(tenantId, {
      contactId: who.contactId,
      channel: 'sms',
      to: who.phone,
      text,
      mode,
      metadata: { kind, subject_id: who.subjectId },
      at: now.toISOString(),
    });
  } catch (err) {
    await ports.repo.release(tenantId, kind, who.subjectId);
    throw err;
  }
  await ports.repo.setMessage(tenantId, kind, who.subjectId, posted.messageId);
  await ports.delivery.deliver(tenantId, { channel: 'sms', ...posted, to: who.phone, text, quickReplies: [] });
  count(ports, tenantId, kind);
  return gate.kind === 'quiet' ? 'held' : 'sent';
}

async function run(
  ports: RemindersPorts,
  tenantId: string,
  kind: ReminderKind,
  mode: DataMode,
  select: () => Promise<ReminderCandidate[]>,
): Promise<RunReport> {
  const tenant = await ports.tenants.get(tenantId);
  const business = { name: tenant.name, timezone: tenant.timezone };
  const report: RunReport = { kind, candidates: 0, sent: 0, held: 0, skippedOptedOut: 0, alreadySent: 0 };
  for (const who of await select()) {
    report.candidates += 1;
    const outcome = await sendOne(ports, tenantId, { kind, mode }, who, business);
    if (outcome === 'sent') report.sent += 1;
    else if (outcome === 'held') report.held += 1;
    else if (outcome === 'skipped_opted_out') report.skippedOptedOut += 1;
    else report.alreadySent += 1;
  }
  return report;
}

export function createRemindersService(ports: RemindersPorts): RemindersService {
  const nowMs = () => ports.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    async sendUpcoming(tenantId, mode, hoursAhead) {
      const hours =
        hoursAhead ??
        (await ports.tenants.get(tenantId)).config.reminders?.default_reminder_hours ??
        DEFAULT_REMINDER_HOURS;
      const now = nowMs();
      return run(ports, tenantId, 'upcoming', mode, () =>
        ports.repo.upcoming(tenantId, mode, iso(now), iso(now + hours * HOUR_MS)),
      );
    },
    sendFollowups(tenantId, mode) {
      const now = nowMs();
      return run(ports, tenantId, 'followup', mode, () =>
        ports.repo.followups(tenantId, mode, iso(now - FOLLOWUP_WINDOW_MS), iso(now - FOLLOWUP_QUIET_MS)),
      );
    },
    async sendRetention(tenantId, mode, minDays) {
      const days =
        minDays ??
        (await ports.tenants.get(tenantId)).config.retention?.min_days_since_last_visit ??
        DEFAULT_RETENTION_DAYS;
      const now = nowMs();
      return run(ports, tenantId, 'retention', mode, () =>
        ports.repo.lapsed(tenantId, mode, iso(now - days * DAY_MS), iso(now)),
      );
    },
  };
}
