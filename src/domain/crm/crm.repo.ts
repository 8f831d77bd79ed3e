import type { Db } from '../../store/db.js';

/** One attempt to push a lead to a CRM, as recorded. */
export interface CrmSyncAttempt {
  id: string;
  leadId: string;
  requestId: string | null;
  crm: string;
  recordId: string | null;
  status: 'success' | 'failed';
  syncTimeMs: number;
  error: string | null;
  createdAt: string;
}

export interface CrmSyncsRepo {
  insert(tenantId: string, attempt: CrmSyncAttempt): Promise<void>;
}

export function createCrmSyncsRepo(db: Db): CrmSyncsRepo {
  return {
    async insert(tenantId, a) {
      await db
        .insertInto('crm_syncs')
        .values({
          id: a.id,
          tenant_id: tenantId,
          lead_id: a.leadId,
          request_id: a.requestId,
          crm_type: a.crm,
          crm_record_id: a.recordId,
          status: a.status,
          sync_time_ms: a.syncTimeMs,
          error: a.error,
          created_at: a.createdAt,
        })
        .execute();
    },
  };
}
