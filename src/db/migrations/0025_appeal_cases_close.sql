-- 专班: a collective case is closed with a summary by whoever closed it; the member appeals keep their
-- own records and outcomes.
alter table appeal_cases add column summary text;
alter table appeal_cases add column closed_by uuid;
