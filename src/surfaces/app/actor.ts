import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import type { SignedIn } from '../../domain/people/index.js';

/** Who the audit log names for a change made in the web app: the user, or the owner link's holder. */
export function actorOf(request: FastifyRequest, tenantId: string, signedIn: SignedIn): Actor {
  const userId = signedIn.user?.id ?? null;
  return { kind: userId ? 'user' : 'owner', id: userId, tenantId, requestId: request.id, mode: 'live' };
}
