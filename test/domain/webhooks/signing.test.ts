import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSecret,
  qualifierSignature,
  signatureHeaders,
  standardKey,
  standardSignature,
  verifySignature,
  type SignatureScheme,
} from '../../../src/domain/webhooks/signing.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"event":"lead.qualified","timestamp":"2025-03-15T10:30:00.000Z","data":{"id":"lead_1","score":87}}';
const id = 'evt_01jd0000000000000000000000';
const now = new Date('2025-03-15T10:30:00Z');
const t = Math.floor(now.getTime() / 1000);

function signedHeaders(opts: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  return signatureHeaders(opts.secret ?? secret, id, opts.timestamp ?? t, body);
}

describe('Standard Webhooks known answer', () => {
  it('signs the standard test vector exactly', () => {
    // From the Standard Webhooks reference libraries (libraries/javascript/src/webhook.test.ts, "sign function works").
    const signature = standardSignature(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(`v1,${signature}`).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies the test vector at its own time', () => {
    const result = verifySignature({
      body: '{"test": 2432232314}',
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      now: new Date(1614265330 * 1000),
    });
    expect(result).toEqual({ ok: true, scheme: 'standard', timestamp: 1614265330, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' });
  });

  it('keys the standard scheme with the base64-decoded secret, and a secret that is not base64 with its own bytes', () => {
    expect(standardKey(secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    expect(standardKey('whsec_your_signing_secret')).toEqual(Buffer.from('whsec_your_signing_secret', 'utf8'));
    expect(standardKey('plain-secret-of-a-client')).toEqual(Buffer.from('plain-secret-of-a-client', 'utf8'));
  });
});

describe('X-Qualifier-Signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>"> keyed with the whole secret', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signedHeaders()['x-qualifier-signature']).toBe(`t=${t},v1=${expected}`);
    expect(qualifierSignature(secret, t, Buffer.from(body))).toBe(expected);
  });
});

describe('generated secrets', () => {
  it('are whsec_ followed by base64 of 32 random bytes', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(standardKey(s)).toHaveLength(32);
    expect(generateSecret()).not.toBe(s);
  });
});

const schemes: { scheme: SignatureScheme; strip: (h: Record<string, string>) => Record<string, string> }[] = [
  { scheme: 'qualifier', strip: (h) => ({ 'x-qualifier-signature': h['x-qualifier-signature']! }) },
  {
    scheme: 'standard',
    strip: (h) => ({
      'webhook-id': h['webhook-id']!,
      'webhook-timestamp': h['webhook-timestamp']!,
      'webhook-signature': h['webhook-signature']!,
    }),
  },
];

for (const { scheme, strip } of schemes) {
  describe(`verifySignature (${scheme})`, () => {
    const verify = (headers: Record<string, string>, opts: { secrets?: string[]; body?: string } = {}) =>
      verifySignature({ body: opts.body ?? body, headers, secrets: opts.secrets ?? [secret], scheme, now });

    it('accepts a correctly signed body', () => {
      expect(verify(strip(signedHeaders()))).toMatchObject({ ok: true, scheme, timestamp: t });
    });

    it('accepts header names in any case and a Buffer body', () => {
      const upper = Object.fromEntries(Object.entries(strip(signedHeaders())).map(([k, v]) => [k.toUpperCase(), v]));
      expect(verifySignature({ body: Buffer.from(body), headers: upper, secrets: [secret], scheme, now }).ok).toBe(
        true,
      );
    });

    it('rejects the wrong secret', () => {
      expect(verify(strip(signedHeaders()), { secrets: [generateSecret()] })).toEqual({
        ok: false,
        reason: 'signature_mismatch',
      });
    });

    it('rejects a stale timestamp (more than five minutes old)', () => {
      expect(verify(strip(signedHeaders({ timestamp: t - 301 })))).toEqual({ ok: false, reason: 'timestamp_too_old' });
      expect(verify(strip(signedHeaders({ timestamp: t - 299 }))).ok).toBe(true);
    });

    it('rejects a future timestamp (more than five minutes ahead)', () => {
      expect(verify(strip(signedHeaders({ timestamp: t + 301 })))).toEqual({
        ok: false,
        reason: 'timestamp_in_future',
      });
      expect(verify(strip(signedHeaders({ timestamp: t + 299 }))).ok).toBe(true);
    });

    it('rejects a request without the signature header', () => {
      expect(verify({})).toEqual({ ok: false, reason: 'missing_header' });
    });

    it('rejects a malformed header', () => {
      const headers = strip(signedHeaders());
      const broken: Record<string, string> =
        scheme === 'qualifier' ? { 'x-qualifier-signature': 'v1=abc' } : { ...headers, 'webhook-signature': 'v2,abc' };
      expect(verify(broken)).toEqual({ ok: false, reason: 'malformed_header' });
    });

    it('rejects a tampered body', () => {
      expect(verify(strip(signedHeaders()), { body: body.replace('87', '99') })).toEqual({
        ok: false,
        reason: 'signature_mismatch',
      });
    });

    it('accepts either of two secrets during a rotation', () => {
      const next = generateSecret();
      expect(verify(strip(signedHeaders({ secret: next })), { secrets: [secret, next] }).ok).toBe(true);
      expect(verify(strip(signedHeaders()), { secrets: [next, secret] }).ok).toBe(true);
      expect(verify(strip(signedHeaders({ secret: next })), { secrets: [secret] })).toEqual({
        ok: false,
        reason: 'signature_mismatch',
      });
    });

    it('accepts a header carrying several signatures when one matches', () => {
      const headers = strip(signedHeaders());
      const other = strip(signedHeaders({ secret: generateSecret() }));
      const merged: Record<string, string> =
        scheme === 'qualifier'
          ? {
              'x-qualifier-signature': `${headers['x-qualifier-signature']!},${other['x-qualifier-signature']!.split(',')[1]!}`,
            }
          : { ...headers, 'webhook-signature': `${other['webhook-signature']!} ${headers['webhook-signature']!}` };
      expect(verify(merged).ok).toBe(true);
    });

    it('rejects when no secret is configured', () => {
      expect(verify(strip(signedHeaders()), { secrets: [] })).toEqual({ ok: false, reason: 'no_secret' });
    });
  });
}

describe('verifySignature scheme choice', () => {
  it('checks Standard Webhooks when its headers are present, else X-Qualifier-Signature', () => {
    const headers = signedHeaders();
    expect(verifySignature({ body, headers, secrets: [secret], now })).toMatchObject({
      ok: true,
      scheme: 'standard',
      id,
    });
    expect(
      verifySignature({
        body,
        headers: { 'x-qualifier-signature': headers['x-qualifier-signature']! },
        secrets: [secret],
        now,
      }),
    ).toMatchObject({ ok: true, scheme: 'qualifier' });
  });
});
