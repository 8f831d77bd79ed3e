import { z } from 'zod';
import type { FieldIssue } from '../domain/errors.js';

// Messages read as the end of a sentence that starts with the field name ("email is required").
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'invalid_type') return `must be ${article(issue.expected)}`;
    if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    if (issue.code === 'unrecognized_keys') return `has unknown field(s) ${issue.keys.join(', ')}`;
    if (issue.code === 'invalid_format') return `must be a valid ${issue.format === 'regex' ? 'value' : issue.format}`;
    if (issue.code === 'too_small')
      return issue.origin === 'string'
        ? `must be at least ${String(issue.minimum)} characters`
        : `must be at least ${String(issue.minimum)}`;
    if (issue.code === 'too_big')
      return issue.origin === 'string'
        ? `must be at most ${String(issue.maximum)} characters`
        : `must be at most ${String(issue.maximum)}`;
    return undefined;
  },
});

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export interface ValidationLike {
  instancePath: string;
  message?: string;
  keyword: string;
}

const locations: Record<string, FieldIssue['location']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/** The request parts a validation error may echo values from; headers never (they carry credentials). */
export interface ValidatedParts {
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

const MAX_ECHOED_CHARS = 256;

/**
 * The value the client sent at `segments`, as an error may echo it back: a scalar only (a string
 * cut to 256 characters), so an error never repeats a whole document; undefined when absent.
 */
function providedValue(input: unknown, segments: string[]): unknown {
  let at = input;
  for (const s of segments) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[s];
  }
  if (typeof at === 'string') return at.length > MAX_ECHOED_CHARS ? `${at.slice(0, MAX_ECHOED_CHARS)}…` : at;
  return typeof at === 'number' || typeof at === 'boolean' || at === null ? at : undefined;
}

const partOf = (location: FieldIssue['location'], parts: ValidatedParts): unknown =>
  location === 'body'
    ? parts.body
    : location === 'query'
      ? parts.query
      : location === 'path'
        ? parts.params
        : undefined;

/** Fastify/zod validation issues → our field issues, with `location` naming the request part and the value sent. */
export function fieldIssuesFrom(
  validation: ValidationLike[],
  context: string | undefined,
  parts: ValidatedParts = {},
): FieldIssue[] {
  const location = locations[context ?? 'body'] ?? 'body';
  return validation.map((v) => {
    const segments = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
    const message = v.message ?? 'is invalid';
    const value = providedValue(partOf(location, parts), segments);
    return {
      field: segments.join('.') || location,
      issue: message,
      type: message === 'is required' ? 'missing' : v.keyword,
      location,
      ...(value === undefined ? {} : { value }),
    };
  });
}
