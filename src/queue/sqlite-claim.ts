import { sql, type Kysely } from 'kysely';
import type { Tables } from '../store/tables.js';
import { byPriority, type Claim, type JobRow } from './jobs.repo.js';

/**
 * `jobsRepo.claimReady` for SQLite, in one statement (SQLite serialises writers, so it is exclusive):
 * queued-and-due jobs and jobs whose lease expired are each read in the `jobs_claim` index's order, at
 * most `limit` of each, so a claim costs the same with ten jobs waiting or a hundred thousand. Jobs of
 * `exceptTenants` (tenants with every slot taken) are read past, so only their due backlog adds to it.
 */
export async function claimReadySqlite(
  db: Kysely<Tables>,
  type: string,
  limit: number,
  claim: Claim,
  exceptTenants: readonly string[] = [],
): Promise<JobRow[]> {
  if (limit <= 0) return [];
  const tenantAllowed =
    exceptTenants.length > 0 ? sql`and (tenant_id is null or tenant_id not in (${sql.join(exceptTenants)}))` : sql``;
  const { rows } = await sql<JobRow>`
    update jobs
    set status = 'active', attempts = attempts + 1, lease_until = ${claim.leaseUntil}, worker_id = ${claim.token}, updated_at = ${claim.now}
    where id in (
      select id from (
        select id, priority, run_at from (
          select id, priority, run_at from jobs
          where type = ${type} and status = 'queued' and run_at <= ${claim.now} ${tenantAllowed}
          order by priority desc, run_at asc, id asc limit ${limit}
        )
        union all
        select id, priority, run_at from (
          select id, priority, run_at from jobs
          where type = ${type} and status = 'active' and lease_until < ${claim.now} ${tenantAllowed}
          order by priority desc, run_at asc, id asc limit ${limit}
        )
      )
      order by priority desc, run_at asc, id asc limit ${limit}
    )
    returning *`.execute(db);
  return [...rows].sort(byPriority);
}
