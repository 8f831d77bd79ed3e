import type { Transaction } from 'kysely';
import type { Tables } from '../store/tables.js';

/**
 * A database transaction as services hand it from one concept to another, so that rows of several
 * concepts commit together; only `*.repo.ts` files (and the queue) look inside it.
 */
export type Tx = Transaction<Tables>;
