import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Tenant } from '../../domain/tenants/index.js';
import type { AppDeps } from './services.js';
import { saveSettings, settingsTenant } from './settings-save.js';
import { servicesBody, type ServicesBody } from './settings.schemas.js';

const tags = ['app: settings'];

interface ServiceView {
  id: string;
  name: string;
  price: string | null;
  keywords: string[];
}

/** The service catalogue (`services`) as the app lists it; a service without a name shows its id. */
export function servicesOf(tenant: Tenant): { services: ServiceView[]; currency: string | null } {
  return {
    services: (tenant.config.services ?? []).map((s) => ({
      id: s.id,
      name: s.name?.trim() || s.id,
      price: s.price?.trim() || null,
      keywords: s.keywords ?? [],
    })),
    currency: tenant.config.general?.currency ?? null,
  };
}

/** An id made from a name ("Teeth cleaning" → `teeth_cleaning`), numbered when another service holds it. */
function idFor(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .join('_')
      .slice(0, 56) || 'service';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/** The catalogue to save: the list given replaces the kept one, each new service gets an id. */
function servicesPatch(body: ServicesBody): Record<string, unknown> {
  const taken = new Set(body.services.flatMap((s) => (s.id ? [s.id] : [])));
  const services = body.services.map((s) => {
    const id = s.id ?? idFor(s.name, taken);
    taken.add(id);
    return { id, name: s.name, keywords: s.keywords, ...(s.price?.trim() ? { price: s.price.trim() } : {}) };
  });
  return { services };
}

/** `GET`/`PUT /app/api/settings/services`: what the business sells and what it costs, which the assistant quotes. */
export function registerServicesRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const docs = { ok: { 200: '`{ data: { services, currency } }`' }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] as const };
  app.get(
    '/app/api/settings/services',
    {
      schema: {
        tags,
        summary: 'The services the business sells, with prices',
        description:
          'Each service with its id, name, price (as the business words it) and the words customers use for it.',
        docs,
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: servicesOf(await settingsTenant(request, deps)) }),
  );
  app.put(
    '/app/api/settings/services',
    {
      schema: {
        body: servicesBody,
        tags,
        summary: 'Replace the service catalogue',
        description:
          'The list given replaces the kept one; a service without an id gets one from its name. The assistant recognises each by its name and keywords and answers "how much is …?" with its price.',
        docs: {
          ...docs,
          example: {
            services: [
              { id: 'cleaning', name: 'Teeth cleaning', price: 'from $120', keywords: ['cleaning', 'hygiene'] },
              { name: 'Whitening', price: '$300', keywords: [] },
            ],
          },
        },
      },
      config: { appSession: 'required' },
    },
    async (request) => ({ data: servicesOf(await saveSettings(request, deps, () => servicesPatch(request.body))) }),
  );
}
