-- 随手拍 reports: categories, routing rules, the reports with their photos, followers ("me too") and
-- typed timeline, work orders (交办 / 签收 / 退回 / 延期 / 协办 / 处置), campaigns (专项治理), Open311
-- client systems, and the operator-loaded working-day calendar (holidays and 调休 make-up days).

-- Working-day calendar overrides loaded by operators for years the bundled calendar does not know.
create table calendar_days (
  day date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null default '',
  loaded_at timestamptz not null,
  loaded_by text
);
create table calendar_years (
  year integer primary key,
  loaded_at timestamptz not null,
  loaded_by text
);

-- The report taxonomy, per city. rider_first: on the short list the worker app shows first.
create table report_categories (
  city_code text not null,
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name_zh text not null,
  name_en text not null,
  grp text not null default 'other',
  rider_first boolean not null default false,
  sort integer not null default 0,
  quick_tags text[] not null default '{}',
  -- earning rule code for a valid report of this category (the points module's rule)
  points_rule text not null default 'valid_report',
  dedupe_radius_m integer not null default 250 check (dedupe_radius_m between 10 and 5000),
  dedupe_max integer not null default 5 check (dedupe_max between 0 and 20),
  deadline_working_days integer not null default 5 check (deadline_working_days between 1 and 60),
  -- campaign cluster: N reports within D metres in T days
  cluster_min integer not null default 3 check (cluster_min between 2 and 100),
  cluster_radius_m integer not null default 300 check (cluster_radius_m between 10 and 10000),
  cluster_days integer not null default 30 check (cluster_days between 1 and 365),
  active boolean not null default true,
  updated_at timestamptz not null,
  updated_by text,
  primary key (city_code, code)
);

-- Routing (分流): category × area → department (and the responsible street). category_code null = any;
-- area_prefix: a GB/T 2260 code the report's area starts with (district, street or community).
create table report_routing_rules (
  id uuid primary key,
  city_code text not null,
  category_code text,
  area_prefix text not null,
  department_id uuid not null references departments(id),
  street_code text,
  priority integer not null default 0,
  active boolean not null default true,
  note text not null default '',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  updated_by text
);
create index report_routing_rules_city_idx on report_routing_rules (city_code, active);

-- Open311 client systems (one API key each, stored hashed).
create table open311_clients (
  id uuid primary key,
  city_code text not null,
  name text not null,
  api_key_hash text not null unique,
  api_key_prefix text not null,
  active boolean not null default true,
  created_at timestamptz not null,
  created_by text,
  last_used_at timestamptz
);

create table report_campaigns (
  id uuid primary key,
  city_code text not null,
  code text not null unique,
  title text not null,
  category_code text not null,
  area_code text not null,
  description text not null default '',
  owner_staff_id uuid not null,
  deadline date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  summary text,
  center_lon double precision,
  center_lat double precision,
  created_at timestamptz not null,
  created_by uuid not null,
  closed_at timestamptz,
  closed_by uuid
);
create index report_campaigns_city_idx on report_campaigns (city_code, status);

create table report_campaign_notes (
  id uuid primary key,
  campaign_id uuid not null references report_campaigns(id),
  at timestamptz not null,
  staff_id uuid not null,
  note text not null
);

create sequence reports_code_seq;

-- A report. status: pending_triage → dispatched → acknowledged → handled → closed (see contracts).
-- outcome once closed: fixed | invalid | duplicate. Coordinates are WGS-84.
create table reports (
  id uuid primary key,
  city_code text not null,
  code text not null unique,
  source text not null check (source in ('app', 'open311', 'staff')),
  reporter_worker_id uuid references workers(id),
  client_id text,
  open311_client_id uuid references open311_clients(id),
  -- Open311 reporters' contact (first/last name, email, phone) as encrypted JSON; never shown unmasked
  contact_enc text,
  category_code text not null,
  description text not null default '',
  tags text[] not null default '{}',
  lon double precision not null,
  lat double precision not null,
  accuracy_m double precision,
  location_source text not null check (location_source in ('device', 'map', 'address')),
  address text not null default '',
  area_code text not null,
  area_source text not null check (area_source in ('nearest_place', 'worker', 'city', 'staff')),
  status text not null check (status in ('pending_triage', 'dispatched', 'acknowledged', 'handled', 'closed')),
  outcome text check (outcome in ('fixed', 'invalid', 'duplicate')),
  merged_into uuid references reports(id),
  campaign_id uuid references report_campaigns(id),
  department_id uuid references departments(id),
  street_code text,
  routing_rule_id uuid,
  deadline_at timestamptz,
  flags text[] not null default '{}',
  follower_count integer not null default 0,
  submitted_at timestamptz not null,
  handled_at timestamptz,
  closed_at timestamptz,
  closed_on_time boolean,
  feedback text check (feedback in ('confirmed', 'disputed')),
  feedback_deadline timestamptz,
  reopen_count integer not null default 0,
  points_granted integer not null default 0,
  points_transaction_id uuid,
  clawed_back_at timestamptz,
  updated_at timestamptz not null,
  version integer not null default 1
);
create unique index reports_client_uq on reports (reporter_worker_id, client_id) where client_id is not null;
create index reports_city_status_idx on reports (city_code, status, submitted_at desc);
create index reports_reporter_idx on reports (reporter_worker_id, submitted_at desc);
create index reports_department_idx on reports (department_id, status);
create index reports_area_idx on reports (city_code, area_code text_pattern_ops);
create index reports_geo_idx on reports using gist (ll_to_earth(lat, lon));
create index reports_campaign_idx on reports (campaign_id) where campaign_id is not null;

-- Photos are uploaded before the report is sent (report_id null until then; unattached ones are purged).
create table report_photos (
  id uuid primary key,
  city_code text not null,
  report_id uuid references reports(id),
  uploader_kind text not null check (uploader_kind in ('worker', 'staff', 'open311')),
  uploader_id text not null,
  kind text not null check (kind in ('before', 'after')),
  sort integer not null default 0,
  public_key text not null,
  private_key text not null,
  width integer not null,
  height integer not null,
  -- 64-bit perceptual hash (hex), for photos reused across reports
  phash text not null,
  created_at timestamptz not null
);
create index report_photos_report_idx on report_photos (report_id);
create index report_photos_unattached_idx on report_photos (created_at) where report_id is null;
create index report_photos_phash_idx on report_photos (phash);

-- "Me too": workers following a report instead of filing a duplicate (and reporters of merged duplicates).
create table report_followers (
  report_id uuid not null references reports(id),
  worker_id uuid not null references workers(id),
  via text not null default 'me_too' check (via in ('me_too', 'merged')),
  created_at timestamptz not null,
  primary key (report_id, worker_id)
);
create index report_followers_worker_idx on report_followers (worker_id);

-- The typed timeline. public: shown to the reporter and followers (and as Open311 notes).
create table report_events (
  id bigint generated always as identity primary key,
  report_id uuid not null references reports(id),
  at timestamptz not null,
  type text not null,
  actor_kind text not null check (actor_kind in ('worker', 'staff', 'system', 'open311')),
  actor_id text,
  public boolean not null default true,
  data jsonb not null default '{}'::jsonb
);
create index report_events_report_idx on report_events (report_id, id);

-- Work orders (交办). One current order per report; a returned or reassigned order is kept as history.
create table report_orders (
  id uuid primary key,
  report_id uuid not null references reports(id),
  city_code text not null,
  department_id uuid not null references departments(id),
  street_code text,
  co_department_ids uuid[] not null default '{}',
  status text not null check (status in ('dispatched', 'acknowledged', 'returned', 'handled', 'superseded')),
  current boolean not null default true,
  dispatched_at timestamptz not null,
  dispatched_by text not null,
  deadline_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  returned_at timestamptz,
  returned_by uuid,
  return_reason text,
  extension_days integer,
  extension_reason text,
  extension_status text check (extension_status in ('pending', 'approved', 'rejected')),
  extension_requested_by uuid,
  handled_at timestamptz,
  handled_by uuid,
  result text,
  reminded_at timestamptz,
  escalated_at timestamptz
);
create unique index report_orders_current_uq on report_orders (report_id) where current;
create index report_orders_dept_idx on report_orders (department_id, status) where current;
create index report_orders_deadline_idx on report_orders (deadline_at) where current and status in ('dispatched', 'acknowledged');
