-- Unread badges are read on every page load of the apps: count a recipient's unread messages from a
-- small partial index instead of walking their whole inbox.
create index notifications_unread_idx on notifications (recipient_kind, recipient_id) where read_at is null;
