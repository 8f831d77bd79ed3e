import type { FastifyReply } from 'fastify';

/**
 * Runs the health check and sets the answer's status from it: 200 while every critical dependency
 * answers, 503 while one is down, which is what load balancers and orchestrators read.
 */
export async function checkedHealth<R extends { ready: boolean }>(
  health: { check(): Promise<R> },
  reply: FastifyReply,
): Promise<R> {
  const report = await health.check();
  void reply.code(report.ready ? 200 : 503);
  return report;
}
