import os from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  BUSINESS_MAPS,
  COUNTER_NAMES,
  type BusinessMap,
  type CounterName,
  type Counters,
} from '../domain/metrics/index.js';
import { toAppError } from './errors.js';

/**
 * What this process saw, from one place: a prom-client registry per app (never the global one,
 * so test apps do not collide) for `/metrics/prometheus`, plus plain in-memory figures for the
 * JSON views of specs A, C and D: lifetime totals per route, and a rolling record of recent
 * requests (per minute for 24 h, per hour for 7 days) for the `timeframe` questions.
 * A request counts as an error when its status is 400 or more.
 */

// Latency buckets for our own percentiles: 0.5 ms to 2 minutes, each 25% wider than the last,
// so an estimate is within a quarter of the true value.
const BOUNDS_MS: readonly number[] = (() => {
  const out: number[] = [];
  for (let b = 0.5; b < 120_000; b *= 1.25) out.push(b);
  out.push(Infinity);
  return out;
})();

function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BOUNDS_MS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= (BOUNDS_MS[mid] ?? Infinity)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class LatencyHistogram {
  readonly counts = new Uint32Array(BOUNDS_MS.length);
  total = 0;

  add(ms: number): void {
    const i = bucketOf(ms);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.total += 1;
  }

  addAll(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.total += other.total;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  /** The q-quantile (0–1), interpolated within its bucket; null with no samples. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = q * this.total;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i] ?? 0;
      if (n > 0 && seen + n >= rank) {
        const lower = i === 0 ? 0 : (BOUNDS_MS[i - 1] ?? 0);
        const upper = BOUNDS_MS[i] ?? Infinity;
        if (upper === Infinity) return round(lower);
        return round(lower + ((upper - lower) * (rank - seen)) / n);
      }
      seen += n;
    }
    return null;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

interface Slot {
  start: number;
  requests: number;
  errors: number;
  sumMs: number;
  hist: LatencyHistogram;
  /** Allocated on the slot's first error only. */
  errorTypes: Map<string, number> | null;
  /** Process CPU time (µs) and RSS (bytes) when the slot opened, for CPU and memory over a timeframe. */
  cpuMicros: number;
  rssBytes: number;
}

/** A ring of fixed time slots; a slot is reused (cleared) when its time comes round again. */
class Series {
  private readonly slots: (Slot | undefined)[];

  constructor(
    readonly slotMs: number,
    count: number,
  ) {
    this.slots = new Array<Slot | undefined>(count);
  }

  slotAt(nowMs: number): Slot {
    const start = nowMs - (nowMs % this.slotMs);
    const index = Math.floor(start / this.slotMs) % this.slots.length;
    let slot = this.slots[index];
    if (slot?.start === start) return slot;
    const cpu = process.cpuUsage();
    if (!slot) {
      slot = {
        start,
        requests: 0,
        errors: 0,
        sumMs: 0,
        hist: new LatencyHistogram(),
        errorTypes: null,
        cpuMicros: 0,
        rssBytes: 0,
      };
      this.slots[index] = slot;
    }
    slot.start = start;
    slot.requests = 0;
    slot.errors = 0;
    slot.sumMs = 0;
    slot.hist.clear();
    slot.errorTypes = null;
    slot.cpuMicros = cpu.user + cpu.system;
    slot.rssBytes = process.memoryUsage.rss();
    return slot;
  }

  /** Slots that overlap [fromMs, nowMs]. */
  *between(fromMs: number, nowMs: number): Generator<Slot> {
    for (const slot of this.slots) {
      if (slot && slot.start + this.slotMs > fromMs && slot.start <= nowMs) yield slot;
    }
  }
}

function count(slot: Slot, ms: number, error: boolean, errorType: string | undefined): void {
  slot.requests += 1;
  slot.sumMs += ms;
  slot.hist.add(ms);
  if (!error) return;
  slot.errors += 1;
  if (errorType) {
    slot.errorTypes ??= new Map();
    slot.errorTypes.set(errorType, (slot.errorTypes.get(errorType) ?? 0) + 1);
  }
}

class Rolling {
  private readonly minutes = new Series(60_000, 24 * 60 + 1);
  private readonly hours = new Series(3_600_000, 7 * 24 + 1);

  record(nowMs: number, ms: number, error: boolean, errorType: string | undefined): void {
    count(this.minutes.slotAt(nowMs), ms, error, errorType);
    count(this.hours.slotAt(nowMs), ms, error, errorType);
  }

  summarise(seconds: number, nowMs: number): RollingSummary {
    const series = seconds <= 86_400 ? this.minutes : this.hours;
    const fromMs = nowMs - seconds * 1000;
    const hist = new LatencyHistogram();
    const errorsByType: Record<string, number> = {};
    let requests = 0;
    let errors = 0;
    let sumMs = 0;
    let oldest: Slot | undefined;
    let rssSum = 0;
    let rssSamples = 0;
    for (const slot of series.between(fromMs, nowMs)) {
      requests += slot.requests;
      errors += slot.errors;
      sumMs += slot.sumMs;
      hist.addAll(slot.hist);
      for (const [type, n] of slot.errorTypes ?? []) errorsByType[type] = (errorsByType[type] ?? 0) + n;
      if (!oldest || slot.start < oldest.start) oldest = slot;
      rssSum += slot.rssBytes;
      rssSamples += 1;
    }
    return { requests, errors, sumMs, hist, errorsByType, oldest, rssSum, rssSamples };
  }
}

interface RollingSummary {
  requests: number;
  errors: number;
  sumMs: number;
  hist: LatencyHistogram;
  errorsByType: Record<string, number>;
  oldest: Slot | undefined;
  rssSum: number;
  rssSamples: number;
}

/** Latency figures over a set of requests; null where there were none. */
export interface LatencyFigures {
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface RecentStats {
  /** The timeframe asked for. */
  seconds: number;
  /** The part of it this process was up for (rates divide by this). */
  covered_seconds: number;
  requests: number;
  successful: number;
  errors: number;
  errors_by_type: Record<string, number>;
  latency: LatencyFigures;
  /** Pipeline runs reported through observeProcessing. */
  processing: LatencyFigures & { runs: number; failed: number };
  /** Process CPU time over the covered timeframe, in percent of one core. */
  cpu_percent: number;
  /** Mean resident memory over the timeframe, in percent of the host's memory. */
  memory_percent: number;
}

export interface RouteFigures {
  requests: number;
  errors: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
}

/** Spec C's JSON counters. */
export type TotalsSnapshot = {
  total_requests: number;
  total_errors: number;
  route_metrics: Record<string, RouteFigures>;
} & Record<CounterName, number> &
  Record<BusinessMap, Record<string, Record<string, number>>>;

export interface Metrics extends Counters {
  /** This app's prom-client registry. */
  readonly registry: Registry;
  /** Records one finished HTTP request; `route` is the route pattern (undefined when none matched). */
  recordRequest(
    method: string,
    route: string | undefined,
    status: number,
    durationMs: number,
    errorType: string | undefined,
  ): void;
  /** Lifetime totals, named counters and per-route figures (spec C's `/metrics`). */
  totals(): TotalsSnapshot;
  /** Figures over the last `seconds` (at most 7 days). */
  recent(seconds: number): RecentStats;
  /** The Prometheus text exposition of the registry. */
  prometheus(): Promise<string>;
}

interface RouteEntry {
  figures: { requests: number; errors: number; sumMs: number; hist: LatencyHistogram };
  /** prom-client children per method and status, cached so a request allocates no label objects. */
  requests: Map<string, Map<number, Counter.Internal>>;
  errors: Map<string, Map<number, Counter.Internal>>;
  durations: Map<string, Histogram.Internal<string>>;
}

const UNMATCHED = '(unmatched)';
export const MAX_TIMEFRAME_SECONDS = 7 * 24 * 3600;

/** The `timeframe` values specs A and D accept, in seconds. */
export const TIMEFRAMES = { '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600, '7d': MAX_TIMEFRAME_SECONDS } as const;
export type Timeframe = keyof typeof TIMEFRAMES;
export const TIMEFRAME_NAMES = Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'frontdesk_' });
  const startedAt = Date.now();
  const requests = createRequestFigures(registry);
  const business = createBusinessCounters(registry);
  const processing = new Rolling();
  return {
    registry,
    recordRequest: requests.record,
    increment: business.increment,
    incrementForBusiness: business.incrementForBusiness,
    observeProcessing(durationMs, ok) {
      processing.record(Date.now(), durationMs, !ok, undefined);
    },
    totals() {
      return { ...requests.totals(), ...business.snapshot(), route_metrics: requests.routeFigures() };
    },
    recent: (seconds) => recentStats(requests.rolling, processing, startedAt, seconds),
    prometheus: () => registry.metrics(),
  };
}

/** HTTP requests: Prometheus series per method, route and status, lifetime totals per route, and a rolling window. */
function createRequestFigures(registry: Registry) {
  const httpRequests = new Counter({
    name: 'frontdesk_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'frontdesk_http_request_errors_total',
    help: 'HTTP requests answered with a status of 400 or more',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'frontdesk_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const routes = new Map<string, RouteEntry>();
  const rolling = new Rolling();
  let totalRequests = 0;
  let totalErrors = 0;

  const record: Metrics['recordRequest'] = (method, route, status, durationMs, errorType) => {
    const key = route ?? UNMATCHED;
    const entry = routeEntry(routes, key);
    const error = status >= 400;
    totalRequests += 1;
    entry.figures.requests += 1;
    entry.figures.sumMs += durationMs;
    entry.figures.hist.add(durationMs);
    child(entry.requests, httpRequests, method, key, status).inc();
    if (error) {
      totalErrors += 1;
      entry.figures.errors += 1;
      child(entry.errors, httpErrors, method, key, status).inc();
    }
    let duration = entry.durations.get(method);
    if (!duration) {
      duration = httpDuration.labels({ method, route: key });
      entry.durations.set(method, duration);
    }
    duration.observe(durationMs / 1000);
    rolling.record(Date.now(), durationMs, error, error ? (errorType ?? `http_${status}`) : undefined);
  };

  const routeFigures = (): Record<string, RouteFigures> => {
    const out: Record<string, RouteFigures> = {};
    for (const [path, { figures }] of routes) {
      out[path] = {
        requests: figures.requests,
        errors: figures.errors,
        avg_latency_ms: figures.requests > 0 ? round(figures.sumMs / figures.requests) : null,
        p95_latency_ms: figures.hist.quantile(0.95),
      };
    }
    return out;
  };

  return {
    record,
    rolling,
    routeFigures,
    totals: () => ({ total_requests: totalRequests, total_errors: totalErrors }),
  };
}

function routeEntry(routes: Map<string, RouteEntry>, key: string): RouteEntry {
  let entry = routes.get(key);
  if (!entry) {
    entry = {
      figures: { requests: 0, errors: 0, sumMs: 0, hist: new LatencyHistogram() },
      requests: new Map(),
      errors: new Map(),
      durations: new Map(),
    };
    routes.set(key, entry);
  }
  return entry;
}

/** The prom-client child of `counter` for one method and status, created once per route entry. */
function child(
  cache: Map<string, Map<number, Counter.Internal>>,
  counter: Counter,
  method: string,
  route: string,
  status: number,
): Counter.Internal {
  let byStatus = cache.get(method);
  if (!byStatus) {
    byStatus = new Map();
    cache.set(method, byStatus);
  }
  let c = byStatus.get(status);
  if (!c) {
    c = counter.labels({ method, route, status: String(status) });
    byStatus.set(status, c);
  }
  return c;
}

/** The named business counters and per-business maps features count through (the `Counters` port). */
function createBusinessCounters(registry: Registry) {
  const named = new Map<CounterName, Counter>(
    COUNTER_NAMES.map((name) => [
      name,
      new Counter({
        name: `frontdesk_${name.endsWith('_total') ? name : `${name}_total`}`,
        help: `Spec C counter ${name}`,
        registers: [registry],
      }),
    ]),
  );
  const values = new Map<CounterName, number>(COUNTER_NAMES.map((name) => [name, 0]));
  const byBusiness = new Map<BusinessMap, Map<string, Map<string, number>>>(BUSINESS_MAPS.map((m) => [m, new Map()]));

  const increment: Counters['increment'] = (name, by = 1) => {
    values.set(name, (values.get(name) ?? 0) + by);
    named.get(name)?.inc(by);
  };

  const incrementForBusiness: Counters['incrementForBusiness'] = (map, businessId, field, by = 1) => {
    const tenants = byBusiness.get(map);
    if (!tenants) return;
    let fields = tenants.get(businessId);
    if (!fields) {
      fields = new Map();
      tenants.set(businessId, fields);
    }
    fields.set(field, (fields.get(field) ?? 0) + by);
  };

  const snapshot = () => {
    const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, values.get(name) ?? 0])) as Record<
      CounterName,
      number
    >;
    const maps = Object.fromEntries(
      BUSINESS_MAPS.map((m) => [
        m,
        Object.fromEntries([...(byBusiness.get(m) ?? [])].map(([id, fields]) => [id, Object.fromEntries(fields)])),
      ]),
    ) as Record<BusinessMap, Record<string, Record<string, number>>>;
    return { ...counters, ...maps };
  };

  return { increment, incrementForBusiness, snapshot };
}

function latencyOf(hist: LatencyHistogram, count: number, sumMs: number): LatencyFigures {
  return {
    avg_ms: count > 0 ? round(sumMs / count) : null,
    p50_ms: hist.quantile(0.5),
    p95_ms: hist.quantile(0.95),
    p99_ms: hist.quantile(0.99),
  };
}

/** Figures over the last `seconds` (at most 7 days) of HTTP requests and pipeline runs, with the process's CPU and memory. */
function recentStats(http: Rolling, processing: Rolling, startedAt: number, seconds: number): RecentStats {
  const nowMs = Date.now();
  const span = Math.min(seconds, MAX_TIMEFRAME_SECONDS);
  const h = http.summarise(span, nowMs);
  const p = processing.summarise(span, nowMs);
  const cpu = process.cpuUsage();
  const cpuNow = cpu.user + cpu.system;
  // CPU since the oldest slot of the timeframe; with no such slot (or too short a span), since the process started.
  const since =
    h.oldest && nowMs - h.oldest.start >= 1000
      ? { micros: h.oldest.cpuMicros, ms: nowMs - h.oldest.start }
      : { micros: 0, ms: process.uptime() * 1000 };
  const rssNow = process.memoryUsage.rss();
  const rssAvg = (h.rssSum + rssNow) / (h.rssSamples + 1);
  return {
    seconds,
    covered_seconds: Math.max(1, Math.round(Math.min(span, (nowMs - startedAt) / 1000))),
    requests: h.requests,
    successful: h.requests - h.errors,
    errors: h.errors,
    errors_by_type: h.errorsByType,
    latency: latencyOf(h.hist, h.requests, h.sumMs),
    processing: { runs: p.requests, failed: p.errors, ...latencyOf(p.hist, p.requests, p.sumMs) },
    cpu_percent: since.ms > 0 ? round(((cpuNow - since.micros) / 1000 / since.ms) * 100) : 0,
    memory_percent: round((rssAvg / os.totalmem()) * 100),
  };
}

/**
 * Records every response in onResponse (the error's internal code is kept from onError, so the
 * JSON views can say `validation`, `not_found`, `rate_limited` …). Registered once on the root.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  const errorTypes = new WeakMap<FastifyRequest, string>();
  app.addHook('onError', (request, _reply, error, done) => {
    errorTypes.set(request, toAppError(error).code.toLowerCase());
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const type = status >= 400 ? (errorTypes.get(request) ?? defaultErrorType(status)) : undefined;
    metrics.recordRequest(request.method, request.routeOptions.url, status, reply.elapsedTime, type);
    done();
  });
}

function defaultErrorType(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 405) return 'method_not_allowed';
  return `http_${status}`;
}
