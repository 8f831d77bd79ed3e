import { channelSettings } from '../../channels/settings.js';
import type { Mailer } from '../../providers/notify/email.js';
import type { SlackNotifier } from '../../providers/notify/slack.js';
import type { SmsAccount, SmsNotifier } from '../../providers/notify/sms.js';
import type { TenantConfig, TenantsService, User, UsersService } from '../tenants/index.js';
import {
  DEFAULT_ANSWER_WITHIN_MINUTES,
  DEFAULT_WAIT_LIMIT_MINUTES,
  type NotificationsConfig,
} from './notifications.config.js';
import {
  handoffNotice,
  ownerNotice,
  unansweredNotice,
  type HandoffNotice,
  type Notice,
  type OwnerEvent,
} from './notices.js';

type NoticeChannel = 'email' | 'sms' | 'slack';

/** Where a notice went (e-mail addresses, then mobiles) and what failed; a failed channel does not stop the others. */
export interface NoticeOutcome {
  recipients: string[];
  sent: NoticeChannel[];
  failed: { channel: NoticeChannel; error: string }[];
}

export interface NotificationsService {
  /** Tells the people on duty: the assignee, else the tenant's agents, else the owner. */
  handoffOpened(tenantId: string, handoff: HandoffNotice): Promise<NoticeOutcome>;
  /** Tells the owner that nobody took the handoff within the wait limit. */
  handoffUnanswered(tenantId: string, handoff: HandoffNotice, waitedMinutes: number): Promise<NoticeOutcome>;
  /** A HOT lead, a failed pipeline request, a disabled webhook: the owner hears of it unless the tenant turned it off. */
  tellOwner(tenantId: string, event: OwnerEvent): Promise<NoticeOutcome>;
  /** The tenant's `notifications.wait_limit_minutes`. */
  waitLimitMinutes(tenantId: string): Promise<number>;
  /** The tenant's `notifications.answer_within_minutes`: what the visitor is promised after the wait limit. */
  answerWithinMinutes(tenantId: string): Promise<number>;
}

export interface NotificationsDeps {
  tenants: Pick<TenantsService, 'get' | 'getConfigWithSecrets'>;
  users: Pick<UsersService, 'get' | 'list'>;
  mailer: Pick<Mailer, 'send'>;
  slack: Pick<SlackNotifier, 'send'>;
  /** Texts through the tenant's Twilio account, else the outbox. */
  sms: Pick<SmsNotifier, 'send'>;
  /** Links point here (`PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
}

/** A tenant's team is small; the people on duty are read in one page. */
const TEAM_PAGE = 200;

const sectionOf = (config: TenantConfig): NotificationsConfig => config.notifications ?? {};
// Someone invited but not yet signed in is on the team all the same: the notice is how many of them hear of it first.
const onTeam = (users: User[]) => users.filter((u) => u.status === 'active' || u.status === 'invited');

/** Who a notice is for: their e-mail addresses and the mobiles of those who gave one. */
interface People {
  emails: string[];
  phones: string[];
}

const peopleOf = (users: User[]): People => ({
  emails: users.map((u) => u.email),
  phones: users.flatMap((u) => (u.phone ? [u.phone] : [])),
});

async function roleMembers(deps: NotificationsDeps, tenantId: string, role: string): Promise<User[]> {
  return onTeam((await deps.users.list(tenantId, { limit: TEAM_PAGE, offset: 0, role })).users);
}

/** The owner users, else the configured `owner_email`; their mobiles, else the configured `owner_phone`. */
async function owners(deps: NotificationsDeps, tenantId: string, config: NotificationsConfig): Promise<People> {
  const found = peopleOf(await roleMembers(deps, tenantId, 'owner'));
  return {
    emails: found.emails.length > 0 ? found.emails : config.owner_email ? [config.owner_email] : [],
    phones: found.phones.length > 0 ? found.phones : config.owner_phone ? [config.owner_phone] : [],
  };
}

async function onDuty(deps: NotificationsDeps, tenantId: string, h: HandoffNotice, config: NotificationsConfig) {
  const assignee = h.assigneeUserId ? await deps.users.get(tenantId, h.assigneeUserId) : undefined;
  if (assignee && onTeam([assignee]).length > 0) return peopleOf([assignee]);
  const agents = await roleMembers(deps, tenantId, 'agent');
  return agents.length > 0 ? peopleOf(agents) : owners(deps, tenantId, config);
}

/** The tenant's Twilio account when it is complete enough to send from; else texts go to the outbox. */
function smsAccountOf(config: TenantConfig): SmsAccount | undefined {
  const s = channelSettings(config, 'twilio');
  if (!s?.account_sid || !s.auth_token || !s.phone_number) return undefined;
  return {
    accountSid: s.account_sid,
    authToken: s.auth_token,
    from: s.phone_number,
    ...(s.api_base_url ? { baseUrl: s.api_base_url } : {}),
  };
}

interface Loaded {
  name: string;
  config: NotificationsConfig;
  sms: SmsAccount | undefined;
}

async function deliver(deps: NotificationsDeps, loaded: Loaded, to: People, notice: Notice) {
  const { config } = loaded;
  const outcome: NoticeOutcome = { recipients: [...to.emails, ...to.phones], sent: [], failed: [] };
  const attempt = async (channel: NoticeChannel, send: () => Promise<unknown>) => {
    try {
      await send();
      outcome.sent.push(channel);
    } catch (err) {
      outcome.failed.push({ channel, error: err instanceof Error ? err.message : String(err) });
    }
  };
  if (config.email?.enabled !== false && to.emails.length > 0)
    await attempt('email', () => deps.mailer.send({ to: to.emails, subject: notice.subject, text: notice.text }));
  if (config.sms?.enabled === true && to.phones.length > 0)
    await attempt('sms', async () => {
      // Each mobile is tried; one refused number does not keep the text from the others.
      const results = await Promise.allSettled(
        to.phones.map((phone) => deps.sms.send(loaded.sms, { to: phone, body: notice.short })),
      );
      const refused = results.find((r) => r.status === 'rejected');
      if (refused) throw refused.reason;
    });
  const hook = config.slack_webhook_url;
  if (hook) await attempt('slack', () => deps.slack.send(hook, { text: `*${notice.subject}*\n${notice.text}` }));
  return outcome;
}

export function createNotificationsService(deps: NotificationsDeps): NotificationsService {
  const load = async (tenantId: string): Promise<Loaded> => {
    const [tenant, config] = await Promise.all([
      deps.tenants.get(tenantId),
      deps.tenants.getConfigWithSecrets(tenantId),
    ]);
    return { name: tenant.name, config: sectionOf(config), sms: smsAccountOf(config) };
  };
  return {
    async handoffOpened(tenantId, handoff) {
      const loaded = await load(tenantId);
      const to = await onDuty(deps, tenantId, handoff, loaded.config);
      return deliver(deps, loaded, to, handoffNotice(handoff, loaded.name, deps.publicBaseUrl));
    },
    async handoffUnanswered(tenantId, handoff, waitedMinutes) {
      const loaded = await load(tenantId);
      const to = await owners(deps, tenantId, loaded.config);
      return deliver(deps, loaded, to, unansweredNotice(handoff, waitedMinutes, loaded.name, deps.publicBaseUrl));
    },
    async tellOwner(tenantId, event) {
      const loaded = await load(tenantId);
      if (loaded.config.events?.[event.kind] === false) return { recipients: [], sent: [], failed: [] };
      const to = await owners(deps, tenantId, loaded.config);
      return deliver(deps, loaded, to, ownerNotice(event, loaded.name, deps.publicBaseUrl));
    },
    async waitLimitMinutes(tenantId) {
      return sectionOf((await deps.tenants.get(tenantId)).config).wait_limit_minutes ?? DEFAULT_WAIT_LIMIT_MINUTES;
    },
    async answerWithinMinutes(tenantId) {
      return (
        sectionOf((await deps.tenants.get(tenantId)).config).answer_within_minutes ?? DEFAULT_ANSWER_WITHIN_MINUTES
      );
    },
  };
}
