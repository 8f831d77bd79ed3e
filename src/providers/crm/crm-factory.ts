import type { Fetch } from '../http/guarded-fetch.js';
import { CrmError } from './crm.js';
import type { CrmKind, CrmProvider } from './crm.js';
import { HubSpotCrmProvider } from './hubspot.js';
import { SalesforceCrmProvider } from './salesforce.js';

/** A tenant's credentials for one CRM, as stored in its configuration. */
export interface CrmCredentials {
  accessToken: string;
  /** HubSpot API base URL; proxies and test fakes. */
  baseUrl?: string;
  /** Salesforce org URL; required for Salesforce. */
  instanceUrl?: string;
  /** Salesforce REST API version. */
  apiVersion?: string;
}

/** The adapter for one CRM; throws a non-retryable `CrmError` when the credentials cannot work. */
export function createCrmProvider(
  kind: CrmKind,
  creds: CrmCredentials,
  opts: { timeoutMs: number; fetch: Fetch },
): CrmProvider {
  if (!creds.accessToken) throw CrmError.of('auth', `${kind} access token is missing`);
  switch (kind) {
    case 'hubspot':
      return new HubSpotCrmProvider({
        accessToken: creds.accessToken,
        timeoutMs: opts.timeoutMs,
        fetch: opts.fetch,
        ...(creds.baseUrl ? { baseUrl: creds.baseUrl } : {}),
      });
    case 'salesforce':
      if (!creds.instanceUrl) throw CrmError.of('validation', 'salesforce instance URL is missing');
      return new SalesforceCrmProvider({
        accessToken: creds.accessToken,
        instanceUrl: creds.instanceUrl,
        timeoutMs: opts.timeoutMs,
        fetch: opts.fetch,
        ...(creds.apiVersion ? { apiVersion: creds.apiVersion } : {}),
      });
  }
}
