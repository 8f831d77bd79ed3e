import type { FastifyInstance } from 'fastify';
import { surfaceErrorHandler } from './errors.js';
import { ownRoutes, type SurfaceDialect } from './surface.js';

/**
 * A surface as an encapsulated Fastify plugin: its own scope, its own error handler (so every
 * error its routes or their hooks throw answers in its envelope), and its routes marked as its own.
 */
export function surfacePlugin<O>(dialect: SurfaceDialect, register: (app: FastifyInstance, options: O) => void) {
  return (app: FastifyInstance, options: O, done: (err?: Error) => void): void => {
    app.setErrorHandler(surfaceErrorHandler(dialect.render));
    ownRoutes(app, dialect.id);
    register(app, options);
    done();
  };
}
