import net from 'node:net';

/**
 * The operator's exceptions to the private-address rule (FRONTDESK_PRIVATE_URL_ALLOWLIST): a
 * self-hosted model or speech server on the private network. Only the operator sets this list;
 * nothing a tenant saves can add to it.
 */

export interface AllowedDestination {
  /** An IP literal (IPv6 without brackets) or a host name, in the form URL parsing gives it. */
  readonly host: string;
  /** Undefined: any port of the host. */
  readonly port: number | undefined;
}

/** `10.0.0.5:11434`, `ollama.internal`, `[fd00::5]:8000` or a bare IPv6 literal; undefined for anything else. */
export function parseAllowedDestination(entry: string): AllowedDestination | undefined {
  const match =
    net.isIP(entry) === 6
      ? [entry, entry, undefined]
      : (/^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^[\]:/?#@\s]+)(?::(\d+))?$/.exec(entry));
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  const host = canonicalHost(match[1]);
  return host === undefined ? undefined : { host, port };
}

/** Whether `host` (a URL's host name or an address it resolved to) on `port` is on the list. */
export function isAllowed(list: readonly AllowedDestination[], host: string, port: number): boolean {
  if (list.length === 0) return false;
  const canonical = canonicalHost(host);
  return list.some((d) => d.host === canonical && (d.port === undefined || d.port === port));
}

/** What URL parsing makes of a host (lower case, IPv4 shorthands and IPv6 spellings normalised), so entries and requests compare equal. */
function canonicalHost(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  try {
    const parsed = new URL(`http://${net.isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '');
    // Letters, digits, dots, hyphens, underscores and IPv6 colons only: a wildcard would never match and must not look as if it did.
    return /^[0-9a-z._:-]+$/.test(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
