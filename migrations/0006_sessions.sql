-- Web sessions: the browser holds a random token in an HttpOnly cookie; only its SHA-256 is stored,
-- so a copy of the database cannot be turned into signed-in browsers. A session expires after
-- 12 hours without use (sliding) and at the latest 7 days after sign-in; signing out ends it.
-- Sessions are access credentials, not financial history: expired rows may be deleted.
create table sessions (
  id           text primary key,
  user_id      text not null references users (id),
  token_hash   text not null unique,
  created_at   timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at   timestamptz not null,
  absolute_expires_at timestamptz not null,
  ended_at     timestamptz
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

-- Failed sign-ins per (lower-cased) email, for the rate limit: rows older than the window are
-- deleted as new failures arrive, so the table stays small.
create table sign_in_failures (
  email text not null,
  at    timestamptz not null
);
create index sign_in_failures_email on sign_in_failures (email, at);
