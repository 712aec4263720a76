-- 随手拍: the "photo reused" check compared a new photo's hash with every attached photo of the city
-- from the last 90 days — a scan that grows with the city. The 64-bit hash is split into four 16-bit
-- bands (generated, so no writer has to fill them). Two hashes within 7 bits differ in at most one
-- bit in at least one band (pigeonhole), so the check looks up each band's value and its 16 one-bit
-- neighbours in these indexes and measures the full distance only on what they return.
alter table report_photos
  add column ph0 integer generated always as (('x' || substr(phash, 1, 4))::bit(16)::integer) stored,
  add column ph1 integer generated always as (('x' || substr(phash, 5, 4))::bit(16)::integer) stored,
  add column ph2 integer generated always as (('x' || substr(phash, 9, 4))::bit(16)::integer) stored,
  add column ph3 integer generated always as (('x' || substr(phash, 13, 4))::bit(16)::integer) stored;
create index report_photos_ph0_idx on report_photos (ph0) where report_id is not null;
create index report_photos_ph1_idx on report_photos (ph1) where report_id is not null;
create index report_photos_ph2_idx on report_photos (ph2) where report_id is not null;
create index report_photos_ph3_idx on report_photos (ph3) where report_id is not null;
-- only the banded lookups used it
drop index if exists report_photos_phash_idx;
