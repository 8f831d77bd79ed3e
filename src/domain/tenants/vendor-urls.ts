import { UrlRefusedError } from '../../providers/http/safe-fetch.js';
import type { FieldIssue } from '../errors.js';

/**
 * The tenant settings that name a server Frontdesk calls: vendor base URLs, the Salesforce org
 * and the Slack webhook. Each is guarded again at call time; checking at save time only turns
 * the obvious refusals into a validation error naming the field.
 */

export interface UrlScreen {
  /** Throws `UrlRefusedError` for what can be refused without DNS. */
  screen(url: string): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every vendor URL in a (partial) configuration, as `[dotted path, url]`. */
function vendorUrls(config: Record<string, unknown>): [string, string][] {
  const found: [string, string][] = [];
  const add = (path: string, value: unknown): void => {
    if (typeof value === 'string' && value !== '') found.push([path, value]);
  };
  const section = (key: string): Record<string, unknown> => (isObject(config[key]) ? config[key] : {});
  const aiModels = section('ai_models');
  for (const [name, provider] of Object.entries(isObject(aiModels.providers) ? aiModels.providers : {})) {
    if (isObject(provider)) add(`ai_models.providers.${name}.base_url`, provider.base_url);
  }
  add('enrichment.base_url', section('enrichment').base_url);
  add('text_to_speech.base_url', section('text_to_speech').base_url);
  add('crm_config.hubspot_base_url', section('crm_config').hubspot_base_url);
  add('crm_config.salesforce_instance_url', section('crm_config').salesforce_instance_url);
  add('callrail.api_base_url', section('callrail').api_base_url);
  add('notification_config.slack_webhook', section('notification_config').slack_webhook);
  const stt = section('speech_to_text').providers;
  if (Array.isArray(stt))
    stt.forEach((p: unknown, i) => isObject(p) && add(`speech_to_text.providers.${i}.base_url`, p.base_url));
  for (const [name, channel] of Object.entries(section('channels'))) {
    if (isObject(channel)) add(`channels.${name}.api_base_url`, channel.api_base_url);
  }
  return found;
}

/** One issue per vendor URL in `config` the guard refuses, fields named as the client sent them (`configuration.…`). */
export function refusedVendorUrls(config: Record<string, unknown>, urls: UrlScreen): FieldIssue[] {
  return vendorUrls(config).flatMap(([path, url]): FieldIssue[] => {
    try {
      urls.screen(url);
      return [];
    } catch (error) {
      if (!(error instanceof UrlRefusedError)) throw error;
      const issue =
        error.reason === 'private_address'
          ? `${error.message}; only the operator can allow a private destination (FRONTDESK_PRIVATE_URL_ALLOWLIST)`
          : error.message;
      return [{ field: `configuration.${path}`, issue, type: error.reason }];
    }
  });
}
