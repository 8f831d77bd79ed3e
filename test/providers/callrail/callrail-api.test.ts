import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CALL_FIELDS,
  CallRailClient,
  CallRailError,
  retryAfterMs,
} from '../../../src/providers/callrail/callrail-api.js';
import type { CallRailApiOptions } from '../../../src/providers/callrail/callrail-api.js';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { startCallRailFake } from '../../fakes/callrail.fake.js';
import type { CallRailFake } from '../../fakes/callrail.fake.js';

const ACCOUNT = 'ACC8154748ae6bd4e278a7cddd38a662f4f';
const CALL = 'CAL8154748ae6bd4e278a7cddd38a662f4f';

/** A call as CallRail API v3 returns it with every field selected. */
function v3Call(baseUrl: string): Record<string, unknown> & { id: string } {
  return {
    answered: true,
    business_phone_number: '+15555551234',
    customer_city: 'Austin',
    customer_country: 'US',
    customer_name: 'John Smith',
    customer_phone_number: '+15551234567',
    customer_state: 'TX',
    direction: 'inbound',
    duration: 180,
    id: CALL,
    recording: `${baseUrl}/v3/a/${ACCOUNT}/calls/${CALL}/recording.json`,
    recording_duration: 175,
    recording_player: `https://app.callrail.com/calls/${CALL}/recording?access_key=aaaabbbbccccdddd`,
    start_time: '2025-09-13T09:30:00.000-05:00',
    tracking_phone_number: '+15559876543',
    voicemail: false,
    agent_email: null,
    company_id: 'COM8154748ae6bd4e278a7cddd38a662f4f',
    source: 'Google Paid',
    campaign: 'Google Ads - Kitchen Remodel',
    medium: 'cpc',
    keywords: 'kitchen remodel, Austin',
    gclid: 'abc123def456',
    landing_page_url: 'https://example.com/kitchens',
    lead_status: 'good_lead',
    transcription: "Caller: Hi, I'm interested in remodeling my kitchen.",
  };
}

describe('CallRailClient', () => {
  let fake: CallRailFake;
  beforeEach(async () => {
    fake = await startCallRailFake();
    fake.addCall(ACCOUNT, v3Call(fake.url));
  });
  afterEach(async () => {
    await fake.close();
  });
  const client = (opts: Partial<CallRailApiOptions> = {}): CallRailClient =>
    new CallRailClient({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      http: createSafeHttp({ allowPrivate: true }),
      timeoutMs: 2_000,
      ...opts,
    });

  it('fetches a call with its attribution fields and the Token auth header, and maps it', async () => {
    const call = await client().getCall(ACCOUNT, CALL);

    const [req] = fake.requests;
    expect(req?.path).toBe(`/v3/a/${ACCOUNT}/calls/${CALL}.json`);
    expect(req?.query.fields?.split(',')).toEqual([...CALL_FIELDS]);
    expect(req?.headers.authorization).toBe(`Token token="${fake.apiKey}"`);
    expect(call).toEqual({
      id: CALL,
      companyId: 'COM8154748ae6bd4e278a7cddd38a662f4f',
      direction: 'inbound',
      answered: true,
      startTime: '2025-09-13T09:30:00.000-05:00',
      durationSeconds: 180,
      customerName: 'John Smith',
      customerPhoneNumber: '+15551234567',
      customerCity: 'Austin',
      customerState: 'TX',
      customerCountry: 'US',
      trackingPhoneNumber: '+15559876543',
      businessPhoneNumber: '+15555551234',
      source: 'Google Paid',
      campaign: 'Google Ads - Kitchen Remodel',
      medium: 'cpc',
      keywords: ['kitchen remodel', 'Austin'],
      gclid: 'abc123def456',
      landingPageUrl: 'https://example.com/kitchens',
      leadStatus: 'good_lead',
      recording: `${fake.url}/v3/a/${ACCOUNT}/calls/${CALL}/recording.json`,
      recordingPlayer: `https://app.callrail.com/calls/${CALL}/recording?access_key=aaaabbbbccccdddd`,
      recordingDurationSeconds: 175,
      transcription: "Caller: Hi, I'm interested in remodeling my kitchen.",
    });
  });

  it("reads CallRail's empty strings as unknown and its legacy numeric ids and string durations as values", async () => {
    fake.addCall(ACCOUNT, {
      ...v3Call(fake.url),
      id: '766970532',
      duration: '13',
      recording_duration: '8',
      gclid: '',
      keywords: '',
      customer_name: '',
      recording: null,
      transcription: '',
    });
    const call = await client().getCall(ACCOUNT, '766970532');

    expect(call).toMatchObject({
      id: '766970532',
      durationSeconds: 13,
      recordingDurationSeconds: 8,
      gclid: null,
      keywords: [],
      customerName: null,
      recording: null,
      transcription: null,
    });
  });

  it('maps a rejected API key to a non-retryable auth error carrying what CallRail said', async () => {
    const err = await client({ apiKey: 'wrong' })
      .getCall(ACCOUNT, CALL)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CallRailError);
    expect(err).toMatchObject({
      kind: 'auth',
      status: 401,
      retryable: false,
      message: expect.stringContaining('HTTP Token: Access denied.'),
    });
  });

  it("maps 403 to auth with CallRail's error message", async () => {
    fake.failNext({ kind: 'status', status: 403 });
    await expect(client().getCall(ACCOUNT, CALL)).rejects.toMatchObject({
      kind: 'auth',
      status: 403,
      message: 'You do not have permission to access this resource',
    });
  });

  it('maps an unknown call to not_found', async () => {
    await expect(client().getCall(ACCOUNT, 'CAL0000')).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
      retryable: false,
      message: 'Not Found',
    });
  });

  it('maps 429 to a retryable rate_limited error with Retry-After when CallRail sends one', async () => {
    fake.failNext({ kind: 'status', status: 429, retryAfter: '30' }, { kind: 'status', status: 429 });

    await expect(client().getCall(ACCOUNT, CALL)).rejects.toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
      retryAfterMs: 30_000,
      message: 'API rate limit exceeded',
    });
    const second = await client()
      .getCall(ACCOUNT, CALL)
      .catch((e: unknown) => e);
    expect(second).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect((second as CallRailError).retryAfterMs).toBeUndefined();
  });

  it('maps 500 and 503 to retryable unavailable errors', async () => {
    fake.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    await expect(client().getCall(ACCOUNT, CALL)).rejects.toMatchObject({
      kind: 'unavailable',
      status: 500,
      retryable: true,
      message: 'Internal Server Error',
    });
    await expect(client().getCall(ACCOUNT, CALL)).rejects.toMatchObject({
      kind: 'unavailable',
      status: 503,
      retryable: true,
    });
  });

  it('gives up on a CallRail that does not answer after the timeout, as retryable', async () => {
    fake.failNext({ kind: 'hang' });
    const started = Date.now();

    await expect(client({ timeoutMs: 200 }).getCall(ACCOUNT, CALL)).rejects.toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a base URL on a private address when private URLs are not allowed, sending nothing', async () => {
    await expect(
      client({ http: createSafeHttp({ allowPrivate: false }) }).getCall(ACCOUNT, CALL),
    ).rejects.toMatchObject({ kind: 'refused', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('resolves the recording field to the signed audio URL that CallRail answers as JSON', async () => {
    fake.setRecording(CALL, Buffer.from('ID3'));
    const call = await client().getCall(ACCOUNT, CALL);
    const audio = await client().recordingUrl(call.recording!);

    expect(audio).toBe(`${fake.url}/audio/${CALL}.mp3?X-Amz-Signature=fake`);
    expect(fake.requests[1]?.headers.authorization).toBe(`Token token="${fake.apiKey}"`);
  });

  it('resolves a recording URL that redirects, taking the Location', async () => {
    expect(
      await client().recordingUrl(`${fake.url}/calls/766970532/recording/redirect?access_key=aaaaccccddddeeee`),
    ).toBe(`${fake.url}/audio/766970532.mp3`);
  });

  it('never sends the API key to a recording URL on another origin', async () => {
    // localhost and 127.0.0.1 are different origins for the same fake.
    const http = createSafeHttp({
      allowPrivate: true,
      lookup: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });
    const foreign = fake.url.replace('127.0.0.1', 'localhost');
    await client({ http }).recordingUrl(`${foreign}/calls/766970532/recording/redirect?access_key=x`);

    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('maps a recording that does not exist to not_found, and a non-URL to bad_request', async () => {
    await expect(
      client().recordingUrl(`${fake.url}/v3/a/${ACCOUNT}/calls/${CALL}/recording.json`),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(client().recordingUrl('not a url')).rejects.toMatchObject({ kind: 'bad_request' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    const now = new Date('2025-09-13T14:30:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sat, 13 Sep 2025 14:30:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
