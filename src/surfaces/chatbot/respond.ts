import type { FastifyRequest } from 'fastify';

/** Spec D's success envelope; `meta` carries the request id as the error envelope does. */
export function ok<T>(request: FastifyRequest, data: T) {
  return { status: 'success' as const, data, meta: { request_id: request.id, api_version: 'v2' as const } };
}

export function pagination(total: number, page: number, pageSize: number) {
  return { total, page, page_size: pageSize, has_next: page * pageSize < total };
}
