import { benchIngest } from './ingest.bench.js';
import { benchChat } from './chat.bench.js';
import { benchQualify } from './qualify.bench.js';
import { benchCampaign } from './campaign.bench.js';

/** `npm run bench -- <name> [seconds]`: each benchmark runs the real server over real HTTP beside a baseline. */
const benches: Record<string, (seconds: number) => Promise<void>> = {
  qualify: benchQualify,
  ingest: benchIngest,
  chat: benchChat,
  campaign: benchCampaign,
};
/** Run lengths other than the default 10 s, as the benchmark's requirement states them. */
const defaultSeconds: Record<string, number> = { ingest: 15, campaign: 5 };

const [name, seconds] = process.argv.slice(2);
const selected = name ? { [name]: benches[name] } : benches;
if (name && !benches[name]) {
  process.stderr.write(`Unknown benchmark '${name}'. Available: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
for (const [key, fn] of Object.entries(selected)) {
  if (!fn) continue;
  process.stdout.write(`Running ${key}…\n`);
  await fn(Number(seconds ?? defaultSeconds[key] ?? 10));
}
process.exit(0);
