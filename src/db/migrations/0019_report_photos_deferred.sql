-- 随手拍 photos are acknowledged once the checked original is stored; the public copy (re-encoded,
-- no EXIF/GPS) is made right after by a durable sweep, or on first view. processed_at is when it was
-- made (null: not yet). Photos stored before this migration have theirs.
alter table report_photos add column processed_at timestamptz;
update report_photos set processed_at = created_at;
create index report_photos_unprocessed_idx on report_photos (created_at) where processed_at is null;
