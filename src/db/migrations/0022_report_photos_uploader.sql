-- 随手拍: the photo upload rate limit counts an uploader's photos of the last hour on every upload;
-- without this index that was a scan of every photo ever stored.
create index report_photos_uploader_idx on report_photos (uploader_kind, uploader_id, created_at);
