import { describe, expect, it } from 'vitest';
import { resolveHandlerOptions, retryDelayMs } from '../../src/queue/job-runner.js';

describe('retryDelayMs', () => {
  const options = { backoffMs: 100, maxBackoffMs: 1_000 };

  it('doubles the ceiling with each attempt', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, options, top))).toEqual([99, 199, 399, 799]);
  });

  it('caps the ceiling at maxBackoffMs, however many attempts', () => {
    expect(retryDelayMs(5, options, () => 0.999_999)).toBe(999);
    expect(retryDelayMs(5_000, options, () => 0.999_999)).toBe(999);
  });

  it('spreads delays uniformly from zero up to the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, options, () => 0)).toBe(0);
    expect(retryDelayMs(3, options, () => 0.5)).toBe(200);
  });
});

describe('resolveHandlerOptions', () => {
  it('fills in defaults and keeps what was given', () => {
    expect(resolveHandlerOptions({ concurrency: 4, leaseMs: undefined })).toEqual({
      concurrency: 4,
      tenantConcurrency: 4,
      maxAttempts: 5,
      leaseMs: 30_000,
      backoffMs: 1_000,
      maxBackoffMs: 300_000,
    });
  });

  it('lets one tenant use every slot unless tenantConcurrency says otherwise', () => {
    expect(resolveHandlerOptions({}).tenantConcurrency).toBe(1);
    expect(resolveHandlerOptions({ concurrency: 8, tenantConcurrency: 2 })).toMatchObject({
      concurrency: 8,
      tenantConcurrency: 2,
    });
  });

  it('rejects a zero or fractional option', () => {
    expect(() => resolveHandlerOptions({ concurrency: 0 })).toThrow(RangeError);
    expect(() => resolveHandlerOptions({ leaseMs: 1.5 })).toThrow(RangeError);
    expect(() => resolveHandlerOptions({ tenantConcurrency: 0 })).toThrow(RangeError);
  });
});
