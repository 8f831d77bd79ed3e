import { benchQualify } from './qualify.bench.js';

/** `npm run bench -- <name> [seconds]`: each benchmark runs the real server over real HTTP beside a baseline. */
const benches: Record<string, (seconds: number) => Promise<void>> = {
  qualify: benchQualify,
};

const [name, seconds] = process.argv.slice(2);
const selected = name ? { [name]: benches[name] } : benches;
if (name && !benches[name]) {
  process.stderr.write(`Unknown benchmark '${name}'. Available: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
for (const [key, fn] of Object.entries(selected)) {
  if (!fn) continue;
  process.stdout.write(`Running ${key}…\n`);
  await fn(Number(seconds ?? 10));
}
process.exit(0);
