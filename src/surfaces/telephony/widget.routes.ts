import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantOf } from '../../http/auth.js';
import type { TelephonyDeps } from './services.js';
import { registerSessionApi } from './session-api.js';
import { widgetConfigView } from './views.js';

const ALLOW = ['widget', 'tenant-key'] as const;

const widgetConfigResponse = z.object({
  title: z.string().describe('`branding.company_name`, else the business name'),
  greeting: z.string().describe('`chatbot.default_greeting`, else the default greeting'),
  color: z.string().describe('`branding.primary_color`, else `#2563eb`'),
});

/** Spec C's widget API: the site's public widget token (preferred) or the tenant's API key; web chat, answered in text. */
export function registerWidgetRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerSessionApi(scope, deps, {
    prefix: '/v1/widget/session',
    channel: 'web',
    allow: ALLOW,
    label: 'widget',
    counted: false,
  });
  const { tenants } = deps.services;
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/v1/widget/config',
    {
      schema: {
        tags: ['telephony: widget sessions'],
        summary: 'Read the widget’s look',
        description:
          'The title, greeting and colour the web widget (`/widget/embed.js`) shows, from the tenant’s `branding` and `chatbot` configuration. The widget token is public, so this answers nothing else.',
        response: { 200: widgetConfigResponse },
      },
      config: { auth: { allow: ALLOW } },
    },
    async (request) => widgetConfigView(await tenants.get(tenantOf(request))),
  );
}
