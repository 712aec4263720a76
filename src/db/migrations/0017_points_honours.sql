-- Points (积分), continued: earning rules and their caps, per-city settings (expiry, pickup window,
-- 城市合伙人 thresholds), sponsors with budgets, 微光榜 stories, city partners, and the roll-ups the
-- caps, leaderboard and titles read. The ledger itself stays in points_transactions / points_entries.

-- Rewards: what kind of reward, the area it belongs to (staff scope; null = the whole city).
alter table points_rewards add column category text not null default 'goods'
  check (category in ('meal', 'goods', 'service', 'discount'));
alter table points_rewards add column area_code text;
-- Orders: when an unclaimed order expires (set at redemption), and who completed the pickup where.
alter table points_orders add column pickup_deadline timestamptz;
alter table points_orders add column completed_by text;
alter table points_orders add column completed_place_id bigint;
create index points_orders_pickup_due_idx on points_orders (pickup_deadline) where status = 'awaiting_pickup';
create index points_orders_worker_status_idx on points_orders (worker_id, status);

-- The admin ledger lists a city's transactions by month.
create index points_transactions_city_time_idx on points_transactions (city_code, created_at);

-- Earning rules, per city. A built-in code without a row uses its default (see the service).
create table points_rules (
  city_code text not null,
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  title text not null,
  points_per_unit integer not null check (points_per_unit >= 0),
  unit text not null,
  daily_cap integer check (daily_cap is null or daily_cap > 0),
  monthly_cap integer check (monthly_cap is null or monthly_cap > 0),
  active boolean not null,
  sponsor_id uuid,
  updated_at timestamptz not null,
  updated_by text,
  primary key (city_code, code)
);

-- Per-city settings (expiry, pickup window, leaderboard size, partner thresholds) as one document.
create table points_settings (
  city_code text primary key,
  settings jsonb not null,
  updated_at timestamptz not null,
  updated_by text
);

-- Every call of earn(): what was asked, what the rule and its caps granted (0 when capped or the
-- rule is off), and the ledger transaction. Unique key = the caller's idempotency key.
create table points_earnings (
  id uuid primary key,
  city_code text not null,
  worker_id uuid not null,
  rule_code text not null,
  units integer not null,
  requested integer not null,
  granted integer not null check (granted >= 0),
  outcome text not null check (outcome in ('granted', 'partial', 'capped', 'inactive')),
  reason text not null,
  source_type text,
  source_id text,
  idempotency_key text not null,
  request_hash text not null,
  transaction_id uuid,
  -- the Shanghai calendar day and month of the award (caps count by these)
  day date not null,
  month text not null,
  created_at timestamptz not null,
  unique (city_code, idempotency_key)
);
create index points_earnings_caps_idx on points_earnings (worker_id, rule_code, month, day);

-- Awards per worker per Shanghai month, with the worker's district: the leaderboard and "earned this month".
create table points_monthly (
  city_code text not null,
  month text not null,
  worker_id uuid not null,
  district_code text,
  points bigint not null default 0,
  primary key (city_code, month, worker_id)
);
create index points_monthly_rank_idx on points_monthly (city_code, month, district_code, points desc);

-- Running totals per worker for the 城市合伙人 thresholds.
create table points_worker_stats (
  city_code text not null,
  worker_id uuid not null,
  area_code text,
  lifetime_earned bigint not null default 0,
  approved_stories integer not null default 0,
  valid_reports integer not null default 0,
  updated_at timestamptz not null,
  primary key (city_code, worker_id)
);
create index points_worker_stats_earned_idx on points_worker_stats (city_code, lifetime_earned desc);

-- 城市合伙人: granted once (never re-granted automatically after a revocation).
create table points_partners (
  city_code text not null,
  worker_id uuid not null,
  area_code text,
  status text not null check (status in ('active', 'revoked')),
  granted_at timestamptz not null,
  stats jsonb not null,
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  primary key (city_code, worker_id)
);
create index points_partners_status_idx on points_partners (city_code, status, granted_at desc);

-- Sponsors (merchants, companies …) whose budget account funds rewards and earning rules.
create table points_sponsors (
  id uuid primary key,
  city_code text not null,
  area_code text not null,
  name text not null,
  kind text not null check (kind in ('merchant', 'company', 'organisation', 'individual')),
  contact_name_enc text not null,
  contact_phone_enc text not null,
  place_id bigint,
  created_at timestamptz not null,
  created_by text,
  unique (city_code, name)
);

-- 微光榜: good-deed stories, nominated by staff or by a signed-in worker, decided by an operator.
create table points_stories (
  id uuid primary key,
  city_code text not null,
  worker_id uuid not null,
  area_code text,
  title text not null,
  story text not null,
  nominated_by_kind text not null check (nominated_by_kind in ('staff', 'worker')),
  nominated_by_id text not null,
  nominated_by_label text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decision_note text,
  decided_by text,
  decided_at timestamptz,
  points integer,
  award_tx uuid,
  created_at timestamptz not null
);
create index points_stories_queue_idx on points_stories (city_code, status, created_at);
create index points_stories_worker_idx on points_stories (worker_id, status);
create index points_stories_nominator_idx on points_stories (nominated_by_id, created_at);
