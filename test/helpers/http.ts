import { createSafeHttp } from '../../src/providers/http/safe-fetch.js';

/** The guarded fetch as FRONTDESK_ALLOW_PRIVATE_URLS=1 configures it, so vendor fakes on 127.0.0.1 are reachable. */
export const localFetch = createSafeHttp({ allowPrivate: true }).fetch;
