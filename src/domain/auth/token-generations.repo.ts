import type { Db } from '../../store/db.js';

export interface TokenGenerationsRepo {
  /** A tenant's token generation; 0 until its first credential rotation. */
  current(tenantId: string): Promise<number>;
  /** Moves the tenant's generation forward by one, atomically (two rotations at once both count). */
  advance(tenantId: string, at: string): Promise<void>;
}

export function createTokenGenerationsRepo(db: Db): TokenGenerationsRepo {
  return {
    async current(tenantId) {
      const row = await db
        .selectFrom('token_generations')
        .select('generation')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row ? Number(row.generation) : 0;
    },

    async advance(tenantId, at) {
      await db
        .insertInto('token_generations')
        .values({ tenant_id: tenantId, generation: 1, updated_at: at })
        .onConflict((oc) =>
          oc
            .column('tenant_id')
            .doUpdateSet((eb) => ({ generation: eb('token_generations.generation', '+', 1), updated_at: at })),
        )
        .execute();
    },
  };
}
