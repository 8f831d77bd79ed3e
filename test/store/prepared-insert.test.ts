import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedInsert } from '../../src/store/prepared-insert.js';
import { dialects, openTestDatabase, type TestDatabase } from '../helpers/db.js';

type Row = { key: string; value: string | null };

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`preparedInsert on ${label}`, () => {
    let test: TestDatabase | undefined;
    afterEach(async () => {
      await test?.drop();
      test = undefined;
    });

    const insert = preparedInsert<Row, { key: string }>(['key', 'value'], (db, rows) =>
      db
        .insertInto('platform_state')
        .values(rows.map((r) => ({ key: r.key, value: r.value ?? '' })))
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key'),
    );

    it('stores each batch with its own values, sizes mixed, inside transactions too, and answers what the statement returns', async () => {
      test = await openTestDatabase(dialect);
      const db = test.database.db;
      expect(
        await insert(db, [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ]),
      ).toEqual([{ key: 'a' }, { key: 'b' }]);
      // Same size, other values: the text compiled for two rows is reused.
      expect(
        await insert(db, [
          { key: 'c', value: '3' },
          { key: 'a', value: 'taken' },
        ]),
      ).toEqual([{ key: 'c' }]);
      await db.transaction().execute((trx) => insert(trx, [{ key: 'd', value: '4' }]));
      const stored = await db.selectFrom('platform_state').select(['key', 'value']).orderBy('key').execute();
      expect(stored).toEqual([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'c', value: '3' },
        { key: 'd', value: '4' },
      ]);
    });

    it('refuses a statement whose values are not all parameters in column order', async () => {
      test = await openTestDatabase(dialect);
      const literal = preparedInsert<Row, { key: string }>(['key', 'value'], (db, rows) =>
        db
          .insertInto('platform_state')
          .values(rows.map((r) => ({ key: r.key, value: sql<string>`'fixed'` })))
          .returning('key'),
      );
      await expect(literal(test.database.db, [{ key: 'x', value: 'y' }])).rejects.toThrow(
        /parameters are not the rows' key, value in order/,
      );
      const swapped = preparedInsert<Row, { key: string }>(['value', 'key'], (db, rows) =>
        db
          .insertInto('platform_state')
          .values(rows.map((r) => ({ key: r.key, value: r.value ?? '' })))
          .returning('key'),
      );
      await expect(swapped(test.database.db, [{ key: 'x', value: 'y' }])).rejects.toThrow(/in order/);
    });
  });
}
