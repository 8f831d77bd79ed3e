type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Merges `patch` into `base`: objects merge key by key, anything else replaces, `null`
 * removes the key. Returns the merged value and the dotted paths whose value really changed.
 */
export function deepMerge(base: Obj, patch: Obj, prefix = ''): { merged: Obj; changed: string[] } {
  const merged: Obj = { ...base };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const current = base[key];
    if (value === null) {
      if (key in base) {
        delete merged[key];
        changed.push(path);
      }
    } else if (isObj(value) && isObj(current)) {
      const inner = deepMerge(current, value, path);
      merged[key] = inner.merged;
      changed.push(...inner.changed);
    } else if (isObj(value)) {
      // A new section: its nulls clear nothing, so they are dropped rather than stored.
      const inner = deepMerge({}, value, path);
      merged[key] = inner.merged;
      changed.push(...(inner.changed.length > 0 ? inner.changed : [path]));
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      merged[key] = value;
      changed.push(path);
    }
  }
  return { merged, changed };
}
