import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PocketsphinxProvider } from '../../../src/providers/stt/pocketsphinx.js';
import { readWavFormat } from '../../../src/providers/stt/wav.js';
import { startOpenAiAudioFake, type OpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import { startOpenAiSpeechFake, type OpenAiSpeechFake } from '../../fakes/openai-speech.fake.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { hasAudioTools, makeSpeechWav } from '../../helpers/audio.js';

const run = promisify(execFile);
type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

/** Real speech at a telephone's 8 kHz: espeak-ng speaks it, sox resamples it. */
async function telephoneWav(text: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fd-voice-test-'));
  try {
    const wide = join(dir, 'wide.wav');
    const narrow = join(dir, 'narrow.wav');
    await run('espeak-ng', ['-w', wide, text]);
    await run('sox', ['-R', wide, '-r', '8000', '-c', '1', '-b', '16', narrow]);
    return await readFile(narrow);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A spoken reply: a WAV file of at least a quarter second of sound. */
function expectSpokenWav(base64: unknown): Buffer {
  expect(typeof base64).toBe('string');
  const wav = Buffer.from(base64 as string, 'base64');
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
  expect(readWavFormat(wav)?.durationSeconds).toBeGreaterThan(0.25);
  return wav;
}

const tools = await hasAudioTools();

// Speech is the same on either database, so these run on SQLite only; the stored sessions are proven on both in voice-sessions.test.ts.
describe.skipIf(!tools.available)(`spec C voice sessions with audio ${tools.reason}`, () => {
  let t: TestApp;
  let stt: OpenAiAudioFake;
  let tts: OpenAiSpeechFake;

  beforeAll(async () => {
    [t, stt, tts] = await Promise.all([
      startTestApp(),
      startOpenAiAudioFake({ apiKey: 'sk-stt' }),
      startOpenAiSpeechFake({ apiKey: 'sk-tts' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), stt?.close(), tts?.close()]);
  });

  const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const post = (tenant: Tenant, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: key(tenant), payload });
  const start = async (tenant: Tenant) =>
    (await post(tenant, '/v1/voice/session/start', { caller_phone: '+14155550123' })).json<{ session_id: string }>()
      .session_id;
  const heard = (tenantId: string, sessionId: string) =>
    t.deps.database.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.text', 'm.content_type'])
      .where('m.tenant_id', '=', tenantId)
      .where('c.session_id', '=', sessionId)
      .where('m.direction', '=', 'inbound')
      .execute();

  /** Who heard the session's first recorded message, as stored with it. */
  const transcriptOf = async (tenantId: string, sessionId: string) => {
    const [row] = await t.deps.database.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select('m.metadata')
      .where('m.tenant_id', '=', tenantId)
      .where('c.session_id', '=', sessionId)
      .where('m.direction', '=', 'inbound')
      .execute();
    return (JSON.parse(row!.metadata) as { context: { transcript: unknown } }).context.transcript;
  };

  it('transcribes an 8 kHz WAV locally, runs the turn on the transcript and speaks the reply as a WAV', async () => {
    const tenant = await t.createTenant();
    const id = await start(tenant);
    const audio = await telephoneWav('my name is John Smith');
    expect(readWavFormat(audio)?.sampleRate).toBe(8000);
    const res = await post(tenant, `/v1/voice/session/${id}/input`, { audio: audio.toString('base64') });
    expect(res.statusCode, res.body).toBe(200);
    const local = await new PocketsphinxProvider().transcribe({ audio, mimeType: 'audio/wav' });
    expect(local.text).not.toBe('');
    expect(await heard(tenant.id, id)).toEqual([{ text: local.text, content_type: 'audio' }]);
    expect(await transcriptOf(tenant.id, id)).toMatchObject({ provider: 'pocketsphinx', text: local.text });
    expect(res.json().reply_text).not.toBe('');
    expectSpokenWav(res.json().audio);
    expect(res.json().audio_unavailable_reason).toBeNull();
  });

  it('hears real words in a recording at espeak-ng’s own 22 050 Hz on /telephony/audio', async () => {
    const tenant = await t.createTenant();
    const id = await start(tenant);
    const audio = await makeSpeechWav('I need a new roof on my house and my budget is fifteen thousand dollars', {
      voice: 'en-us+klatt2',
      raw: true,
    });
    const res = await post(tenant, '/telephony/audio', { session_id: id, audio: audio.toString('base64') });
    expect(res.statusCode, res.body).toBe(200);
    const [message] = await heard(tenant.id, id);
    const words = message!.text.split(' ');
    expect(['house', 'budget', 'fifteen', 'thousand', 'dollars'].some((w) => words.includes(w))).toBe(true);
  });

  it('uses the tenant’s speech-to-text and text-to-speech vendors when configured', async () => {
    const tenant = await t.createTenant({
      configuration: {
        speech_to_text: { providers: [{ kind: 'openai', base_url: stt.baseUrl, api_key: 'sk-stt' }] },
        text_to_speech: { provider: 'openai', base_url: tts.baseUrl, api_key: 'sk-tts', voice: 'nova' },
      },
    });
    stt.reply({ kind: 'transcript', text: 'my name is John Smith', language: 'en', duration: 2 });
    tts.reply({ kind: 'audio', seconds: 1.5 });
    const id = await start(tenant);
    const audio = await telephoneWav('my name is John Smith');
    const res = await post(tenant, `/v1/voice/session/${id}/input`, { audio: audio.toString('base64') });
    expect(res.statusCode, res.body).toBe(200);
    expect(stt.requests.at(-1)!.file!.bytes.equals(audio)).toBe(true);
    expect(await heard(tenant.id, id)).toEqual([{ text: 'my name is John Smith', content_type: 'audio' }]);
    expect(res.json().session_state.collected.name).toBe('John Smith');
    expect(await transcriptOf(tenant.id, id)).toMatchObject({ provider: 'openai', model: 'whisper-1' });
    const spoken = tts.requests.at(-1)!;
    expect(spoken.headers.authorization).toBe('Bearer sk-tts');
    expect(spoken.body).toMatchObject({ input: res.json().reply_text, voice: 'nova', response_format: 'wav' });
    expect(readWavFormat(expectSpokenWav(res.json().audio))?.sampleRate).toBe(24_000);
  });

  it('falls back to the local voice when the tenant’s speech vendor fails, and answers in text when turned off', async () => {
    const failing = await t.createTenant({
      configuration: { text_to_speech: { provider: 'openai', base_url: tts.baseUrl, api_key: 'sk-tts' } },
    });
    tts.reply({ kind: 'error', status: 500, message: 'The server had an error' });
    const call = await post(failing, '/telephony/inbound', { caller_phone: '555-0100' });
    expect(call.statusCode, call.body).toBe(200);
    expect(readWavFormat(expectSpokenWav(call.json().audio))?.sampleRate).not.toBe(24_000);

    const silent = await t.createTenant({ configuration: { text_to_speech: { provider: 'none' } } });
    const quiet = await post(silent, '/telephony/inbound', { caller_phone: '555-0100' });
    expect(quiet.json()).toMatchObject({
      audio: null,
      audio_unavailable_reason: 'spoken replies are turned off for this tenant',
    });
  });
});
