import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signCallRail,
  signTimestamped,
  verifyCallRailSignature,
  verifyTimestampedSignature,
} from '../../src/channels/callrail.js';
import type { TimestampedSignatureInput } from '../../src/channels/callrail.js';
import {
  CALLRAIL_DOCS_BODY,
  CALLRAIL_DOCS_SIGNATURE,
  CALLRAIL_DOCS_SIGNING_KEY,
} from '../providers/callrail/callrail-docs-vector.js';

const body = '{"call_id":"CAL123","tenant_id":"tenant_001"}';
const now = new Date('2023-09-13T15:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);

describe('spec A webhook signature (x-callrail-signature, x-timestamp)', () => {
  const check = (overrides: Partial<TimestampedSignatureInput> = {}) =>
    verifyTimestampedSignature({
      signature: signTimestamped('whsec_current', nowSeconds, body),
      timestamp: String(nowSeconds),
      rawBody: body,
      secrets: ['whsec_current'],
      now,
      ...overrides,
    });

  it("matches the spec's openssl recipe for its own example values", () => {
    // echo -n "1694617200.{payload}" | openssl dgst -sha256 -hmac "your_webhook_secret", with the spec's cURL example payload.
    const fromOpenssl = 'sha256=c1746e98ad04cec5532fc75494e17239f61ae7398636c11c9e59ff781cb87b91';

    expect(signTimestamped('your_webhook_secret', 1694617200, body)).toBe(fromOpenssl);
    expect(
      verifyTimestampedSignature({
        signature: fromOpenssl,
        timestamp: '1694617200',
        rawBody: Buffer.from(body),
        secrets: ['your_webhook_secret'],
        now: new Date(1694617200_000),
      }),
    ).toEqual({ ok: true, secretIndex: 0 });
  });

  it('accepts a valid signature, in upper-case hex too', () => {
    expect(check()).toEqual({ ok: true, secretIndex: 0 });
    expect(
      check({ signature: `sha256=${signTimestamped('whsec_current', nowSeconds, body).slice(7).toUpperCase()}` }),
    ).toEqual({ ok: true, secretIndex: 0 });
  });

  it('rejects a signature made with another secret as a mismatch', () => {
    expect(check({ signature: signTimestamped('whsec_other', nowSeconds, body) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a body changed by one byte as a mismatch', () => {
    expect(check({ rawBody: body.replace('CAL123', 'CAL124') })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a signature whose timestamp header was changed as a mismatch', () => {
    expect(check({ timestamp: String(nowSeconds - 1) })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('signs the raw bytes, so a body that is not valid UTF-8 verifies as sent', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = `sha256=${createHmac('sha256', 'whsec_current')
      .update(Buffer.concat([Buffer.from(`${nowSeconds}.`), raw]))
      .digest('hex')}`;

    expect(check({ signature, rawBody: raw })).toEqual({ ok: true, secretIndex: 0 });
  });

  it('rejects a timestamp older than five minutes as expired', () => {
    const ts = nowSeconds - 301;
    expect(check({ timestamp: String(ts), signature: signTimestamped('whsec_current', ts, body) })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects a timestamp more than five minutes ahead as future', () => {
    const ts = nowSeconds + 301;
    expect(check({ timestamp: String(ts), signature: signTimestamped('whsec_current', ts, body) })).toEqual({
      ok: false,
      reason: 'future',
    });
  });

  it('accepts a timestamp exactly five minutes away on either side', () => {
    for (const ts of [nowSeconds - 300, nowSeconds + 300]) {
      expect(check({ timestamp: String(ts), signature: signTimestamped('whsec_current', ts, body) })).toEqual({
        ok: true,
        secretIndex: 0,
      });
    }
  });

  it('reports a missing signature or timestamp header as missing_header', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing_header' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing_header' });
    expect(check({ signature: '  ' })).toEqual({ ok: false, reason: 'missing_header' });
    expect(check({ timestamp: [] })).toEqual({ ok: false, reason: 'missing_header' });
  });

  it.each([
    ['no sha256= prefix', { signature: 'c1746e98ad04cec5532fc75494e17239f61ae7398636c11c9e59ff781cb87b91' }],
    ['another algorithm', { signature: 'sha1=c1746e98ad04cec5532fc75494e17239f61ae739' }],
    ['a short digest', { signature: 'sha256=abcdef' }],
    ['non-hex digits', { signature: `sha256=${'z'.repeat(64)}` }],
    ['a repeated signature header', { signature: ['sha256=aa', 'sha256=bb'] }],
    ['a timestamp in milliseconds-with-fraction form', { timestamp: '1694617200.5' }],
    ['a negative timestamp', { timestamp: '-1694617200' }],
    ['an ISO timestamp', { timestamp: '2023-09-13T15:00:00Z' }],
  ] as const)('reports %s as malformed', (_label, overrides) => {
    expect(check(overrides)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts the previous secret during a rotation and says which one matched', () => {
    const secrets = ['whsec_new', 'whsec_old'];
    expect(check({ secrets, signature: signTimestamped('whsec_old', nowSeconds, body) })).toEqual({
      ok: true,
      secretIndex: 1,
    });
    expect(check({ secrets, signature: signTimestamped('whsec_new', nowSeconds, body) })).toEqual({
      ok: true,
      secretIndex: 0,
    });
    expect(check({ secrets: ['whsec_new'], signature: signTimestamped('whsec_old', nowSeconds, body) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('never matches an empty secret, whose HMAC anyone can compute', () => {
    expect(check({ secrets: [''], signature: signTimestamped('', nowSeconds, body) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({ secrets: [] })).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe("CallRail's own webhook signature (Signature header)", () => {
  const check = (
    signature: string | string[] | undefined,
    rawBody: string | Buffer = CALLRAIL_DOCS_BODY,
    signingKeys: string[] = [CALLRAIL_DOCS_SIGNING_KEY],
  ) => verifyCallRailSignature({ signature, rawBody, signingKeys });

  it("reproduces CallRail's published test vector", () => {
    expect(signCallRail(CALLRAIL_DOCS_SIGNING_KEY, CALLRAIL_DOCS_BODY)).toBe(CALLRAIL_DOCS_SIGNATURE);
    expect(check(CALLRAIL_DOCS_SIGNATURE)).toEqual({ ok: true, secretIndex: 0 });
    expect(check(CALLRAIL_DOCS_SIGNATURE, Buffer.from(CALLRAIL_DOCS_BODY, 'utf8'))).toEqual({
      ok: true,
      secretIndex: 0,
    });
  });

  it('rejects the published signature over a body changed by one character, or with a trailing newline', () => {
    expect(check(CALLRAIL_DOCS_SIGNATURE, CALLRAIL_DOCS_BODY.replace('"duration":"13"', '"duration":"14"'))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check(CALLRAIL_DOCS_SIGNATURE, `${CALLRAIL_DOCS_BODY}\n`)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a signature made with another signing key as a mismatch', () => {
    expect(check(signCallRail('0000000000000000000000000000000', CALLRAIL_DOCS_BODY))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('reports an absent Signature header as missing_header', () => {
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing_header' });
    expect(check('')).toEqual({ ok: false, reason: 'missing_header' });
  });

  it('reports a hex digest, a SHA-256 digest, or a repeated header as malformed', () => {
    const hex = createHmac('sha1', CALLRAIL_DOCS_SIGNING_KEY).update(CALLRAIL_DOCS_BODY).digest('hex');
    const sha256 = createHmac('sha256', CALLRAIL_DOCS_SIGNING_KEY).update(CALLRAIL_DOCS_BODY).digest('base64');
    expect(check(hex)).toEqual({ ok: false, reason: 'malformed' });
    expect(check(sha256)).toEqual({ ok: false, reason: 'malformed' });
    expect(check([CALLRAIL_DOCS_SIGNATURE, CALLRAIL_DOCS_SIGNATURE])).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts an old signing key while a new one is being rolled out', () => {
    expect(check(CALLRAIL_DOCS_SIGNATURE, CALLRAIL_DOCS_BODY, ['new-signing-key', CALLRAIL_DOCS_SIGNING_KEY])).toEqual({
      ok: true,
      secretIndex: 1,
    });
  });
});
