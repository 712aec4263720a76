-- 专项治理 deadlines as durable jobs: the owner is reminded remind_working_days working days before the
-- deadline (0: on the day itself), and once it is overdue the owner and the operators over the area are
-- told (督办). The sweeps mark these columns in the same transaction as they decide, so each message
-- goes once, across processes and restarts.
alter table report_campaigns add column remind_working_days integer not null default 1 check (remind_working_days between 0 and 10);
alter table report_campaigns add column reminded_at timestamptz;
alter table report_campaigns add column escalated_at timestamptz;
create index report_campaigns_open_deadline_idx on report_campaigns (deadline) where status = 'open';
