-- Sessions of workers and staff. The cookie carries a random token; only its SHA-256 is stored.
create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  subject_kind text not null check (subject_kind in ('worker', 'staff')),
  subject_id uuid not null,
  principal jsonb not null,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  idle_timeout_seconds integer,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
create index sessions_subject_idx on sessions (subject_kind, subject_id);
create index sessions_expires_idx on sessions (expires_at);

-- Responses to requests that carried an Idempotency-Key, replayed when the same request is retried.
create table idempotency_keys (
  scope text not null,
  key text not null,
  request_hash text not null,
  status_code integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (scope, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
