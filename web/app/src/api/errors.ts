import type { ErrorEnvelope } from './app-api';

function isEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** What to tell the person: the server's own message when it sent the `/app/api` envelope, with its request id to quote. */
export function errorMessage(error: unknown, response?: Response): string {
  if (isEnvelope(error)) return `${error.error.message} (request ${error.error.request_id})`;
  if (response) return `The server answered ${response.status} ${response.statusText}`.trim();
  return error instanceof Error ? error.message : 'Something went wrong';
}
