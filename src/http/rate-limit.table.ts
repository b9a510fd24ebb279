/** The rate_limit_windows table (migration 0026): each caller's current window, shared by the server processes. */

export interface RateLimitWindowsTable {
  key: string;
  window_start_ms: string;
  count: number;
}

declare module '../platform/database.ts' {
  interface Database {
    rate_limit_windows: RateLimitWindowsTable;
  }
}
