import { fieldIssues, invalid, type FieldIssue } from '../errors.js';
import { HIDDEN, tenantConfigSchema, type TenantConfig } from './tenant-config.schema.js';
import { refusedVendorUrls, type UrlScreen } from './vendor-urls.js';

/** Spec D puts general settings at the root of `configuration`; the model keeps them under `general`. */
const GENERAL_KEYS = ['default_language', 'timezone', 'currency', 'date_format'] as const;

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Moves general settings sent at the root of a configuration under `general`. */
export function normaliseConfigInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  const general: Record<string, unknown> = isObject(out.general) ? { ...out.general } : {};
  let moved = false;
  for (const key of GENERAL_KEYS) {
    if (key in out) {
      general[key] = out[key];
      delete out[key];
      moved = true;
    }
  }
  if (moved || isObject(out.general)) out.general = general;
  return out;
}

/** Drops `***hidden***` values so a client that sends back what it read does not erase a secret. */
export function dropHidden(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== HIDDEN)
      .map(([k, v]) => [k, isObject(v) ? dropHidden(v) : v]),
  );
}

/** General settings the client sent at the root of `configuration` (spec D's form), so errors can name them where they were sent. */
export function rootGeneralKeys(input: Record<string, unknown>): string[] {
  return GENERAL_KEYS.filter((key) => key in input);
}

export function validateConfig(config: Record<string, unknown>, sentAtRoot: readonly string[] = []): TenantConfig {
  const parsed = tenantConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const fields: FieldIssue[] = parsed.error.issues.map((i) => {
    const path = i.path.map(String);
    const asSent =
      path.length === 2 && path[0] === 'general' && sentAtRoot.includes(path[1] ?? '') ? path.slice(1) : path;
    return { field: ['configuration', ...asSent].join('.'), issue: i.message, type: i.code };
  });
  throw invalid(fields, 'Invalid tenant configuration');
}

/** Refuses a configuration naming a vendor URL the SSRF guard would refuse anyway, so the tenant learns it now rather than at the first call. */
export function screenVendorUrls(config: Record<string, unknown>, urls: UrlScreen): void {
  const fields = refusedVendorUrls(config, urls);
  if (fields.length > 0) throw invalid(fields, 'Invalid tenant configuration');
}

interface SafeParser<T> {
  safeParse(
    v: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string; code: string }[] } };
}

/** Parses a service's input with its schema; VALIDATION naming each field otherwise. */
export function parseInput<T>(schema: SafeParser<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalid(fieldIssues(parsed.error.issues, true));
}
