import type { Db } from '../../store/db.js';
import { toJson } from '../../store/json.js';
import { notFound } from '../errors.js';
import type { LeadsService } from '../leads/index.js';
import * as appointments from './appointments.repo.js';
import * as conversations from './conversations.repo.js';
import * as messages from './messages.repo.js';
import type { ReplyMetadata } from './messages.view.js';
import type { HandoffService } from './transfers.service.js';
import type { Applied, Received, TurnPlan, TurnStep } from './turn-types.js';

export interface ApplyDeps {
  db: Db;
  leads: Pick<LeadsService, 'recordAnalyzedIn'>;
  transfers: () => Pick<HandoffService, 'writeOpen'>;
}

/**
 * Another delivery stored the same message, or started the same new conversation, while this
 * turn was being decided: the turn is rolled back and runs again on what is stored now.
 */
export class TurnRaced extends Error {
  constructor() {
    super('a concurrent turn stored this message or conversation first');
  }
}

/** What the steps created, for the reply's metadata and the conversation's lead. */
interface Created {
  leadId: string | undefined;
  appointmentRequestId?: string;
  transferId?: string;
  leads: Applied['leads'];
}

/**
 * Writes a decided turn in one transaction: the conversation it starts, the customer's message,
 * the rows of the dialog's actions, the reply and the conversation's state and counters. Either
 * all of it is stored or none of it is, so a failed turn can simply be sent again.
 */
export function createTurnApplier(deps: ApplyDeps) {
  const storeInbound = async (trx: Db, received: Received, plan: TurnPlan): Promise<void> => {
    const { tenantId, conversation } = received;
    if (received.inboundStored) {
      const { id, tenant_id: _tenant, created_at: _created, ...patch } = plan.inbound;
      await messages.update(trx, tenantId, id, patch);
      return;
    }
    if (received.conversationIsNew && !(await conversations.insert(trx, tenantId, conversation))) {
      // Ids are unique across tenants; one taken by another tenant is reported as unknown here.
      if (await conversations.findById(trx, tenantId, conversation.id)) throw new TurnRaced();
      throw notFound('conversation', conversation.id);
    }
    if (!(await messages.insert(trx, tenantId, plan.inbound))) throw new TurnRaced();
    await conversations.recordMessage(trx, tenantId, conversation.id, plan.inbound.created_at, true);
    if (received.sessionId && !conversation.session_id)
      await conversations.update(trx, tenantId, conversation.id, { session_id: received.sessionId });
  };

  const writeStep = async (trx: Db, tenantId: string, step: TurnStep, created: Created): Promise<void> => {
    switch (step.type) {
      case 'lead': {
        const lead = await deps.leads.recordAnalyzedIn(trx, tenantId, step.lead, step.analysis, step.processingTimeMs);
        created.leadId = lead.leadId;
        created.leads.push(lead);
        break;
      }
      case 'appointment':
        await appointments.insert(trx, tenantId, { ...step.row, lead_id: created.leadId ?? null });
        created.appointmentRequestId = step.row.id;
        break;
      case 'transfer':
        await deps.transfers().writeOpen(trx, tenantId, step.plan);
        created.transferId = step.plan.transferId;
        break;
    }
  };

  const replyRow = (
    reply: NonNullable<TurnPlan['reply']>,
    created: Created,
    namesLead: boolean,
  ): messages.MessageRow => {
    const meta: ReplyMetadata = {
      ...reply.meta,
      ...(namesLead && created.leadId ? { lead_id: created.leadId } : {}),
      ...(created.appointmentRequestId ? { appointment_request_id: created.appointmentRequestId } : {}),
      ...(created.transferId ? { transfer_id: created.transferId } : {}),
    };
    return { ...reply.row, metadata: toJson(meta) };
  };

  const write = async (trx: Db, received: Received, plan: TurnPlan): Promise<Applied> => {
    const { tenantId, conversation } = received;
    await storeInbound(trx, received, plan);
    const created: Created = { leadId: conversation.lead_id ?? undefined, leads: [] };
    for (const step of plan.steps) await writeStep(trx, tenantId, step, created);
    if (!plan.reply) return { inbound: plan.inbound, reply: null, leads: created.leads };
    // The reply names the lead when a step created it or booked an appointment on it.
    const namesLead = plan.steps.some((s) => s.type !== 'transfer');
    const reply = replyRow(plan.reply, created, namesLead);
    await messages.insert(trx, tenantId, reply);
    await conversations.update(trx, tenantId, conversation.id, {
      ...plan.conversationPatch,
      ...(created.leads.length > 0 ? { lead_id: created.leadId ?? null } : {}),
    });
    await conversations.recordMessage(trx, tenantId, conversation.id, reply.created_at, false);
    return { inbound: plan.inbound, reply, leads: created.leads };
  };

  return {
    apply: (received: Received, plan: TurnPlan): Promise<Applied> =>
      deps.db.transaction().execute((trx) => write(trx, received, plan)),
  };
}
