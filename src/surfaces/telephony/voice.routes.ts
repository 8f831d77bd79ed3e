import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { registerSessionApi } from './session-api.js';

/** Spec C's voice session API; a tenant's API key, with X-Business-ID naming the key's own tenant if sent (auth checks it). */
export function registerVoiceRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerSessionApi(scope, deps, {
    prefix: '/v1/voice/session',
    channel: 'voice',
    allow: ['tenant-key'],
    label: 'voice',
    counted: true,
  });
}
