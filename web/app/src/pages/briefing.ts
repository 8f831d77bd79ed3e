/**
 * A handoff briefing as lines to read. The handoff records what the bot gathered as free-form JSON
 * (a summary, the customer's details, who took over), so each top-level field becomes one line,
 * its name made readable and nested values written out.
 */
export function briefingLines(briefing: unknown): Array<{ label: string; text: string }> {
  if (briefing === null || briefing === undefined) return [];
  if (typeof briefing !== 'object' || Array.isArray(briefing)) return [{ label: 'Briefing', text: written(briefing) }];
  return Object.entries(briefing as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => ({ label: readable(key), text: written(value) }));
}

function readable(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function written(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(written).join(', ');
  return JSON.stringify(value);
}
