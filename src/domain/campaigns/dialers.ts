import { channelSettings } from '../../channels/settings.js';
import { DialError, type Dialer } from '../../providers/dialers/dialer.js';
import { createExotelDialer } from '../../providers/dialers/exotel.js';
import { createSimulatorDialer } from '../../providers/dialers/simulator.js';
import { createTwilioDialer } from '../../providers/dialers/twilio.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import type { TenantsService } from '../tenants/index.js';

/**
 * The dialer a tenant's configuration names (`campaigns.dialer`, the simulator by default), with
 * its account from `channels.twilio` or `channels.exotel`; a named vendor without its account is a
 * dial that cannot be placed, reported as such on every attempt.
 */

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function createDialerFactory(ports: { tenants: Pick<TenantsService, 'getConfigWithSecrets'>; http: SafeHttp }) {
  const simulator = createSimulatorDialer();
  return async function dialerFor(tenantId: string): Promise<Dialer> {
    const config = await ports.tenants.getConfigWithSecrets(tenantId);
    const kind = config.campaigns?.dialer ?? 'simulator';
    if (kind === 'simulator') return simulator;
    const s = channelSettings(config, kind);
    const from = str(s?.phone_number);
    const baseUrl = str(s?.api_base_url);
    if (kind === 'twilio') {
      const accountSid = str(s?.account_sid);
      const authToken = str(s?.auth_token);
      if (!accountSid || !authToken || !from)
        throw new DialError('channels.twilio needs account_sid, auth_token and phone_number to dial', false);
      return createTwilioDialer(ports.http, { accountSid, authToken, from, ...(baseUrl ? { baseUrl } : {}) });
    }
    const accountSid = str(s?.account_sid);
    const apiKey = str(s?.api_key);
    const apiToken = str(s?.api_token);
    if (!accountSid || !apiKey || !apiToken || !from)
      throw new DialError('channels.exotel needs account_sid, api_key, api_token and phone_number to dial', false);
    return createExotelDialer(ports.http, {
      accountSid,
      apiKey,
      apiToken,
      callerId: from,
      ...(baseUrl ? { baseUrl } : {}),
    });
  };
}
