-- Points (积分): a double-entry ledger. Every movement is a transaction whose entries sum to zero;
-- entries are immutable; an account's balance is the sum of its entries, kept on the account row in
-- the same database transaction as the entries (a drift check recomputes it).
create table points_accounts (
  id uuid primary key,
  city_code text not null,
  kind text not null check (kind in ('worker', 'sponsor', 'system')),
  -- worker id, sponsor id, or a system purpose: issuance (points created), redemption (spent), expiry
  owner_id text not null,
  balance bigint not null default 0,
  -- only system accounts may go below zero (issuance is the source of awarded points)
  allow_negative boolean not null default false,
  created_at timestamptz not null,
  unique (city_code, kind, owner_id),
  check (allow_negative or balance >= 0)
);

create table points_transactions (
  id uuid primary key,
  city_code text not null,
  kind text not null check (kind in ('award', 'budget', 'redeem', 'refund', 'clawback', 'expire', 'adjust')),
  reason text not null,
  source_type text,
  source_id text,
  -- a retried award is one award: the caller's key, unique per city
  idempotency_key text not null,
  -- what was asked, to tell a retry from a different request reusing the key
  request_hash text not null,
  reverses uuid references points_transactions (id),
  created_by text,
  created_at timestamptz not null,
  unique (city_code, idempotency_key)
);
create index points_transactions_source_idx on points_transactions (source_type, source_id);
create unique index points_transactions_one_reversal_uq on points_transactions (reverses) where reverses is not null;

create table points_entries (
  id bigint generated always as identity primary key,
  transaction_id uuid not null references points_transactions (id),
  account_id uuid not null references points_accounts (id),
  amount bigint not null check (amount <> 0),
  created_at timestamptz not null
);
create index points_entries_account_idx on points_entries (account_id, id);
create index points_entries_transaction_idx on points_entries (transaction_id);

create function points_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'points ledger rows are immutable (%)', tg_table_name;
end $$;
create trigger points_transactions_immutable before update or delete on points_transactions
  for each row execute function points_refuse_change();
create trigger points_entries_immutable before update or delete on points_entries
  for each row execute function points_refuse_change();
create trigger points_transactions_no_truncate before truncate on points_transactions
  for each statement execute function points_refuse_change();
create trigger points_entries_no_truncate before truncate on points_entries
  for each statement execute function points_refuse_change();
