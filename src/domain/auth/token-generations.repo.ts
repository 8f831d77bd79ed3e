import type { Db } from '../../store/db.js';

/** A tenant's token generation; 0 until its first credential rotation. */
export async function current(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('token_generations')
    .select('generation')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row ? Number(row.generation) : 0;
}

/** Moves the tenant's generation forward by one, atomically (two rotations at once both count). */
export async function advance(db: Db, tenantId: string, at: string): Promise<void> {
  await db
    .insertInto('token_generations')
    .values({ tenant_id: tenantId, generation: 1, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet((eb) => ({ generation: eb('token_generations.generation', '+', 1), updated_at: at })),
    )
    .execute();
}
