import type { Db } from '../../store/db.js';
import type { CampaignTargetsTable, CampaignsTable } from '../../store/tables.js';
import type {
  CallOutcome,
  Campaign,
  CampaignStatus,
  CampaignTarget,
  NewCampaign,
  TargetState,
} from './campaigns.records.js';

function toCampaign(r: CampaignsTable): Campaign {
  return {
    id: r.id,
    name: r.name,
    niche: r.niche,
    clientName: r.client_name,
    clientService: r.client_service,
    targetCities: JSON.parse(r.target_cities) as string[],
    targetLeadCount: r.target_lead_count,
    dailyCallLimit: r.daily_call_limit,
    status: r.status as CampaignStatus,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toTarget(r: CampaignTargetsTable): CampaignTarget {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    leadId: r.lead_id,
    phone: r.phone,
    timeZone: r.time_zone,
    state: r.state as TargetState,
    attempts: Number(r.attempts),
    nextDialAt: r.next_dial_at,
    outcome: r.outcome as CallOutcome | null,
    callRef: r.call_ref,
  };
}

/** The campaigns, their targets' dialling state and the do-not-call list (the campaigns concept writes them). */
export function createCampaignsRepo(db: Db) {
  return {
    ...campaignRows(db),
    ...targetRows(db),
    ...targetLookups(db),
    ...dialWrites(db),
    ...callWrites(db),
    ...dncRows(db),
  };
}

function campaignRows(db: Db) {
  const campaigns = (tenantId: string) => db.selectFrom('campaigns').selectAll().where('tenant_id', '=', tenantId);
  return {
    async insert(tenantId: string, c: NewCampaign & { id: string; at: string }): Promise<void> {
      await db
        .insertInto('campaigns')
        .values({
          id: c.id,
          tenant_id: tenantId,
          name: c.name,
          niche: c.niche,
          client_name: c.clientName,
          client_service: c.clientService,
          target_cities: JSON.stringify(c.targetCities),
          target_lead_count: c.targetLeadCount,
          daily_call_limit: c.dailyCallLimit,
          status: 'draft',
          dials_day: null,
          dials_today: 0,
          created_at: c.at,
          updated_at: c.at,
        })
        .execute();
    },

    async list(tenantId: string): Promise<Campaign[]> {
      const rows = await campaigns(tenantId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toCampaign);
    },

    async find(tenantId: string, id: string): Promise<Campaign | undefined> {
      const row = await campaigns(tenantId).where('id', '=', id).executeTakeFirst();
      return row && toCampaign(row);
    },

    /** Moves the campaign to `to` only from one of `from`; false when it was in another state. */
    async transition(tenantId: string, id: string, from: readonly CampaignStatus[], to: CampaignStatus, at: string) {
      const r = await db
        .updateTable('campaigns')
        .set({ status: to, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

function targetRows(db: Db) {
  const targets = (tenantId: string, campaignId: string) =>
    db.selectFrom('campaign_targets').where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId);
  return {
    /** Adds a target; false when the campaign already has this phone. */
    async insertTarget(
      tenantId: string,
      t: { id: string; campaignId: string; leadId: string; phone: string; timeZone: string; at: string },
    ): Promise<boolean> {
      const r = await db
        .insertInto('campaign_targets')
        .values({
          id: t.id,
          tenant_id: tenantId,
          campaign_id: t.campaignId,
          lead_id: t.leadId,
          phone: t.phone,
          time_zone: t.timeZone,
          state: 'pending',
          attempts: 0,
          next_dial_at: t.at,
          outcome: null,
          call_ref: null,
          transcript: null,
          created_at: t.at,
          updated_at: t.at,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'campaign_id', 'phone']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async countTargets(tenantId: string, campaignId: string): Promise<number> {
      const r = await targets(tenantId, campaignId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Pending targets whose time has come, oldest first. */
    async due(tenantId: string, campaignId: string, now: string, limit: number): Promise<CampaignTarget[]> {
      const rows = await targets(tenantId, campaignId)
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_dial_at', '<=', now)
        .orderBy('next_dial_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toTarget);
    },

    /** The earliest time a pending target may be dialled; undefined when none waits. */
    async nextDue(tenantId: string, campaignId: string): Promise<string | undefined> {
      const r = await targets(tenantId, campaignId)
        .select((eb) => eb.fn.min('next_dial_at').as('at'))
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return r?.at ?? undefined;
    },

    /** Targets still waiting or on a call. */
    async countOpen(tenantId: string, campaignId: string): Promise<number> {
      const r = await targets(tenantId, campaignId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', 'in', ['pending', 'dialing'])
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Moves a pending target's next dial (outside calling hours) or sets it aside for good (`blocked`). */
    async park(tenantId: string, id: string, patch: { state: 'pending' | 'blocked'; nextDialAt: string; at: string }) {
      await db
        .updateTable('campaign_targets')
        .set({ state: patch.state, next_dial_at: patch.nextDialAt, updated_at: patch.at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .execute();
    },
  };
}

/** The claim of one dial against the daily limit and the target. */
function dialWrites(db: Db) {
  return {
    /**
     * Claims one dial: counts it against the campaign's daily limit (only while the campaign runs)
     * and takes the target from `pending` at the attempt count read, in one transaction. Each is a
     * conditional update, so of two workers racing for a target or the last dial of the day one wins.
     */
    async claimDial(
      tenantId: string,
      c: { campaignId: string; targetId: string; attempts: number; day: string; limit: number; at: string },
    ): Promise<'claimed' | 'limit' | 'lost'> {
      return db
        .transaction()
        .execute(async (trx) => {
          const counted = await trx
            .updateTable('campaigns')
            .set((eb) => ({
              dials_today: eb
                .case()
                .when('dials_day', '=', c.day)
                .then(eb('dials_today', '+', 1))
                .else(1)
                .end(),
              dials_day: c.day,
            }))
            .where('tenant_id', '=', tenantId)
            .where('id', '=', c.campaignId)
            .where('status', '=', 'running')
            .where((eb) =>
              eb.or([eb('dials_day', 'is', null), eb('dials_day', '!=', c.day), eb('dials_today', '<', c.limit)]),
            )
            .executeTakeFirst();
          if (Number(counted.numUpdatedRows) !== 1) return 'limit' as const;
          const taken = await trx
            .updateTable('campaign_targets')
            .set({ state: 'dialing', attempts: c.attempts + 1, call_ref: null, transcript: null, updated_at: c.at })
            .where('tenant_id', '=', tenantId)
            .where('id', '=', c.targetId)
            .where('state', '=', 'pending')
            .where('attempts', '=', c.attempts)
            .executeTakeFirst();
          if (Number(taken.numUpdatedRows) !== 1) throw new LostClaim();
          return 'claimed' as const;
        })
        .catch((err: unknown) => {
          if (err instanceof LostClaim) return 'lost' as const;
          throw err;
        });
    },
  };
}

/** What the callee has said on the target's call so far, a line a turn. */
async function transcriptOf(db: Db, tenantId: string, targetId: string): Promise<string> {
  const row = await db
    .selectFrom('campaign_targets')
    .select('transcript')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', targetId)
    .executeTakeFirst();
  return row?.transcript ?? '';
}

/** A call's id, what the callee said on it, and its end. */
function callWrites(db: Db) {
  return {
    async setCallRef(tenantId: string, targetId: string, callRef: string, at: string): Promise<void> {
      await db
        .updateTable('campaign_targets')
        .set({ call_ref: callRef, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', targetId)
        .where('state', '=', 'dialing')
        .execute();
    },

    /** Adds a line the callee said to the call's transcript. */
    async appendTranscript(tenantId: string, targetId: string, line: string, at: string): Promise<void> {
      const current = await transcriptOf(db, tenantId, targetId);
      const next = current ? `${current}\n${line}` : line;
      await db
        .updateTable('campaign_targets')
        .set({ transcript: next, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', targetId)
        .execute();
    },

    transcriptOf: (tenantId: string, targetId: string): Promise<string> => transcriptOf(db, tenantId, targetId),

    /** Ends the call a target is on; false when it was already ended (a repeated status callback). */
    async endCall(
      tenantId: string,
      targetId: string,
      end: { outcome: CallOutcome; state: 'pending' | 'done'; nextDialAt: string; at: string },
    ): Promise<boolean> {
      const r = await db
        .updateTable('campaign_targets')
        .set({ outcome: end.outcome, state: end.state, next_dial_at: end.nextDialAt, updated_at: end.at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', targetId)
        .where('state', '=', 'dialing')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Targets of the campaign by latest outcome (null: never ended a call). */
    async outcomes(tenantId: string, campaignId: string): Promise<{ outcome: string | null; n: number }[]> {
      const rows = await db
        .selectFrom('campaign_targets')
        .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('campaign_id', '=', campaignId)
        .groupBy('outcome')
        .execute();
      return rows.map((r) => ({ outcome: r.outcome, n: Number(r.n) }));
    },
  };
}

function targetLookups(db: Db) {
  return {
    async findTarget(tenantId: string, id: string): Promise<CampaignTarget | undefined> {
      const row = await db
        .selectFrom('campaign_targets')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toTarget(row);
    },

    async findByCallRef(tenantId: string, callRef: string): Promise<CampaignTarget | undefined> {
      const row = await db
        .selectFrom('campaign_targets')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('call_ref', '=', callRef)
        .executeTakeFirst();
      return row && toTarget(row);
    },
  };
}

function dncRows(db: Db) {
  return {
    async addDnc(tenantId: string, phones: readonly string[], at: string): Promise<void> {
      if (phones.length === 0) return;
      await db
        .insertInto('campaign_dnc')
        .values(phones.map((phone) => ({ tenant_id: tenantId, phone, created_at: at })))
        .onConflict((oc) => oc.columns(['tenant_id', 'phone']).doNothing())
        .execute();
    },

    async onDnc(tenantId: string, phone: string): Promise<boolean> {
      const row = await db
        .selectFrom('campaign_dnc')
        .select('phone')
        .where('tenant_id', '=', tenantId)
        .where('phone', '=', phone)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

class LostClaim extends Error {}

export type CampaignsRepo = ReturnType<typeof createCampaignsRepo>;
