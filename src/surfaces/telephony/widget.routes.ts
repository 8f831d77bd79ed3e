import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { registerSessionApi } from './session-api.js';

/** Spec C's widget API: the site's public widget token (preferred) or the tenant's API key; web chat, answered in text. */
export function registerWidgetRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerSessionApi(scope, deps, {
    prefix: '/v1/widget/session',
    channel: 'web',
    allow: ['widget', 'tenant-key'],
    label: 'widget',
    counted: false,
  });
}
