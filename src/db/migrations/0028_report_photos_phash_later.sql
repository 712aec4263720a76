-- A report photo's perceptual hash is made with its public copy, after the upload is acknowledged (one
-- decode of the photo instead of two): until then, and for a photo that cannot be decoded, it is null.
alter table report_photos alter column phash drop not null;
