import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { systemActor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import type { ContactsService } from '../identity/index.js';
import type { LiveBus } from '../live/index.js';
import { announceStatusEdit, publishLeadLive } from './lead-events.js';
import { createLeadsRepo } from './leads.repo.js';
import { createSourcedLeadsRepo, type SourcedLead, type SourcedLeadsDb } from './sourced-leads.repo.js';

export type { SourcedLead } from './sourced-leads.repo.js';

/** What a campaign call made of the person: reached, interested, or not interested. */
export type CallVerdict = 'contacted' | 'interested' | 'lost';

/**
 * The statuses each verdict may replace: being called lifts only a `new` lead; interest or a
 * refusal overrides anything short of `won` (a refusal also leaves a `lost` lead as it is).
 */
const MOVES_FROM: Record<CallVerdict, readonly string[]> = {
  contacted: ['new'],
  interested: ['new', 'contacted', 'qualified', 'lost'],
  lost: ['new', 'contacted', 'qualified', 'interested'],
};

export interface SourcedLeadsPorts {
  db: SourcedLeadsDb;
  clock: Clock;
  identity: Pick<ContactsService, 'resolveByKeys'>;
  /** The tenant's open screens hear of a sourced lead, and of a call moving its status, as of any other. */
  live: Pick<LiveBus, 'publish'>;
  /** A call's verdict is a status edit like any other: recorded, so the lead's timeline tells it. */
  audit: Pick<AuditService, 'record'>;
}

/**
 * Records sourced people as leads in the unified table, each attached to the contact its phone
 * names. A phone that already has a live lead keeps it (one person, one lead): its id is returned.
 */
export function createSourcedLeads(ports: SourcedLeadsPorts) {
  const repo = createSourcedLeadsRepo(ports.db);
  const leads = createLeadsRepo(ports.db);
  return {
    async record(tenantId: string, lead: SourcedLead): Promise<{ leadId: string; created: boolean }> {
      const known = await repo.findLiveIdByPhone(tenantId, lead.phone);
      if (known) return { leadId: known, created: false };
      const contact = await ports.identity.resolveByKeys(tenantId, { phone: lead.phone, name: lead.company });
      const leadId = newId('lead');
      await repo.insert(tenantId, {
        ...lead,
        id: leadId,
        contactId: contact?.id,
        at: ports.clock.now().toISOString(),
      });
      await publishLeadLive(ports, tenantId, 'lead.created', {
        id: leadId,
        tier: null,
        score: null,
        source: lead.source,
        mode: 'live',
      });
      return { leadId, created: true };
    },
    /** A campaign call's verdict on the lead it called: its status follows, never backwards. */
    async followCall(tenantId: string, leadId: string, verdict: CallVerdict): Promise<void> {
      const before = await leads.findById(tenantId, leadId);
      if (!before) return;
      if (!(await repo.moveStatus(tenantId, leadId, verdict, MOVES_FROM[verdict], ports.clock.now().toISOString())))
        return;
      const after = await leads.findById(tenantId, leadId);
      if (after) await announceStatusEdit(ports, systemActor, tenantId, before, after);
    },
  };
}
export type SourcedLeads = ReturnType<typeof createSourcedLeads>;
