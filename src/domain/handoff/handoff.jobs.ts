import { newId } from '../../lib/ids.js';
import type { JobContext, Queue } from '../../queue/queue.js';
import type { HandoffNotice, NotificationsService } from '../notifications/index.js';
import type { Tx } from '../transaction.js';
import { deliverToPlatform, outboundText } from './handoff-delivery.js';
import type { AgentDeps } from './handoff-agent.js';
import { publishQuietly } from './handoff-open.js';

/** What handoffs tell people through (the notifications concept). */
export type HandoffNotices = Pick<
  NotificationsService,
  'handoffOpened' | 'handoffUnanswered' | 'waitLimitMinutes' | 'answerWithinMinutes'
>;

export interface NoticeDeps extends AgentDeps {
  queue: Queue;
  notices: HandoffNotices;
}

/**
 * Queues telling the people on duty now, and the wait-limit check for later, in the handoff's own
 * transaction: both commit with its rows or not at all, so a crash after the commit cannot lose
 * the notice. The answer runs them once the transaction committed (recovery runs them otherwise).
 */
export async function queueNoticesIn(
  queue: Queue,
  trx: Tx,
  tenantId: string,
  transferId: string,
  minutes: number,
): Promise<() => Promise<void>> {
  const notify = await queue.enqueueInTransaction(
    trx,
    'handoff.notify',
    { tenantId, transferId },
    { tenantId, dedupeKey: `handoff.notify:${transferId}` },
  );
  const waitLimit = await queue.enqueueInTransaction(
    trx,
    'handoff.wait_limit',
    { tenantId, transferId, minutes },
    { tenantId, delayMs: minutes * 60_000, dedupeKey: `handoff.wait_limit:${transferId}` },
  );
  return async () => {
    await notify.dispatch();
    await waitLimit.dispatch();
  };
}

async function noticeOf(deps: NoticeDeps, tenantId: string, transferId: string) {
  const row = await deps.repo.findById(tenantId, transferId);
  if (!row) return undefined;
  const notice: HandoffNotice = {
    conversationId: row.conversationId,
    transferId: row.id,
    assigneeUserId: row.agentUserId,
    reason: row.reason ?? 'requested',
    priority: row.priority,
    department: row.department,
    briefing: row.briefing,
  };
  return { row, notice };
}

async function handleHandoffNotify(deps: NoticeDeps, p: { tenantId: string; transferId: string }): Promise<unknown> {
  const found = await noticeOf(deps, p.tenantId, p.transferId);
  // Taken or withdrawn before the notice went out: nobody needs to hear of it.
  if (found?.row.status !== 'queued') return { skipped: true };
  return deps.notices.handoffOpened(p.tenantId, found.notice);
}

function visitorText(answerWithin: number): string {
  const hours = answerWithin >= 120 ? `${Math.round(answerWithin / 60)} hours` : `${answerWithin} minutes`;
  return `Sorry for the wait: everyone on our team is busy right now. We have let the person in charge know, and you will get an answer here within about ${hours}.`;
}

/** Nobody took the handoff in time: the owner hears of it, and the visitor is told honestly when to expect an answer. */
async function handleWaitLimit(
  deps: NoticeDeps,
  p: { tenantId: string; transferId: string; minutes: number },
  ctx: JobContext,
): Promise<unknown> {
  const found = await noticeOf(deps, p.tenantId, p.transferId);
  if (found?.row.status !== 'queued') return { skipped: true };
  const conversation = await deps.store.conversations.findById(p.tenantId, found.row.conversationId);
  if (!conversation) return { skipped: true };
  const outcome = await deps.notices.handoffUnanswered(p.tenantId, found.notice, p.minutes);
  const now = deps.clock.now();
  const at = now.toISOString();
  const messageId = newId('msg', now.getTime());
  const text = visitorText(await deps.notices.answerWithinMinutes(p.tenantId));
  const metadata = { kind: 'wait_limit_notice', transfer_id: p.transferId };
  const committed = await deps.store.transaction(async (tx) => {
    if (!(await ctx.completeIn(tx.handle))) return false;
    await tx.messages.insert(
      p.tenantId,
      outboundText({ id: messageId, conversation, sender: 'system', text, metadata, at }),
    );
    await tx.conversations.recordMessage(p.tenantId, conversation.id, at, false);
    return true;
  });
  if (!committed) return { skipped: true };
  await publishQuietly(deps.live, {
    tenantId: p.tenantId,
    conversationId: conversation.id,
    at,
    type: 'message.created',
    data: { message_id: messageId, direction: 'outbound', sender: 'system', text },
  });
  await deliverToPlatform(deps, p.tenantId, conversation, messageId, text);
  return outcome;
}

export function registerHandoffJobs(deps: NoticeDeps): void {
  deps.queue.register('handoff.notify', (payload) => handleHandoffNotify(deps, payload), { maxAttempts: 3 });
  deps.queue.register('handoff.wait_limit', (payload, ctx) => handleWaitLimit(deps, payload, ctx), { maxAttempts: 3 });
}
