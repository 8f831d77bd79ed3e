import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { dialogConfigFrom, engineContextFrom } from '../../src/domain/ai/index.js';
import { tenantConfigSchema } from '../../src/domain/tenants/index.js';
import { createDialogEngine } from '../../src/engine/dialog/dialog-engine.js';
import { COLLECT_FIELDS, type DialogAction, type DialogTurn } from '../../src/engine/dialog/dialog.js';
import { createLocalEngine, type LocalEngine } from '../../src/engine/local.js';

/**
 * Scripted conversations: whole customer conversations, each under its tenant's configuration,
 * run through the real local engine and the dialog engine, and judged on their outcome.
 */

const CONVERSATIONS_DIR = new URL('../../eval/conversations/', import.meta.url);
/** Each customer turn happens this long after the previous one. */
const TURN_GAP_MS = 45_000;

const fieldsSchema = z.partialRecord(z.enum(COLLECT_FIELDS), z.string());

export const conversationScriptSchema = z.strictObject({
  id: z.string(),
  vertical: z.string(),
  description: z.string(),
  /** When the customer writes the first message (ISO instant). */
  now: z.iso.datetime(),
  tenant: z.strictObject({ id: z.string(), name: z.string(), timezone: z.string(), configuration: tenantConfigSchema }),
  turns: z.array(z.union([z.string(), z.strictObject({ text: z.string(), payload: z.string().optional() })])).min(1),
  expect: z.strictObject({
    stage: z.enum([
      'greeting',
      'discovery',
      'information_provided',
      'collecting',
      'confirming',
      'completed',
      'handed_off',
      'closed',
    ]),
    /** Every action the conversation emits, in order; fields listed must match, others may be present. */
    actions: z.array(
      z.strictObject({
        type: z.enum(['create_lead', 'request_appointment', 'handoff']),
        fields: fieldsSchema.optional(),
        reason: z.enum(['requested', 'low_confidence', 'negative_sentiment', 'escalation_trigger']).optional(),
      }),
    ),
    /** Phrases a reply must contain (case-insensitive); `turn` counts customer turns from 1, -1 is the last, 0 the greeting. */
    replies: z.array(z.strictObject({ turn: z.number().int(), contains: z.string() })).default([]),
  }),
});
export type ConversationScript = z.infer<typeof conversationScriptSchema>;

export interface ConversationRun {
  script: ConversationScript;
  greeting: DialogTurn;
  turns: DialogTurn[];
  actions: DialogAction[];
  failures: string[];
}

export async function loadConversations(): Promise<ConversationScript[]> {
  const files = (await readdir(CONVERSATIONS_DIR)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => {
      const parsed = conversationScriptSchema.safeParse(
        JSON.parse(await readFile(new URL(file, CONVERSATIONS_DIR), 'utf8')),
      );
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
      return parsed.data;
    }),
  );
}

function judge(
  script: ConversationScript,
  greeting: DialogTurn,
  turns: DialogTurn[],
  actions: DialogAction[],
): string[] {
  const failures: string[] = [];
  const last = turns.at(-1);
  if (last?.state.conversation_stage !== script.expect.stage)
    failures.push(`stage ${last?.state.conversation_stage ?? 'none'}, expected ${script.expect.stage}`);
  const types = actions.map((a) => a.type).join(',');
  const expectedTypes = script.expect.actions.map((a) => a.type).join(',');
  if (types !== expectedTypes) failures.push(`actions [${types}], expected [${expectedTypes}]`);
  script.expect.actions.forEach((expected, i) => {
    const actual = actions[i];
    if (!actual || actual.type !== expected.type) return;
    const fields = actual.type === 'handoff' ? actual.briefing.customer : actual.fields;
    for (const [field, value] of Object.entries(expected.fields ?? {})) {
      const got = fields[field as keyof typeof fields];
      if (got?.toLowerCase() !== value.toLowerCase())
        failures.push(`${expected.type}.${field} = ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
    }
    if (expected.reason && actual.type === 'handoff' && actual.briefing.reason !== expected.reason)
      failures.push(`handoff reason ${actual.briefing.reason}, expected ${expected.reason}`);
  });
  for (const { turn, contains } of script.expect.replies) {
    const reply = turn === 0 ? greeting.reply : (turn < 0 ? turns.at(turn) : turns[turn - 1])?.reply;
    if (!reply?.toLowerCase().includes(contains.toLowerCase()))
      failures.push(`reply ${turn} ${JSON.stringify(reply)} lacks ${JSON.stringify(contains)}`);
  }
  return failures;
}

/** Plays one script: the greeting, then each customer turn through the engine's analysis and the dialog. */
export async function runConversation(script: ConversationScript, engine: LocalEngine): Promise<ConversationRun> {
  const { tenant } = script;
  const record = { id: tenant.id, name: tenant.name, timezone: tenant.timezone, config: tenant.configuration };
  const cfg = dialogConfigFrom(record);
  const ctx = engineContextFrom(tenant.id, cfg.timezone, tenant.configuration);
  const dialog = createDialogEngine();
  const start = new Date(script.now);
  const greeting = dialog.start(cfg, start);
  let state = greeting.state;
  const turns: DialogTurn[] = [];
  const actions: DialogAction[] = [];
  for (const [i, raw] of script.turns.entries()) {
    const message = typeof raw === 'string' ? { text: raw } : raw;
    const now = new Date(start.getTime() + (i + 1) * TURN_GAP_MS);
    const analysis = await engine.analyze({ kind: 'message', text: message.text }, ctx);
    const turn = await dialog.turn(cfg, {
      text: message.text,
      ...(message.payload ? { payload: message.payload } : {}),
      state,
      analysis,
      now,
    });
    turns.push(turn);
    actions.push(...turn.actions);
    state = turn.state;
  }
  return { script, greeting, turns, actions, failures: judge(script, greeting, turns, actions) };
}

export interface ConversationReport {
  total: number;
  passed: number;
  runs: ConversationRun[];
}

export async function runConversationEval(): Promise<ConversationReport> {
  const scripts = await loadConversations();
  const runs: ConversationRun[] = [];
  for (const script of scripts) {
    // Relative dates ("tomorrow") resolve against the script's own clock.
    const engine = await createLocalEngine({ now: () => new Date(script.now) });
    runs.push(await runConversation(script, engine));
  }
  return { total: runs.length, passed: runs.filter((r) => r.failures.length === 0).length, runs };
}

export function formatConversationReport(report: ConversationReport): string {
  const lines = [`Scripted conversations: ${report.passed}/${report.total} carried to the right outcome`];
  for (const run of report.runs.filter((r) => r.failures.length > 0)) {
    lines.push(`  ✗ ${run.script.id} (${run.script.vertical}): ${run.failures.join('; ')}`);
  }
  return lines.join('\n');
}
