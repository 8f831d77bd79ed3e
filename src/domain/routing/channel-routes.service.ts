import type { Tx } from '../transaction.js';
import { invalid } from '../errors.js';
import type { ChannelRoutesRepo } from './channel-routes.repo.js';
import { routeKeysOf, type RouteKey, type RoutedChannel } from './route-keys.js';

/**
 * Which tenant an inbound webhook is for. The routes are derived from each tenant's configuration
 * and written in the same transaction as it (the tenants service calls `claim`), so a lookup is
 * one indexed query and never reads configurations. A key routes to one tenant: a second tenant
 * claiming it is refused with a validation error naming the field.
 */
export interface ChannelRoutes {
  /** The keys a configuration (secrets opened) routes by. */
  keysOf(config: Record<string, unknown>): RouteKey[];
  /** Inside the caller's transaction: makes `keys` the tenant's routes; VALIDATION naming the field of a key another tenant holds. */
  claim(db: Tx, tenantId: string, keys: RouteKey[], at: string): Promise<void>;
  /** Like `claim`, but a key another tenant holds stays with it; returns the keys left out (the start-up reconciliation). */
  settle(db: Tx, tenantId: string, keys: RouteKey[], at: string): Promise<RouteKey[]>;
  /** Tenants routed by any of `externalKeys`, in their order. */
  tenantsFor(channel: RoutedChannel, externalKeys: string[]): Promise<string[]>;
  /** Every tenant routed on `channel`, for requests that carry no key of ours. */
  tenantsOn(channel: RoutedChannel): Promise<string[]>;
  anyOn(channel: RoutedChannel): Promise<boolean>;
  /** The key a secret routes by (Telegram's header). */
  fingerprint(secret: string): string;
}

export function createChannelRoutes(deps: {
  repo: ChannelRoutesRepo;
  fingerprint: (secret: string) => string;
}): ChannelRoutes {
  const { repo } = deps;
  const settle = async (db: Tx, tenantId: string, keys: RouteKey[], at: string): Promise<RouteKey[]> => {
    const refused = await repo.replaceForTenant(db, tenantId, keys, at);
    return keys.filter((k) => refused.some((r) => r.channel === k.channel && r.externalKey === k.externalKey));
  };
  return {
    keysOf: (config) => routeKeysOf(config, deps.fingerprint),
    async claim(db, tenantId, keys, at) {
      const taken = await settle(db, tenantId, keys, at);
      // Which tenant holds the key is not said: that would tell one tenant about another.
      if (taken.length > 0)
        throw invalid(
          taken.map((k) => ({ field: k.field, issue: 'is already used by another tenant', type: 'conflict' })),
          'Invalid tenant configuration',
        );
    },
    settle,
    tenantsFor: (channel, externalKeys) => repo.tenantsByKeys(channel, externalKeys),
    tenantsOn: (channel) => repo.tenantsOnChannel(channel),
    anyOn: (channel) => repo.anyOnChannel(channel),
    fingerprint: deps.fingerprint,
  };
}
