import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatConversationReport,
  loadConversations,
  runConversation,
  type ConversationScript,
} from '../../../scripts/eval/conversations.js';
import { createLocalEngine } from '../../../src/engine/local.js';

const scripts: ConversationScript[] = await loadConversations();

describe('scripted conversations', () => {
  beforeAll(async () => {
    // Train the classifier once, before the per-test timeouts start.
    await createLocalEngine();
  });

  it('has at least 24 conversations across the verticals and outcomes the brief names', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(24);
    expect(new Set(scripts.map((s) => s.vertical))).toEqual(
      new Set(['home_services', 'real_estate', 'solar', 'b2b_software', 'support', 'hospitality']),
    );
    const reasons = new Set(scripts.flatMap((s) => s.expect.actions.flatMap((a) => (a.reason ? [a.reason] : []))));
    expect(reasons).toEqual(new Set(['requested', 'low_confidence', 'negative_sentiment', 'escalation_trigger']));
  });

  it.each(scripts.map((s) => [s.id, s] as const))('%s', async (_id, script) => {
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
      expect.stringContaining('stage handed_off, expected completed'),
      expect.stringContaining('lacks "zebra"'),
    ]);
    const report = formatConversationReport({ total: 1, passed: 0, runs: [run] });
    expect(report).toContain('Scripted conversations: 0/1 carried to the right outcome');
    expect(report).toContain('home-handoff-requested');
  });
});
