-- Charging (充换电): operators push the live state of their swap cabinets (换电柜) through an API key.
-- Only the SHA-256 of a key is kept; its first 8 characters let staff and operators recognise it.
create table charging_operators (
  id uuid primary key,
  city_code text not null,
  name text not null,
  api_key_hash text not null,
  key_prefix text not null,
  disabled_at timestamptz,
  created_at timestamptz not null,
  rotated_at timestamptz
);
create unique index charging_operators_name_uq on charging_operators (city_code, lower(name));
create unique index charging_operators_key_hash_uq on charging_operators (api_key_hash);
create index charging_operators_key_prefix_idx on charging_operators (key_prefix);

-- One row per cabinet, updated in place by every heartbeat (the state is "as last reported").
create table swap_cabinets (
  id uuid primary key,
  city_code text not null,
  place_id bigint not null references places (id),
  operator_id uuid not null references charging_operators (id),
  external_id text not null,
  name text not null,
  slots integer not null check (slots between 1 and 1000),
  ready_batteries integer not null check (ready_batteries >= 0 and ready_batteries <= slots),
  online boolean not null,
  last_heartbeat_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (operator_id, external_id)
);
create index swap_cabinets_place_idx on swap_cabinets (place_id);
-- readyPlaceIds: a city's cabinets with a battery ready, by freshness.
create index swap_cabinets_ready_idx on swap_cabinets (city_code, last_heartbeat_at) where online and ready_batteries > 0;
create index swap_cabinets_city_idx on swap_cabinets (city_code, operator_id, name);
