-- Durable jobs: deadlines, reminders, retention, notification delivery. Claimed with SKIP LOCKED and a
-- lease, so several processes run each job once; a crashed runner's lease expires and the job is retried.
create table jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  unique_key text,
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_due_idx on jobs (run_at) where status in ('pending', 'running');
create unique index jobs_unique_key_uq on jobs (kind, unique_key) where unique_key is not null and status in ('pending', 'running');

-- In-app inbox. Messages carry an i18n key and parameters so each reader sees their own language.
create table notifications (
  id uuid primary key,
  city_code text not null,
  recipient_kind text not null check (recipient_kind in ('worker', 'staff')),
  recipient_id uuid not null,
  kind text not null,
  params jsonb not null default '{}'::jsonb,
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_recipient_idx on notifications (recipient_kind, recipient_id, created_at desc);

-- Stored files (photos, evidence) — metadata; bytes live in the storage backend.
create table files (
  id uuid primary key,
  city_code text not null,
  storage_key text not null unique,
  content_type text not null,
  byte_size bigint not null,
  sha256 text not null,
  owner_kind text,
  owner_id uuid,
  created_at timestamptz not null default now()
);
