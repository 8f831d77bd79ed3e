/**
 * A limited number of slots per key (a tenant, a credential), counted while held; a null key is
 * never limited. Queues use it for per-tenant concurrency, live streams for per-credential caps.
 */
export class KeyedSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes one of the key's slots; false when all of them are taken. */
  take(key: string | null): boolean {
    if (key === null) return true;
    const held = this.held.get(key) ?? 0;
    if (held >= this.limit) return false;
    this.held.set(key, held + 1);
    return true;
  }

  give(key: string | null): void {
    if (key === null) return;
    const held = (this.held.get(key) ?? 0) - 1;
    if (held > 0) this.held.set(key, held);
    else this.held.delete(key);
  }

  /** Keys with every slot taken. */
  full(): string[] {
    return [...this.held].filter(([, held]) => held >= this.limit).map(([key]) => key);
  }
}
