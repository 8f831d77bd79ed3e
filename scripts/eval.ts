/**
 * `npm run eval`: how the local engine agrees with human labels. Each section is one module in
 * scripts/eval/ that returns a report; the script prints them and fails only if one crashes.
 * `--tune-only` runs and prints the tuning parts alone, so the engine can be changed without
 * ever seeing a held-out figure.
 */
import { formatConversationReport, runConversationEval } from './eval/conversations.js';
import { formatCorpusReport, runCorpusEval } from './eval/corpus.js';
import { formatLeadReport, runLeadEval } from './eval/leads.js';

const tuneOnly = process.argv.includes('--tune-only');

const sections: { name: string; run: () => Promise<string> }[] = [
  { name: 'leads', run: async () => formatLeadReport(await runLeadEval()) },
  { name: 'rubric corpus', run: async () => formatCorpusReport(await runCorpusEval({ tuneOnly })) },
  { name: 'conversations', run: async () => formatConversationReport(await runConversationEval({ tuneOnly })) },
];

for (const section of sections) {
  process.stdout.write(`== ${section.name} ==\n${await section.run()}\n\n`);
}
