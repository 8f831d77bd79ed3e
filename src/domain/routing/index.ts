import type { Db } from '../../store/db.js';
import { createChannelRoutesRepo } from './channel-routes.repo.js';
import { createChannelRoutes } from './channel-routes.service.js';

/**
 * Routing: which tenant an inbound webhook is for, through `channel_routes` (the one table it
 * writes). The tenants service claims a configuration's keys in the transaction that saves it.
 */

export type { ChannelRoutes } from './channel-routes.service.js';
export type { RouteKey, RoutedChannel } from './route-keys.js';

export function createRoutingModule(ports: { db: Db; fingerprint: (secret: string) => string }) {
  return { routes: createChannelRoutes({ repo: createChannelRoutesRepo(ports.db), fingerprint: ports.fingerprint }) };
}
