import { channelSettings, type ChannelSettings } from '../../channels/settings.js';
import { safeEqual } from '../../lib/crypto.js';
import { AppError } from '../errors.js';
import type { TenantConfigsReader } from './inbound.repo.js';
import { firstValue } from './receive.js';
import type { TenantsService } from '../tenants/index.js';

/**
 * Meta's subscription check (`hub.mode`, `hub.verify_token`, `hub.challenge`): answered with the
 * challenge when the token is some tenant's verify token for the channel. It names no key of
 * ours, so every tenant with the channel configured is looked at.
 */
export async function verifySubscription(
  ports: { configs: TenantConfigsReader; tenants: Pick<TenantsService, 'getConfigWithSecrets'> },
  channel: string,
  query: Record<string, unknown>,
): Promise<string> {
  const mode = firstValue(query['hub.mode']);
  const token = firstValue(query['hub.verify_token']);
  const challenge = firstValue(query['hub.challenge']);
  if (mode !== 'subscribe' || !token || challenge === undefined)
    throw new AppError(
      'FORBIDDEN',
      'Webhook verification failed: hub.mode must be subscribe, with hub.verify_token and hub.challenge',
    );
  const only = firstValue(query.tenant_id);
  for (const { tenantId, config } of await ports.configs.listAll()) {
    if (only && tenantId !== only) continue;
    // The stored configuration holds sealed secrets, so only its plain settings are read here, leniently.
    const plain = (config.channels as Record<string, ChannelSettings | undefined> | undefined)?.[channel];
    if (!plain || typeof plain !== 'object' || plain.enabled === false) continue;
    const settings = await openSettings(ports, tenantId, channel);
    if (settings?.verify_token && safeEqual(settings.verify_token, token)) return challenge;
  }
  throw new AppError('FORBIDDEN', 'Webhook verification failed: the verify token matches no tenant');
}

async function openSettings(
  ports: { tenants: Pick<TenantsService, 'getConfigWithSecrets'> },
  tenantId: string,
  channel: string,
): Promise<ChannelSettings | undefined> {
  const config = await ports.tenants.getConfigWithSecrets(tenantId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  return config && channelSettings(config, channel);
}
