import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Each table has one writing concept: every insert, update and delete of a table sits in one
 * folder of src/domain, and other concepts change its rows through that folder's door. The scan
 * reads the source text (Kysely's write builders and raw SQL in `sql` templates), so a second
 * writer shows up here however it is imported.
 */

interface SourceFile {
  /** Relative to src/domain, with forward slashes. */
  path: string;
  text: string;
}

interface Write {
  /** Undefined when the table is named by an expression the scan cannot read. */
  table: string | undefined;
  at: string;
}

const DOMAIN = path.join(process.cwd(), 'src', 'domain');

// Bounded, non-overlapping patterns: the scan must not backtrack over a long file.
const BUILDER_WRITE = /\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*([^)]{0,200})\)/g;
const SQL_TEMPLATE = /\bsql(?:<[^>`]{0,200}>)?`((?:[^`\\]|\\.)*)`/g;
const SQL_RAW = /\bsql\.raw\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
const TABLE_REF = String.raw`(?:\$\{sql\.table\(\s*['"](\w+)['"]\s*\)\}|\$\{[^}]{0,200}\}|["']?(\w+))`;
const RAW_WRITES = [
  new RegExp(String.raw`\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|delete\s+from)\s+${TABLE_REF}`, 'gi'),
  new RegExp(String.raw`\bupdate\s+${TABLE_REF}["']?\s+set\b`, 'gi'),
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** `'leads'` and `'leads as l'` name the leads table; anything else (a variable, a list) is unreadable. */
function builderTable(argument: string): string | undefined {
  const literal = /^['"](\w+)(?:\s+as\s+\w+)?['"]$/.exec(argument.trim());
  return literal?.[1];
}

/** The raw writes in `sqlText`, the text of a match `whole` at `index` that ends one character after it. */
function rawWrites(file: SourceFile, sqlText: string, whole: string, index: number): Write[] {
  const offset = index + whole.length - 1 - sqlText.length;
  const writes: Write[] = [];
  for (const pattern of RAW_WRITES) {
    for (const m of sqlText.matchAll(pattern)) {
      writes.push({ table: m[1] ?? m[2], at: `${file.path}:${lineOf(file.text, offset + m.index)}` });
    }
  }
  return writes;
}

function writesIn(file: SourceFile): Write[] {
  const writes: Write[] = [];
  for (const m of file.text.matchAll(BUILDER_WRITE)) {
    writes.push({ table: builderTable(m[1]!), at: `${file.path}:${lineOf(file.text, m.index)}` });
  }
  for (const m of file.text.matchAll(SQL_TEMPLATE)) writes.push(...rawWrites(file, m[1]!, m[0], m.index));
  for (const m of file.text.matchAll(SQL_RAW)) writes.push(...rawWrites(file, m[1] ?? m[2] ?? m[3]!, m[0], m.index));
  return writes;
}

/** The concept folder a file belongs to; a file at the root of src/domain is its own. */
function conceptOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
}

/** Table → concept folder → where it writes the table. */
function writersByTable(files: SourceFile[]): Map<string, Map<string, string[]>> {
  const writers = new Map<string, Map<string, string[]>>();
  for (const file of files) {
    for (const { table, at } of writesIn(file)) {
      if (!table) continue;
      const byConcept = writers.get(table) ?? new Map<string, string[]>();
      byConcept.set(conceptOf(file.path), [...(byConcept.get(conceptOf(file.path)) ?? []), at]);
      writers.set(table, byConcept);
    }
  }
  return writers;
}

/** Every table written from more than one concept folder, and every write whose table the scan cannot name. */
function tableWriterProblems(files: SourceFile[]): string[] {
  const problems = files.flatMap((file) =>
    writesIn(file)
      .filter((w) => w.table === undefined)
      .map((w) => `${w.at} writes a table named by an expression; name it literally so its writer is known`),
  );
  for (const [table, byConcept] of writersByTable(files)) {
    if (byConcept.size < 2) continue;
    const where = [...byConcept].map(([concept, at]) => `${concept} (${at.join(', ')})`).join('; ');
    problems.push(`table '${table}' is written from ${byConcept.size} concepts: ${where}`);
  }
  return problems;
}

function domainSources(dir = DOMAIN): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return domainSources(full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ path: path.relative(DOMAIN, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}

describe('table writers', () => {
  it('finds each table of src/domain written from exactly one concept folder', () => {
    const sources = domainSources();
    expect(tableWriterProblems(sources)).toEqual([]);
    // The scan sees the writes it is meant to police, so an empty list above is not a blind one.
    const writers = writersByTable(sources);
    expect(writers.size).toBeGreaterThan(20);
    for (const [table, concept] of [
      ['conversations', 'conversations'],
      ['messages', 'conversations'],
      ['chat_sessions', 'sessions'],
      ['appointment_requests', 'appointments'],
      ['leads', 'leads'],
      ['contact_identities', 'identity'],
      ['channel_deliveries', 'messaging'],
    ] as const) {
      expect([...(writers.get(table)?.keys() ?? [])], table).toEqual([concept]);
    }
  });

  const owner: SourceFile = {
    path: 'leads/leads.repo.ts',
    text: "await db\n  .updateTable('leads')\n  .set({ status })\n  .execute();\n",
  };

  it.each([
    ['a Kysely builder', "await db.updateTable('leads').set({ contact_id: to }).execute();"],
    ['an aliased builder', "await db.deleteFrom('leads as l').where('l.id', '=', id).execute();"],
    ['a raw UPDATE', 'await sql`UPDATE leads SET contact_id = ${to} WHERE tenant_id = ${tenantId}`.execute(db);'],
    ['a raw INSERT', 'await sql<void>`insert into "leads" (id) values (${id})`.execute(db);'],
    ['a raw DELETE on sql.table', "await sql`DELETE FROM ${sql.table('leads')} WHERE id = ${id}`.execute(db);"],
    ['sql.raw', "await sql.raw('INSERT OR REPLACE INTO leads (id) VALUES (1)').execute(db);"],
  ])('reports a second concept writing a table with %s', (_label, code) => {
    const planted: SourceFile = { path: 'identity/planted.repo.ts', text: `const x = 1;\n${code}\n` };
    expect(tableWriterProblems([owner, planted])).toEqual([
      "table 'leads' is written from 2 concepts: leads (leads/leads.repo.ts:2); identity (identity/planted.repo.ts:2)",
    ]);
  });

  it('reports a write whose table is an expression', () => {
    const planted: SourceFile = { path: 'identity/planted.repo.ts', text: 'await db.updateTable(table).execute();\n' };
    expect(tableWriterProblems([planted])).toEqual([
      'identity/planted.repo.ts:1 writes a table named by an expression; name it literally so its writer is known',
    ]);
  });

  it('accepts several files of one concept, reads from others and an upsert’s DO UPDATE SET', () => {
    const sameConcept: SourceFile = { path: 'leads/batches.repo.ts', text: "await db.insertInto('leads').values(v);" };
    const reader: SourceFile = {
      path: 'analytics/read.repo.ts',
      text: "await db.selectFrom('leads').selectAll().execute();\nsql`SELECT * FROM leads WHERE updated_at > ${at}`;",
    };
    const upsert: SourceFile = {
      path: 'usage/usage.repo.ts',
      text: "await db.insertInto('usage_counters').onConflict((oc) => oc.doUpdateSet({ v: sql`v + 1` }));\nsql`ON CONFLICT DO UPDATE SET value = 1`;",
    };
    expect(tableWriterProblems([owner, sameConcept, reader, upsert])).toEqual([]);
  });
});
