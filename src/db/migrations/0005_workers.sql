-- Workers (新就业群体). Phone, name and 身份证 number are encrypted (AES-256-GCM); *_hash columns are
-- HMAC-SHA256 blind indexes for uniqueness and look-up. Plaintext is never stored.
create table workers (
  id uuid primary key,
  city_code text not null,
  phone_enc text not null,
  phone_hash text not null,
  name_enc text,
  id_number_enc text,
  id_number_hash text,
  industry text,
  platform text,
  station text,
  area_code text references areas(code),
  verification_status text not null default 'unverified'
    check (verification_status in ('unverified', 'pending', 'approved', 'rejected')),
  verified_at timestamptz,
  language text not null default 'zh-CN',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index workers_phone_hash_uq on workers (city_code, phone_hash);
create unique index workers_id_number_hash_uq on workers (city_code, id_number_hash) where id_number_hash is not null;
create index workers_area_idx on workers (city_code, area_code);
create index workers_status_idx on workers (city_code, verification_status);

-- Every real-name submission and its review, kept as history.
create table worker_verifications (
  id uuid primary key,
  city_code text not null,
  worker_id uuid not null references workers(id),
  name_enc text not null,
  id_number_enc text not null,
  id_number_hash text not null,
  industry text not null,
  platform text not null,
  station text not null,
  area_code text not null references areas(code),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'superseded')),
  reason text,
  submitted_at timestamptz not null default now(),
  reviewed_at timestamptz,
  reviewed_by uuid
);
create index worker_verifications_queue_idx on worker_verifications (city_code, status, submitted_at);
create index worker_verifications_worker_idx on worker_verifications (worker_id, submitted_at desc);
create unique index worker_verifications_one_pending_uq on worker_verifications (worker_id) where status = 'pending';

-- Versioned consent records (privacy notice …); withdrawing keeps the row.
create table worker_consents (
  id uuid primary key,
  city_code text not null,
  worker_id uuid not null references workers(id),
  kind text not null,
  version text not null,
  accepted_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  ip text,
  user_agent text
);
create index worker_consents_worker_idx on worker_consents (worker_id, kind, accepted_at desc);

-- SMS one-time codes: only a hash of the code is kept.
create table sms_codes (
  id uuid primary key,
  city_code text not null,
  phone_hash text not null,
  code_hash text not null,
  ip text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  attempts integer not null default 0,
  consumed_at timestamptz
);
create index sms_codes_phone_idx on sms_codes (phone_hash, created_at desc);
create index sms_codes_ip_idx on sms_codes (ip, created_at desc);
