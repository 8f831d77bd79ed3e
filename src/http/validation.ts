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

/** Fastify/zod validation issues → our field issues, with `location` naming the request part. */
export function fieldIssuesFrom(validation: ValidationLike[], context: string | undefined): FieldIssue[] {
  const location = locations[context ?? 'body'] ?? 'body';
  return validation.map((v) => {
    const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const message = v.message ?? 'is invalid';
    return {
      field: path || location,
      issue: message,
      type: message === 'is required' ? 'missing' : v.keyword,
      location,
    };
  });
}
