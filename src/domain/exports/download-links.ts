import { createLinkSigner } from '../../lib/signed-links.js';
import { AppError, forbidden } from '../errors.js';

/** Exports are served for one day: the file and its signed link expire together. */
export const EXPORT_TTL_MS = 24 * 3_600_000;

/** Unix seconds of an ISO instant, as links carry it. */
export const unixSeconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

export interface DownloadLinks {
  /** The signature of `subject` until `expires` (Unix seconds). */
  sign(subject: string, expires: number): string;
  /** Throws 403 for a forged link and 410 (with `goneMessage`) for an expired one. */
  verify(subject: string, expires: string, signature: string, goneMessage: string): void;
}

/**
 * Download links of one kind: the key is derived from the master key and `purpose`, so links
 * survive restarts, work on every instance and cannot be replayed against another kind's route.
 */
export function createDownloadLinks(masterKey: string, purpose: string, clock: { now(): Date }): DownloadLinks {
  const signer = createLinkSigner(masterKey, purpose);
  return {
    sign: (subject, expires) => signer.sign(subject, expires),
    verify(subject, expires, signature, goneMessage) {
      const verdict = signer.check(subject, expires, signature, clock.now().getTime());
      if (verdict === 'forged') throw forbidden('Invalid download link signature');
      if (verdict === 'expired') throw new AppError('GONE', goneMessage);
    },
  };
}
