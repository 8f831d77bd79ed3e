import fs from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator of `npm run bench -- chat`, run as its own process so building and
 * sending requests stay out of the process being measured. Every request is a web chat turn
 * with a new `message_id`, on one of the bench's conversations in turn.
 */
export interface ChatLoadSpec {
  url: string;
  apiKey: string;
  /** Makes this run's conversation and message ids its own. */
  run: string;
  /** Conversations open at any moment; request n speaks on the one in slot n mod this. */
  slots: number;
  connections: number;
  durationSeconds: number;
  /** Where the figures are written as JSON. */
  outFile: string;
}

export interface ChatLoadOutput {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 200s whose body carried no bot reply (the bot was paused for a person, or said nothing). */
  unanswered: number;
  /** Conversations the run opened. */
  conversations: number;
  /** The first few non-2xx answers, to say why. */
  failures: string[];
}

/**
 * One customer's conversation, turn by turn: a greeting, a job, the details the agent asks
 * for, a question on the side, thanks. Every turn gets an answer from the local engine and none
 * hands the conversation to a person, so each request is a full bot turn.
 */
export const CHAT_SCRIPT = [
  'Hello',
  'I need a plumber to fix a leaking pipe under my kitchen sink',
  'Sam Taylor',
  'sam.taylor@example.com',
  '512 555 0142',
  'What are your opening hours?',
  '12 Oak Street, Austin TX 78701',
  'Thank you',
];

/**
 * Request n of a run: slot n mod `slots`, and that slot's conversation goes through the script
 * one turn per round of the slots, then starts over as a new conversation. So the load is a mix
 * of conversations at every stage, and one conversation's turns are `slots` requests apart.
 */
export function chatTurn(spec: Pick<ChatLoadSpec, 'run' | 'slots'>, n: number): { body: string; turn: number } {
  const slot = n % spec.slots;
  const round = Math.floor(n / spec.slots);
  const turn = round % CHAT_SCRIPT.length;
  const generation = Math.floor(round / CHAT_SCRIPT.length);
  const body = JSON.stringify({
    message_id: `msg_${spec.run}_${n}`,
    conversation_id: `conv_${spec.run}_${generation}_${slot}`,
    user_id: `visitor_${spec.run}_${generation}_${slot}`,
    channel: 'web',
    content: { type: 'text', text: CHAT_SCRIPT[turn], language: 'en' },
  });
  return { body, turn };
}

async function main(spec: ChatLoadSpec): Promise<void> {
  let sequence = 0;
  let unanswered = 0;
  let conversations = 0;
  const failures: string[] = [];
  const url = new URL(spec.url);
  const result = await autocannon({
    url: url.origin,
    connections: spec.connections,
    duration: spec.durationSeconds,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        setupRequest(request) {
          const { body, turn } = chatTurn(spec, sequence);
          sequence += 1;
          if (turn === 0) conversations += 1;
          return { ...request, body, headers: { 'content-type': 'application/json', 'x-api-key': spec.apiKey } };
        },
        onResponse(status, body) {
          if (status !== 200) {
            if (failures.length < 5) failures.push(`${status} ${body.slice(0, 300)}`);
            return;
          }
          let reply: unknown;
          try {
            reply = (JSON.parse(body) as { data?: { response?: { text?: unknown } } }).data?.response?.text;
          } catch {
            reply = undefined;
          }
          if (typeof reply !== 'string' || reply.length === 0) unanswered += 1;
        },
      },
    ],
  });
  const output: ChatLoadOutput = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    unanswered,
    conversations,
    failures,
  };
  fs.writeFileSync(spec.outFile, JSON.stringify(output));
}

const encoded = process.env.BENCH_CHAT_LOAD;
if (encoded) await main(JSON.parse(encoded) as ChatLoadSpec);
