import { tenantService } from '../../engine/entities/catalogue.js';
import {
  COLLECT_FIELDS,
  type CollectField,
  type DialogConfig,
  type KnowledgeEntry,
} from '../../engine/dialog/dialog.js';
import type { TenantConfig } from '../tenants/index.js';

/** What the dialog needs from a tenant record: the parts of `Tenant` it reads. */
export interface DialogTenant {
  id: string;
  name: string;
  timezone: string;
  config: TenantConfig;
}

export const DIALOG_DEFAULTS = {
  greeting: 'Hello! How can I help you today?',
  fallbackResponse: "I'm sorry, I didn't understand. Could you please rephrase?",
  /** The local engine is sure (≥0.9) of what it was trained for and unsure (<0.5) of what it was not; 0.6 sits between. */
  confidenceThreshold: 0.6,
  collectFields: [...COLLECT_FIELDS] as CollectField[],
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** FAQ entries and documents as knowledge entries, with stable ids so cached indexes match across reads. */
function knowledgeFrom(config: TenantConfig): KnowledgeEntry[] {
  const kb = config.chatbot?.knowledge_base;
  const faqs = (kb?.faqs ?? []).map((faq, i) => ({
    id: `faq_${i + 1}`,
    title: faq.question,
    content: faq.answer,
    tags: ['faq'],
  }));
  const documents = (kb?.documents ?? []).map((doc, i) => ({
    id: `doc_${i + 1}`,
    title: doc.title,
    content: doc.content,
    tags: ['document'],
  }));
  return [...faqs, ...documents, ...pricesFrom(config)];
}

/** Each priced service as a knowledge entry, so "how much is a cleaning?" is answered with its price. */
function pricesFrom(config: TenantConfig): KnowledgeEntry[] {
  return (config.services ?? []).flatMap((service) => {
    const price = service.price?.trim();
    if (!price) return [];
    const name =
      service.name?.trim() || capitalise(tenantService({ id: service.id, keywords: service.keywords }).label);
    return [
      {
        id: `price_${service.id}`,
        title: `How much does ${name} cost? Price of ${name}`,
        content: `${name}: ${price}.`,
        tags: ['price'],
      },
    ];
  });
}

/**
 * The catalogue's names as customers read them (the tenant's own name, else the built-in label of
 * its id), and the engine ids that name each: its id, then the intents a request for it expresses.
 */
function servicesFrom(config: TenantConfig): { names: string[]; aliases: Record<string, string> } {
  const names: string[] = [];
  const aliases: Record<string, string> = {};
  for (const service of config.services ?? []) {
    const entry = tenantService({ id: service.id, keywords: service.keywords });
    const name = service.name?.trim() ? service.name.trim() : capitalise(entry.label);
    names.push(name);
    aliases[service.id] = name;
    for (const intent of entry.intents) aliases[intent] ??= name;
  }
  return { names, aliases };
}

/** A tenant's dialog configuration, read from its record and configuration, with defaults for what is unset. */
export function dialogConfigFrom(tenant: DialogTenant): DialogConfig {
  const { config } = tenant;
  const chatbot = config.chatbot ?? {};
  const address =
    typeof config.general?.address === 'string' && config.general.address.trim()
      ? config.general.address.trim()
      : undefined;
  const instructions = config.ai_models?.custom_instructions;
  const services = servicesFrom(config);
  return {
    tenantId: tenant.id,
    companyName: config.branding?.company_name?.trim() || tenant.name,
    timezone: config.general?.timezone ?? tenant.timezone,
    greeting: chatbot.default_greeting ?? DIALOG_DEFAULTS.greeting,
    fallbackResponse: chatbot.fallback_response ?? DIALOG_DEFAULTS.fallbackResponse,
    confidenceThreshold: chatbot.confidence_threshold ?? DIALOG_DEFAULTS.confidenceThreshold,
    ...(chatbot.escalation_trigger?.trim() ? { escalationTrigger: chatbot.escalation_trigger.trim() } : {}),
    ...(chatbot.out_of_hours_message?.trim() ? { outOfHoursMessage: chatbot.out_of_hours_message.trim() } : {}),
    ...(chatbot.on_call_phone ? { onCallPhone: chatbot.on_call_phone } : {}),
    collectFields:
      chatbot.collect_fields && chatbot.collect_fields.length > 0
        ? [...new Set(chatbot.collect_fields)]
        : [...DIALOG_DEFAULTS.collectFields],
    ...(config.business_hours ? { businessHours: config.business_hours } : {}),
    ...(instructions?.trim() ? { customInstructions: instructions } : {}),
    services: services.names,
    serviceAliases: services.aliases,
    knowledge: knowledgeFrom(config),
    ...(address ? { address } : {}),
  };
}
