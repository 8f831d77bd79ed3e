interface FieldIssue {
  field: string;
  issue: string;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  if (typeof value !== 'object' || value === null) return false;
  const { field, issue } = value as Partial<Record<keyof FieldIssue, unknown>>;
  return typeof field === 'string' && typeof issue === 'string';
}

/**
 * The server's refusal per field (`error.fields: [{ field, issue }]`), keyed by the field's path with
 * any `configuration.` or `body.` prefix dropped, so a form can show each issue beside its control.
 */
export function fieldErrors(answer: unknown): Record<string, string> {
  const error = typeof answer === 'object' && answer !== null && 'error' in answer ? answer.error : null;
  const fields: unknown = typeof error === 'object' && error !== null && 'fields' in error ? error.fields : null;
  if (!Array.isArray(fields)) return {};
  const named = (fields as unknown[]).filter(isFieldIssue);
  return Object.fromEntries(named.map((f) => [f.field.replace(/^(configuration|body)\./, ''), f.issue]));
}
