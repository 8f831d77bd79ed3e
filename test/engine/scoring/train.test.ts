import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildModelFile, serialiseModel, trainingExamples } from '../../../scripts/train.js';

describe('npm run train', () => {
  it('trains on the tuning part of the corpus and never on the held-out part', async () => {
    const split = JSON.parse(await readFile('eval/corpus/split.json', 'utf8')) as { tune: string[]; holdout: string[] };
    const examples = await trainingExamples();
    expect(examples.filter((e) => e.source === 'corpus tune')).toHaveLength(split.tune.length);
    expect(
      examples.every(
        (e) => ['corpus tune', 'eval/leads.jsonl'].includes(e.source) || e.source.startsWith('eval/train/'),
      ),
    ).toBe(true);
  });

  it('reproduces the committed model file exactly', async () => {
    const committed = await readFile('src/engine/scoring/model.json', 'utf8');
    expect(await serialiseModel(await buildModelFile())).toBe(committed);
  }, 120_000);
});
