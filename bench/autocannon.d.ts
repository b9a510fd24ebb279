// autocannon ships no types and @types/autocannon is not a dependency: this declares the small part
// of its programmatic API that the benchmarks use.
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    /** Seconds a request may take before it counts as a timeout. */
    timeout?: number;
    /** Requests to send in all; overrides duration. */
    amount?: number;
    /** Requests sent in turn on each connection; each may rewrite itself before it is sent and see its answer. */
    requests?: {
      method?: string;
      path?: string;
      setupRequest?: (request: { method?: string; path?: string }, context: Record<string, unknown>) => { method?: string; path?: string };
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
    }[];
  }

  /** Percentiles as autocannon names them (p2_5, p50, p97_5, p99, …); latency values are milliseconds. */
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
    [percentile: string]: number;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latency: Histogram;
    /** Per-second samples of completed requests; `total` is the count over the whole run. */
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
  export type { AutocannonOptions, AutocannonResult };
}
