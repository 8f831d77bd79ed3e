import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import type { Tx } from '../transaction.js';
import type { DataMode } from '../actor.js';
import type { Lead } from './leads.records.js';
import { toLead, type LeadPlace } from './leads.repo.js';

/** Which leads a listing shows; every field but limit and offset is optional (no mode: live and test leads). */
export interface LeadFilter {
  mode?: DataMode | undefined;
  status?: string | undefined;
  tier?: string | undefined;
  source?: string | undefined;
  /** Inclusive ISO bounds on `created_at`. */
  from?: string | undefined;
  to?: string | undefined;
  city?: string | undefined;
  niche?: string | undefined;
  /** True: HOT leads only; false: every lead that is not HOT (unscored included). */
  hot?: boolean | undefined;
  limit: number;
  offset: number;
}

/** The columns a lead's edit may change; contact and score stay as the writers set them. */
export interface LeadFieldsPatch extends LeadPlace {
  name?: string | null | undefined;
  company?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  status?: string | undefined;
  wonAt?: string | null | undefined;
  contactId?: string | null | undefined;
}

/** Spec B's lead directory: list, edit and delete on the leads every channel writes. */
export interface LeadDirectoryRepo {
  /** A page of the filtered leads, newest first, and how many the filter matches in all. */
  list(tenantId: string, filter: LeadFilter): Promise<{ leads: Lead[]; total: number }>;
  /** False when an edited e-mail already belongs to another lead of the tenant (the unique index refused it). */
  update(tenantId: string, id: string, patch: LeadFieldsPatch, at: string): Promise<boolean>;
  /** Deletes the lead; its score history and CRM syncs go with it (foreign keys cascade). */
  remove(tenantId: string, id: string): Promise<boolean>;
  /** The same repository inside a caller's transaction. */
  within(tx: Tx): LeadDirectoryRepo;
}

const HOT = 'HOT';

export function createLeadDirectoryRepo(db: Db): LeadDirectoryRepo {
  return {
    async list(tenantId, f) {
      let q = db.selectFrom('leads').where('tenant_id', '=', tenantId);
      if (f.mode !== undefined) q = q.where('livemode', '=', f.mode === 'live' ? 1 : 0);
      if (f.status !== undefined) q = q.where('status', '=', f.status);
      if (f.tier !== undefined) q = q.where('tier', '=', f.tier);
      if (f.source !== undefined) q = q.where('source', '=', f.source);
      if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
      if (f.to !== undefined) q = q.where('created_at', '<=', f.to);
      if (f.city !== undefined) q = q.where('city', '=', f.city);
      if (f.niche !== undefined) q = q.where('niche', '=', f.niche);
      if (f.hot === true) q = q.where('tier', '=', HOT);
      if (f.hot === false) q = q.where((eb) => eb.or([eb('tier', 'is', null), eb('tier', '!=', HOT)]));
      const { rows, total } = await pageWithTotal(q, (p) =>
        p.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
      );
      return { leads: rows.map(toLead), total };
    },

    async update(tenantId, id, patch, at) {
      const set = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.company !== undefined ? { company: patch.company } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.city !== undefined ? { city: patch.city } : {}),
        ...(patch.niche !== undefined ? { niche: patch.niche } : {}),
        ...(patch.category !== undefined ? { category: patch.category } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.wonAt !== undefined ? { won_at: patch.wonAt } : {}),
        ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
        updated_at: at,
      };
      if (patch.email) {
        const taken = await db
          .selectFrom('leads as l')
          .innerJoin('leads as me', (j) =>
            j.onRef('me.tenant_id', '=', 'l.tenant_id').onRef('me.livemode', '=', 'l.livemode'),
          )
          .select('l.id')
          .where('l.tenant_id', '=', tenantId)
          .where('me.id', '=', id)
          .where('l.email', '=', patch.email)
          .where('l.id', '!=', id)
          .executeTakeFirst();
        if (taken) return false;
      }
      await db.updateTable('leads').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
      return true;
    },

    async remove(tenantId, id) {
      const result = await db
        .deleteFrom('leads')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    within: (tx) => createLeadDirectoryRepo(tx),
  };
}
