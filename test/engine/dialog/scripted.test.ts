import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatConversationReport,
  loadConversations,
  loadSplit,
  runConversation,
  type ConversationScript,
} from '../../../scripts/eval/conversations.js';
import { createLocalEngine } from '../../../src/engine/local.js';

const scripts: ConversationScript[] = await loadConversations();
const parts = await loadSplit(scripts);
const outcomeScripts = scripts.filter((s) => s.checks.includes('outcome'));
/** The tuning part must pass; the held-out part is only ever reported in aggregate by `npm run eval`. */
const tuneScripts = scripts.filter((s) => parts.get(s.id) === 'tune');

describe('scripted conversations', () => {
  beforeAll(async () => {
    // Train the classifier once, before the per-test timeouts start.
    await createLocalEngine();
  });

  it('has at least 90 conversations across ten verticals and the outcomes the brief names', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(90);
    expect(new Set(scripts.map((s) => s.vertical)).size).toBeGreaterThanOrEqual(10);
    const reasons = new Set(scripts.flatMap((s) => s.expect.actions.flatMap((a) => (a.reason ? [a.reason] : []))));
    expect(reasons).toEqual(new Set(['requested', 'low_confidence', 'negative_sentiment', 'escalation_trigger']));
  });

  it('holds out about 30% of the checklist conversations and every original one is tuned on', () => {
    const checklist = scripts.filter((s) => !s.checks.includes('outcome'));
    const held = checklist.filter((s) => parts.get(s.id) === 'holdout').length;
    expect(held / checklist.length).toBeGreaterThan(0.25);
    expect(held / checklist.length).toBeLessThan(0.35);
    expect(outcomeScripts.every((s) => parts.get(s.id) === 'tune')).toBe(true);
  });

  it.each(tuneScripts.map((s) => [s.id, s] as const))('%s', async (_id, script) => {
    const engine = await createLocalEngine({ now: () => new Date(script.now) });
    const run = await runConversation(script, engine);
    expect(run.failures).toEqual([]);
  });

  it('reports a conversation that misses its outcome, with what went wrong', async () => {
    const base = scripts.find((s) => s.id === 'home-handoff-requested')!;
    const wrong: ConversationScript = {
      ...base,
      expect: { ...base.expect, stage: 'completed', replies: [{ turn: 1, contains: 'zebra' }] },
    };
    const run = await runConversation(wrong, await createLocalEngine({ now: () => new Date(base.now) }));
    expect(run.failures).toEqual([
      expect.stringContaining('outcome: stage handed_off, expected completed'),
      expect.stringContaining('lacks "zebra"'),
    ]);
    const report = formatConversationReport({ total: 1, passed: 0, runs: [run] });
    expect(report).toContain('Scripted conversations: 0/1 carried to the right outcome');
    expect(report).toContain('home-handoff-requested');
  });
});
