import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/index.js';
import type { TenantAiService } from '../ai/index.js';
import type { ConversionBlender } from '../conversion/index.js';
import type { EventSink } from '../events.js';
import type { ContactsService } from '../identity/index.js';
import type { LiveBus } from '../live/index.js';
import type { OwnerAlerts } from '../notifications/index.js';
import type { UsageService } from '../usage/index.js';
import type { LeadEvent } from './leads.records.js';
import type { LeadsRepo } from './leads.repo.js';

/** What the leads use cases work with. */
export interface LeadsPorts {
  repo: LeadsRepo;
  /** Finds or creates the person a lead's phone or e-mail names, in the lead's transaction. */
  identity: Pick<ContactsService, 'resolveByKeys'>;
  clock: Clock;
  ai: TenantAiService;
  /** The tenant's own conversion model, blended into a qualification's score once it beat the rules. */
  conversion: ConversionBlender;
  events: EventSink<LeadEvent>;
  usage: UsageService;
  /** The live bus: the tenant's open screens hear of a lead as soon as it is stored or scored again. */
  live: Pick<LiveBus, 'publish'>;
  /** Where a lead's status edits are recorded, so its timeline can tell when its status changed. */
  audit: Pick<AuditService, 'record'>;
  /** Tells the owner of a lead that turned HOT; absent: nobody is told. */
  ownerAlerts?: Pick<OwnerAlerts, 'raiseIn'> | undefined;
}
