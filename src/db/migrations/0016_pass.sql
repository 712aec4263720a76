-- The pass (一码畅通/甬爱码): issuer keys, one pass per worker (a pseudonym and a random status index),
-- place policies, scanner accounts bound to places, scan records (only with the worker's separate
-- consent), short-lived token sightings for clone detection, alerts, and station visit counters.

-- Issuer keys. The private key is encrypted with the platform key (PII cipher). 'next' keys are published
-- in the JWKS and trust bundles before they sign anything, so scanners know them before first use.
create table pass_keys (
  kid text primary key,
  city_code text not null,
  alg text not null check (alg in ('EdDSA')),
  public_key text not null,
  private_key_enc text not null,
  status text not null check (status in ('next', 'active', 'retired', 'revoked')),
  created_at timestamptz not null,
  activated_at timestamptz,
  retired_at timestamptz,
  revoked_at timestamptz
);
create unique index pass_keys_one_active_uq on pass_keys (city_code) where status = 'active';
create unique index pass_keys_one_next_uq on pass_keys (city_code) where status = 'next';

-- Bumped in the same transaction as every key or pass status change: the trust bundle's version.
create table pass_state (
  city_code text primary key,
  version bigint not null default 0,
  updated_at timestamptz not null
);

create table passes (
  id uuid primary key,
  city_code text not null,
  worker_id uuid not null,
  -- what the token carries instead of the worker id (random; links scans to a worker only through this table)
  pseudonym text not null unique,
  -- random position in the city's revocation bitstring
  status_index integer not null check (status_index >= 0),
  status text not null check (status in ('active', 'frozen', 'revoked')),
  reason text check (reason in ('lost_phone', 'fraud', 'verification_withdrawn', 'frozen', 'other')),
  note text,
  changed_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (city_code, status_index)
);
-- one pass that is not revoked per worker; a revoked pass stays (its index stays set) and a new one is issued
create unique index passes_one_live_uq on passes (worker_id) where status <> 'revoked';
create index passes_worker_idx on passes (worker_id, created_at desc);

-- Place policy: which industries and verification levels are granted what at this place.
create table pass_policies (
  place_id bigint primary key,
  city_code text not null,
  rules jsonb not null,
  updated_by text,
  updated_at timestamptz not null
);

-- Scanner accounts (staff with role scanner) and the places they scan for.
create table pass_scanner_places (
  staff_id uuid not null,
  place_id bigint not null,
  city_code text not null,
  created_at timestamptz not null,
  primary key (staff_id, place_id)
);
create index pass_scanner_places_place_idx on pass_scanner_places (place_id);

-- The worker's separate consent to keep scan records (movement trail, PIPL sensitive).
create table pass_scan_consents (
  worker_id uuid primary key,
  granted boolean not null,
  version text not null,
  answered_at timestamptz not null
);

-- Scan records, kept only for workers who consented, deleted after 180 days. Pseudonymised: they point
-- at the pass, not the worker. id = the scanner's client-generated event id (an upload retry is one row).
create table pass_scans (
  id uuid primary key,
  city_code text not null,
  pass_id uuid not null,
  place_id bigint,
  scanner_id uuid,
  scanned_at timestamptz not null,
  received_at timestamptz not null,
  verdict text not null check (verdict in ('green', 'yellow', 'red')),
  reason text not null,
  grants text[] not null default '{}',
  shown text[] not null default '{}',
  offline boolean not null default false
);
create index pass_scans_pass_idx on pass_scans (pass_id, scanned_at desc);
create index pass_scans_time_idx on pass_scans (scanned_at);

-- Every accepted token sighting, kept a day whatever the consent: a token (nonce) seen at two places
-- is a copy; a discount is one use per token per merchant. Holds no worker id.
create table pass_sightings (
  nonce text not null,
  place_id bigint not null,
  pass_id uuid not null,
  event_id uuid not null unique,
  scanned_at timestamptz not null,
  primary key (nonce, place_id)
);
create index pass_sightings_time_idx on pass_sightings (scanned_at);

create table pass_alerts (
  id uuid primary key,
  city_code text not null,
  kind text not null check (kind in ('clone')),
  pass_id uuid not null,
  nonce text not null,
  -- [{placeId, scannedAt}]
  sightings jsonb not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  detected_at timestamptz not null,
  closed_by text,
  closed_at timestamptz,
  unique (kind, nonce)
);
create index pass_alerts_city_idx on pass_alerts (city_code, status, detected_at desc);

-- Station check-ins counted as service visits per place and Shanghai month (no personal data).
create table pass_visits (
  place_id bigint not null,
  month text not null,
  city_code text not null,
  area_code text not null,
  visits integer not null default 0,
  primary key (place_id, month)
);
create index pass_visits_area_idx on pass_visits (city_code, month, area_code);
