import { CompiledQuery, type Compilable, type DialectAdapter } from 'kysely';
import type { Db } from './db.js';

/**
 * A many-row insert whose SQL Kysely builds once per row count and dialect, then reuses with each
 * batch's values: building and compiling a 25-row insert costs Kysely about as much as SQLite takes
 * to run it. `build` is handed the rows with their keys in `columns` order; the first compile of
 * each size checks that every value became a parameter in that order.
 */
export function preparedInsert<Row extends Record<string, unknown>, Result>(
  columns: readonly (keyof Row & string)[],
  build: (db: Db, rows: readonly Row[]) => Compilable<Result>,
) {
  const texts = new WeakMap<DialectAdapter, Map<number, string>>();
  const parametersOf = (rows: readonly Row[]): unknown[] => {
    const parameters = new Array<unknown>(rows.length * columns.length);
    let i = 0;
    for (const row of rows) for (const column of columns) parameters[i++] = row[column];
    return parameters;
  };

  return async (db: Db, rows: readonly Row[]): Promise<Result[]> => {
    // A transaction shares its database's adapter, so the texts are found inside one too.
    const adapter = db.getExecutor().adapter;
    let bySize = texts.get(adapter);
    if (!bySize) texts.set(adapter, (bySize = new Map<number, string>()));
    const parameters = parametersOf(rows);
    let text = bySize.get(rows.length);
    if (text === undefined) {
      // Kysely orders the columns as the first row's keys; rows built with their keys in `columns` order fit the parameters.
      const ordered = rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column]])) as Row);
      const compiled = build(db, ordered).compile();
      const same =
        compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i]);
      if (!same)
        throw new Error(`preparedInsert: the statement's parameters are not the rows' ${columns.join(', ')} in order`);
      text = compiled.sql;
      bySize.set(rows.length, text);
    }
    return (await db.executeQuery<Result>(CompiledQuery.raw(text, parameters))).rows;
  };
}
