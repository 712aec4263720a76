-- An editor may discard a draft of changes to a published entry: the revision stays in the history as
-- 'discarded' (every revision is kept) and readers keep the published one.
alter table library_revisions drop constraint library_revisions_status_check;
alter table library_revisions add constraint library_revisions_status_check check (status in ('draft', 'published', 'superseded', 'discarded'));
