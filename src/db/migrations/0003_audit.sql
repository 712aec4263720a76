-- Append-only audit log: every staff action and every read of personal data.
create table audit_log (
  id bigint generated always as identity primary key,
  city_code text not null,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('staff', 'worker', 'system', 'anonymous')),
  actor_id uuid,
  actor_label text,
  action text not null,
  target_kind text,
  target_id text,
  outcome text not null check (outcome in ('success', 'denied', 'failure')),
  ip text,
  request_id text,
  detail jsonb not null default '{}'::jsonb
);
create index audit_log_city_at_idx on audit_log (city_code, at desc);
create index audit_log_actor_idx on audit_log (actor_id, at desc);
create index audit_log_target_idx on audit_log (target_kind, target_id, at desc);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
