import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counters } from '../../domain/metrics/index.js';

/**
 * Spec C's voice session counters (`voice_session_requests`, `voice_session_errors`, and
 * `voice_sessions_by_business[business_id].requests|errors`), counted once each voice or telephony
 * call has been answered, whatever it answered. Refused credentials count as errors without a
 * business: the request named none we can trust.
 */
export function countVoiceSessionCall(metrics: Counters) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const failed = reply.statusCode >= 400;
    metrics.increment('voice_session_requests');
    if (failed) metrics.increment('voice_session_errors');
    const tenantId = request.principal?.tenantId;
    if (!tenantId) return;
    metrics.incrementForBusiness('voice_sessions_by_business', tenantId, 'requests');
    if (failed) metrics.incrementForBusiness('voice_sessions_by_business', tenantId, 'errors');
  };
}
