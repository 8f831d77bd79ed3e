import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { dialogConfigFrom, engineContextFrom } from '../../src/domain/ai/index.js';
import { tenantConfigSchema } from '../../src/domain/tenants/index.js';
import { createDialogEngine } from '../../src/engine/dialog/dialog-engine.js';
import { COLLECT_FIELDS, type DialogAction, type DialogTurn } from '../../src/engine/dialog/dialog.js';
import { createLocalEngine, type LocalEngine } from '../../src/engine/local.js';
import {
  CHECK_JUDGES,
  CHECK_NEEDS,
  CHECKS,
  checkExpectationsSchema,
  type Check,
  type PlayedConversation,
} from './conversation-checks.js';

/**
 * Scripted conversations: whole customer conversations, each under its tenant's configuration,
 * run through the real local engine and the dialog engine, and judged on the checks each
 * declares (scripts/eval/conversation-checks.ts). `split.json` puts each script in the tuning or
 * the held-out part once; the report shows only aggregate rates for the held-out part.
 */

const CONVERSATIONS_DIR = new URL('../../eval/conversations/', import.meta.url);
const SPLIT_FILE = 'split.json';
/** Each customer turn happens this long after the previous one. */
const TURN_GAP_MS = 45_000;

const fieldsSchema = z.partialRecord(z.enum(COLLECT_FIELDS), z.string());

export const conversationScriptSchema = z
  .strictObject({
    id: z.string(),
    vertical: z.string(),
    description: z.string(),
    /** The checks this conversation is judged on; the original scripts are judged on their exact outcome. */
    checks: z.array(z.enum(CHECKS)).min(1).default(['outcome']),
    /** When the customer writes the first message (ISO instant). */
    now: z.iso.datetime(),
    tenant: z.strictObject({
      id: z.string(),
      name: z.string(),
      timezone: z.string(),
      configuration: tenantConfigSchema,
    }),
    turns: z.array(z.union([z.string(), z.strictObject({ text: z.string(), payload: z.string().optional() })])).min(1),
    expect: z.strictObject({
      stage: z
        .enum([
          'greeting',
          'discovery',
          'information_provided',
          'collecting',
          'confirming',
          'completed',
          'handed_off',
          'closed',
        ])
        .optional(),
      /** Every action the conversation emits, in order; fields listed must match, others may be present. */
      actions: z
        .array(
          z.strictObject({
            type: z.enum(['create_lead', 'request_appointment', 'handoff']),
            fields: fieldsSchema.optional(),
            reason: z.enum(['requested', 'low_confidence', 'negative_sentiment', 'escalation_trigger']).optional(),
          }),
        )
        .default([]),
      /** Phrases a reply must contain (case-insensitive); `turn` counts customer turns from 1, -1 is the last, 0 the greeting. */
      replies: z.array(z.strictObject({ turn: z.number().int(), contains: z.string() })).default([]),
      ...checkExpectationsSchema,
    }),
  })
  .superRefine((script, ctx) => {
    for (const check of script.checks) {
      const need = CHECK_NEEDS[check];
      if (need && script.expect[need] === undefined)
        ctx.addIssue({ code: 'custom', message: `check ${check} needs expect.${need}` });
    }
  });
export type ConversationScript = z.infer<typeof conversationScriptSchema>;

export type Part = 'tune' | 'holdout';

export interface ConversationRun {
  script: ConversationScript;
  greeting: DialogTurn;
  turns: DialogTurn[];
  actions: DialogAction[];
  /** Failures per declared check; a check with none passed. */
  checks: Partial<Record<Check, string[]>>;
  failures: string[];
}

export async function loadConversations(): Promise<ConversationScript[]> {
  const files = (await readdir(CONVERSATIONS_DIR)).filter((f) => f.endsWith('.json') && f !== SPLIT_FILE).sort();
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

const splitSchema = z.strictObject({
  description: z.string(),
  tune: z.array(z.string()),
  holdout: z.array(z.string()),
  /** Tuning conversations the engine does not carry yet, each with why: the tests expect them to fail until fixed. */
  open: z.record(z.string(), z.string()).default({}),
});

async function readSplit(): Promise<z.infer<typeof splitSchema>> {
  return splitSchema.parse(JSON.parse(await readFile(new URL(SPLIT_FILE, CONVERSATIONS_DIR), 'utf8')));
}

/** Tuning conversations known to fail, by id, with the reason; each must be in the tuning part. */
export async function loadOpen(): Promise<Map<string, string>> {
  const split = await readSplit();
  const open = new Map(Object.entries(split.open));
  const stray = [...open.keys()].filter((id) => !split.tune.includes(id));
  if (stray.length > 0) throw new Error(`${SPLIT_FILE}: open but not tuned on: ${stray.join(', ')}`);
  return open;
}

/** Which part each script id belongs to; every script must be in exactly one. */
export async function loadSplit(scripts: ConversationScript[]): Promise<Map<string, Part>> {
  const split = await readSplit();
  const parts = new Map<string, Part>();
  for (const part of ['tune', 'holdout'] as const) {
    for (const id of split[part]) {
      if (parts.has(id)) throw new Error(`${SPLIT_FILE}: ${id} is in both parts`);
      parts.set(id, part);
    }
  }
  const missing = scripts.filter((s) => !parts.has(s.id)).map((s) => s.id);
  if (missing.length > 0) throw new Error(`${SPLIT_FILE}: not split: ${missing.join(', ')}`);
  return parts;
}

/** The original scripts' judgement: the final stage, the exact action sequence and reply phrases. */
function judgeOutcome(
  script: ConversationScript,
  greeting: DialogTurn,
  turns: DialogTurn[],
  actions: DialogAction[],
): string[] {
  const failures: string[] = [];
  const last = turns.at(-1);
  if (last?.state.conversation_stage !== script.expect.stage)
    failures.push(`stage ${last?.state.conversation_stage ?? 'none'}, expected ${script.expect.stage ?? 'none'}`);
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

function judge(script: ConversationScript, played: PlayedConversation): Partial<Record<Check, string[]>> {
  const checks: Partial<Record<Check, string[]>> = {};
  for (const check of script.checks) {
    checks[check] =
      check === 'outcome'
        ? judgeOutcome(script, played.greeting, played.turns, played.actions)
        : CHECK_JUDGES[check](played, script.expect);
  }
  return checks;
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
  const played: PlayedConversation = {
    timezone: cfg.timezone,
    fallbackResponse: cfg.fallbackResponse,
    texts: [],
    greeting,
    turns: [],
    actions: [],
  };
  try {
    for (const [i, raw] of script.turns.entries()) {
      const message = typeof raw === 'string' ? { text: raw } : raw;
      played.texts.push(message.text);
      const now = new Date(start.getTime() + (i + 1) * TURN_GAP_MS);
      const analysis = await engine.analyze({ kind: 'message', text: message.text }, ctx);
      const turn = await dialog.turn(cfg, {
        text: message.text,
        ...(message.payload ? { payload: message.payload } : {}),
        state,
        analysis,
        now,
      });
      played.turns.push(turn);
      played.actions.push(...turn.actions);
      state = turn.state;
    }
  } catch (err) {
    played.error = err instanceof Error ? err.message : String(err);
  }
  const checks = judge(script, played);
  const failures = Object.entries(checks).flatMap(([check, list]) => list.map((f) => `${check}: ${f}`));
  return { script, greeting, turns: played.turns, actions: played.actions, checks, failures };
}

export interface ConversationReport {
  total: number;
  passed: number;
  runs: ConversationRun[];
  /** Each run's part; runs without one count as tuning. */
  parts?: Map<string, Part>;
}

/** `tuneOnly` plays the tuning part alone; the held-out scripts are not run. */
export async function runConversationEval({
  tuneOnly = false,
}: { tuneOnly?: boolean } = {}): Promise<ConversationReport> {
  const all = await loadConversations();
  const parts = await loadSplit(all);
  const scripts = tuneOnly ? all.filter((s) => parts.get(s.id) === 'tune') : all;
  const runs: ConversationRun[] = [];
  for (const script of scripts) {
    // Relative dates ("tomorrow") resolve against the script's own clock.
    const engine = await createLocalEngine({ now: () => new Date(script.now) });
    runs.push(await runConversation(script, engine));
  }
  return { total: runs.length, passed: runs.filter((r) => r.failures.length === 0).length, runs, parts };
}

function percent(passed: number, total: number): string {
  return `${passed}/${total} (${total === 0 ? '-' : Math.round((100 * passed) / total)}%)`;
}

/** Per-check pass rates and the all-checks-together rate of one part. */
function partSummary(name: string, runs: ConversationRun[]): string[] {
  const passedAll = runs.filter((r) => r.failures.length === 0).length;
  const lines = [`${name}: ${percent(passedAll, runs.length)} conversations pass all their checks`];
  for (const check of CHECKS) {
    const judged = runs.filter((r) => r.checks[check] !== undefined);
    if (judged.length === 0) continue;
    const passed = judged.filter((r) => r.checks[check]!.length === 0).length;
    lines.push(`  ${check.padEnd(13)} ${percent(passed, judged.length)}`);
  }
  return lines;
}

/** Both parts' rates; failing conversations are listed for the tuning part only. */
export function formatConversationReport(report: ConversationReport): string {
  const partOf = (run: ConversationRun): Part => report.parts?.get(run.script.id) ?? 'tune';
  const tune = report.runs.filter((r) => partOf(r) === 'tune');
  const holdout = report.runs.filter((r) => partOf(r) === 'holdout');
  const lines = [`Scripted conversations: ${report.passed}/${report.total} carried to the right outcome`];
  lines.push(...partSummary('tune', tune));
  if (holdout.length > 0) lines.push(...partSummary('holdout', holdout));
  for (const run of tune.filter((r) => r.failures.length > 0)) {
    lines.push(`  ✗ ${run.script.id} (${run.script.vertical}): ${run.failures.join('; ')}`);
  }
  return lines.join('\n');
}
