import type { Mailer } from '../../providers/notify/email.js';
import type { SlackNotifier } from '../../providers/notify/slack.js';
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

/** Where a notice went and what failed; a failed channel does not stop the others. */
export interface NoticeOutcome {
  recipients: string[];
  sent: ('email' | 'slack')[];
  failed: { channel: 'email' | 'slack'; error: string }[];
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
  /** Links point here (`PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
}

/** A tenant's team is small; the people on duty are read in one page. */
const TEAM_PAGE = 200;

const sectionOf = (config: TenantConfig): NotificationsConfig => config.notifications ?? {};
// Someone invited but not yet signed in is on the team all the same: the notice is how many of them hear of it first.
const onTeam = (users: User[]) => users.filter((u) => u.status === 'active' || u.status === 'invited');

async function roleMembers(deps: NotificationsDeps, tenantId: string, role: string): Promise<User[]> {
  return onTeam((await deps.users.list(tenantId, { limit: TEAM_PAGE, offset: 0, role })).users);
}

async function ownerAddresses(
  deps: NotificationsDeps,
  tenantId: string,
  config: NotificationsConfig,
): Promise<string[]> {
  const owners = (await roleMembers(deps, tenantId, 'owner')).map((u) => u.email);
  if (owners.length > 0) return owners;
  return config.owner_email ? [config.owner_email] : [];
}

async function onDuty(deps: NotificationsDeps, tenantId: string, h: HandoffNotice, config: NotificationsConfig) {
  const assignee = h.assigneeUserId ? await deps.users.get(tenantId, h.assigneeUserId) : undefined;
  if (assignee && onTeam([assignee]).length > 0) return [assignee.email];
  const agents = (await roleMembers(deps, tenantId, 'agent')).map((u) => u.email);
  return agents.length > 0 ? agents : ownerAddresses(deps, tenantId, config);
}

async function deliver(deps: NotificationsDeps, config: NotificationsConfig, to: string[], notice: Notice) {
  const outcome: NoticeOutcome = { recipients: to, sent: [], failed: [] };
  const attempt = async (channel: 'email' | 'slack', send: () => Promise<unknown>) => {
    try {
      await send();
      outcome.sent.push(channel);
    } catch (err) {
      outcome.failed.push({ channel, error: err instanceof Error ? err.message : String(err) });
    }
  };
  if (config.email?.enabled !== false && to.length > 0)
    await attempt('email', () => deps.mailer.send({ to, subject: notice.subject, text: notice.text }));
  const hook = config.slack_webhook_url;
  if (hook) await attempt('slack', () => deps.slack.send(hook, { text: `*${notice.subject}*\n${notice.text}` }));
  return outcome;
}

export function createNotificationsService(deps: NotificationsDeps): NotificationsService {
  const load = async (tenantId: string) => {
    const [tenant, config] = await Promise.all([
      deps.tenants.get(tenantId),
      deps.tenants.getConfigWithSecrets(tenantId),
    ]);
    return { name: tenant.name, config: sectionOf(config) };
  };
  return {
    async handoffOpened(tenantId, handoff) {
      const { name, config } = await load(tenantId);
      const to = await onDuty(deps, tenantId, handoff, config);
      return deliver(deps, config, to, handoffNotice(handoff, name, deps.publicBaseUrl));
    },
    async handoffUnanswered(tenantId, handoff, waitedMinutes) {
      const { name, config } = await load(tenantId);
      const to = await ownerAddresses(deps, tenantId, config);
      return deliver(deps, config, to, unansweredNotice(handoff, waitedMinutes, name, deps.publicBaseUrl));
    },
    async tellOwner(tenantId, event) {
      const { name, config } = await load(tenantId);
      if (config.events?.[event.kind] === false) return { recipients: [], sent: [], failed: [] };
      const to = await ownerAddresses(deps, tenantId, config);
      return deliver(deps, config, to, ownerNotice(event, name, deps.publicBaseUrl));
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
