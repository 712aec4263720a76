-- The reviewer's username at the time of review, so the queue can show who decided without reading
-- the staff module's tables (reviewed_by keeps the staff id).
alter table worker_verifications add column reviewed_by_label text;
