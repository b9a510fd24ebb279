-- Rate limits shared by every server process on one PostgreSQL (SPEC §11): each caller's window
-- (its start, in milliseconds of the database's clock, and the requests counted in it). Unlogged:
-- a crash loses at most a minute of counting, which is what a window is worth, and the table costs
-- no WAL. The embedded store has one process and counts in its memory instead.
create unlogged table rate_limit_windows (
  key             text primary key,
  window_start_ms bigint not null,
  count           integer not null
);
