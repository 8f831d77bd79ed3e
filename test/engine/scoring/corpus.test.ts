import { describe, expect, it } from 'vitest';
import { formatCorpusReport, loadCorpus, type PartReport } from '../../../scripts/eval/corpus.js';

describe('the labelled lead corpus and its report', () => {
  it('holds at least 600 leads across 15 verticals and four kinds, split once into about 70% tuning and 30% held out', async () => {
    const { leads, split } = await loadCorpus();
    expect(leads.length).toBeGreaterThanOrEqual(600);
    expect(new Set(leads.map((lead) => lead.vertical)).size).toBeGreaterThanOrEqual(15);
    for (const kind of ['form', 'chat', 'email', 'transcript'] as const)
      expect(leads.filter((lead) => lead.kind === kind).length, kind).toBeGreaterThanOrEqual(100);
    const tune = new Set(split.tune);
    expect(split.holdout.filter((id) => tune.has(id))).toEqual([]);
    expect(new Set([...split.tune, ...split.holdout])).toEqual(new Set(leads.map((lead) => lead.id)));
    const heldShare = split.holdout.length / leads.length;
    expect(heldShare).toBeGreaterThan(0.25);
    expect(heldShare).toBeLessThan(0.35);
  });

  it('reports tuning and held-out agreement apart, with swaps, and lists only the tuning misses', async () => {
    const { leads } = await loadCorpus();
    const hot = leads.filter((lead) => lead.expected_tier === 'HOT');
    const [tuneMiss, tuneHit, heldMiss] = [hot[0]!, hot[1]!, hot[2]!];
    const parts: PartReport[] = [
      {
        part: 'tune',
        outcomes: [
          { lead: tuneMiss, tier: 'COLD', score: 20, latencyMs: 1 },
          { lead: tuneHit, tier: 'HOT', score: 90, latencyMs: 1 },
        ],
      },
      { part: 'holdout', outcomes: [{ lead: heldMiss, tier: 'WARM', score: 60, latencyMs: 1 }] },
    ];
    const report = formatCorpusReport(parts);
    expect(report).toMatch(/all\s+2\s+50\.0%\s+1\s+0\.0%/);
    expect(report).toContain('HOT↔COLD swaps: tune 1 of 2, held-out 0 of 1');
    expect(report).toContain('holdout confusion');
    expect(report).toContain(tuneMiss.id);
    expect(report).not.toContain(heldMiss.id);
  });
});
