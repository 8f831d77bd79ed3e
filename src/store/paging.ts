import type { SelectQueryBuilder } from 'kysely';

/**
 * One page of a filtered query and how many rows the filter matches in all, read together:
 * `page` sorts and cuts `filtered` (and selects what it needs); the count ignores both.
 */
export async function pageWithTotal<DB, TB extends keyof DB, R>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  page: (q: SelectQueryBuilder<DB, TB, object>) => Promise<R[]>,
): Promise<{ rows: R[]; total: number }> {
  const [rows, count] = await Promise.all([
    page(filtered),
    // Kysely cannot name the selection's columns while the table is generic; the count's is `n`.
    filtered
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .$castTo<{ n: number }>()
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
