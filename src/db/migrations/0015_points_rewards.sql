-- Rewards (兑换) offered by merchants and sponsors, and the orders workers place for them.
create table points_rewards (
  id uuid primary key,
  city_code text not null,
  title text not null,
  description text,
  cost integer not null check (cost > 0),
  stock integer not null check (stock >= 0),
  per_worker_limit integer check (per_worker_limit is null or per_worker_limit > 0),
  valid_from timestamptz,
  valid_until timestamptz,
  -- where the worker picks it up (a merchant place); the pass scan at that place completes the order
  place_id bigint,
  sponsor_id text,
  status text not null default 'active' check (status in ('active', 'paused', 'ended')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index points_rewards_city_idx on points_rewards (city_code, status);

create table points_orders (
  id uuid primary key,
  city_code text not null,
  reward_id uuid not null references points_rewards (id),
  worker_id uuid not null,
  cost integer not null,
  status text not null check (status in ('awaiting_pickup', 'completed', 'cancelled', 'expired')),
  redeem_tx uuid not null,
  refund_tx uuid,
  idempotency_key text not null,
  created_at timestamptz not null,
  completed_at timestamptz,
  closed_reason text,
  unique (city_code, idempotency_key)
);
create index points_orders_worker_idx on points_orders (worker_id, created_at desc);
create index points_orders_reward_idx on points_orders (reward_id, worker_id);
