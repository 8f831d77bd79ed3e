import type { FastifyRequest } from 'fastify';
import type { Tenant } from '../../domain/tenants/index.js';
import { actorOf } from './actor.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';

/** The tenant the signed-in person may read the settings of. */
export async function settingsTenant(request: FastifyRequest, deps: AppDeps): Promise<Tenant> {
  const { tenantId } = tenantWith(request, 'settings:read');
  return deps.services.tenants.get(tenantId);
}

/**
 * Writes a configuration patch for the signed-in person (who needs `settings:write`) through the
 * tenants' one configuration door, so it is validated, sealed and audited like every other change
 * and the assistant reads it on its next answer. Answers the tenant as saved, secrets masked.
 */
export async function saveSettings(
  request: FastifyRequest,
  deps: AppDeps,
  patch: (tenant: Tenant) => Record<string, unknown>,
): Promise<Tenant> {
  const { tenantId, signedIn } = tenantWith(request, 'settings:write');
  const actor = actorOf(request, tenantId, signedIn);
  const current = await deps.services.tenants.get(tenantId);
  const { tenant } = await deps.services.tenants.update(actor, tenantId, { configuration: patch(current) });
  return tenant;
}
