-- Places (甬爱场景): one registry for every type. Coordinates are WGS-84, rounded to 7 decimals (1 cm)
-- so the in-memory nearby index (int32 at 1e-7°) holds them exactly.
create sequence place_change_seq;

create table places (
  id bigint generated always as identity primary key,
  city_code text not null,
  area_code text not null,
  type text not null,
  name text not null,
  address text not null,
  lon double precision not null,
  lat double precision not null,
  phone text,
  hours text,
  services text[] not null default '{}',
  description text,
  access jsonb,
  gates jsonb not null default '[]',
  details jsonb not null default '{}',
  status text not null default 'draft' check (status in ('draft', 'active', 'suspended', 'closed')),
  -- merchants only: certified through 进管出 (set by the merchants module through the places service)
  certified boolean not null default false,
  -- what workers and the public see
  listed boolean generated always as (status = 'active' and (type <> 'merchant' or certified)) stored,
  -- friendliness (compounds, buildings): 0–100 over the last 180 days of ratings, kept by the places service
  score smallint,
  score_count integer not null default 0,
  version integer not null default 1,
  -- bumped on every insert/update: the nearby index follows the table by it
  change_seq bigint not null default nextval('place_change_seq'),
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (lon between -180 and 180 and lat between -90 and 90)
);

create function places_bump_change_seq() returns trigger language plpgsql as $$
begin
  new.change_seq := nextval('place_change_seq');
  return new;
end $$;
create trigger places_change_seq before update on places for each row execute function places_bump_change_seq();

-- SQL k-nearest-neighbour (the source of truth and the index's fallback): city + distance, listed only.
create index places_knn_idx on places using gist (city_code, ll_to_earth(lat, lon)) where listed;
create index places_change_seq_idx on places (change_seq);
create index places_admin_idx on places (city_code, area_code text_pattern_ops, type, status);
create index places_score_idx on places (city_code, score) where score is not null;
create index places_name_trgm_idx on places using gin (name gin_trgm_ops);

create table place_status_history (
  id bigint generated always as identity primary key,
  place_id bigint not null references places (id),
  from_status text,
  to_status text not null,
  reason text,
  actor_kind text not null,
  actor_id text,
  actor_name text not null,
  at timestamptz not null
);
create index place_status_history_place_idx on place_status_history (place_id, at);

create table place_photos (
  id uuid primary key,
  place_id bigint not null references places (id),
  public_key text not null,
  original_key text not null,
  position integer not null default 0,
  created_at timestamptz not null
);
create index place_photos_place_idx on place_photos (place_id, position);

-- A rider's two-tap rating of a compound or building after a delivery: one per rider, place and day.
create table place_ratings (
  id uuid primary key,
  place_id bigint not null references places (id),
  city_code text not null,
  worker_id uuid not null,
  day date not null,
  entry_minutes text not null check (entry_minutes in ('lt2', '2to5', '5to10', 'gt10')),
  let_in boolean not null,
  parking text not null check (parking in ('easy', 'hard', 'none')),
  created_at timestamptz not null,
  unique (place_id, worker_id, day)
);
create index place_ratings_place_idx on place_ratings (place_id, created_at);
