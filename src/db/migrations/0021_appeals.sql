-- 诉求 appeals (甬爱热线, 法帮新, 一站式调解): the appeals with their typed timeline, the "1+2+3"
-- assignment rules and assignees, the evidence locker, mediation (sessions, agreement, payments),
-- collective cases (专班) and the per-city deadline settings. Amounts are integer fen.

create sequence appeals_code_seq;

-- Per-city deadlines: acknowledge (签收) within ack_hours; resolve within resolve_days[type] working days.
create table appeal_settings (
  city_code text primary key,
  ack_hours integer not null default 24 check (ack_hours between 1 and 720),
  ack_remind_hours_before integer not null default 4 check (ack_remind_hours_before between 0 and 720),
  resolve_remind_hours_before integer not null default 24 check (resolve_remind_hours_before between 0 and 720),
  -- { "wage_arrears": 10, ... } working days; types not listed use the defaults in the contracts
  resolve_days jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null,
  updated_by text
);

-- "1+2+3": type × area prefix → the platform station head, the street's new-employment officer and the
-- industry department's officer (staff accounts). type null = any type.
create table appeal_rules (
  id uuid primary key,
  city_code text not null,
  type text,
  area_prefix text not null,
  station_head_id uuid,
  street_officer_id uuid,
  industry_officer_id uuid,
  department_id uuid references departments(id),
  priority integer not null default 0,
  active boolean not null default true,
  note text not null default '',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  updated_by text
);
create index appeal_rules_city_idx on appeal_rules (city_code, active);

-- 专班: several appeals against one respondent handled by one task force.
create table appeal_cases (
  id uuid primary key,
  city_code text not null,
  code text not null unique,
  title text not null,
  respondent_name text not null,
  respondent_uscc text,
  area_code text not null,
  lead_staff_id uuid not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  created_at timestamptz not null,
  created_by uuid not null,
  closed_at timestamptz
);
create index appeal_cases_city_idx on appeal_cases (city_code, status);

create table appeal_case_members (
  case_id uuid not null references appeal_cases(id),
  staff_id uuid not null,
  role text not null,
  added_at timestamptz not null,
  added_by uuid not null,
  primary key (case_id, staff_id)
);
create index appeal_case_members_staff_idx on appeal_case_members (staff_id);

-- An appeal. status: submitted → acknowledged → in_progress (↔ mediating) → resolved → closed.
create table appeals (
  id uuid primary key,
  city_code text not null,
  code text not null unique,
  type text not null,
  channel text not null check (channel in ('app', 'hotline', 'walk_in')),
  worker_id uuid references workers(id),
  -- 'worker:<id>' or 'staff:<id>': whose clientId this is (a retried submission never duplicates)
  submitter_key text not null,
  client_id text,
  -- hotline / walk-in callers: encrypted phone and name, HMAC blind index of the normalised phone
  caller_phone_enc text,
  caller_phone_hash text,
  caller_name_enc text,
  recorded_by uuid,
  respondent_kind text not null check (respondent_kind in ('company', 'agency', 'platform', 'station', 'other')),
  respondent_name text not null,
  respondent_uscc text,
  amount_claimed_fen bigint not null default 0 check (amount_claimed_fen >= 0),
  description text not null,
  area_code text not null,
  status text not null check (status in ('submitted', 'acknowledged', 'in_progress', 'mediating', 'resolved', 'closed')),
  rule_id uuid,
  department_id uuid,
  case_id uuid references appeal_cases(id),
  submitted_at timestamptz not null,
  ack_deadline_at timestamptz not null,
  resolve_deadline_at timestamptz not null,
  acknowledged_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  resolved_on_time boolean,
  outcome text check (outcome in ('recovered', 'agreement', 'referred', 'answered', 'not_supported', 'withdrawn')),
  resolution text,
  referral_kind text check (referral_kind in ('arbitration', 'court')),
  referral_ref text,
  recovered_fen bigint not null default 0,
  return_visit_method text check (return_visit_method in ('phone', 'app')),
  return_visit_at timestamptz,
  satisfaction text check (satisfaction in ('satisfied', 'basically_satisfied', 'dissatisfied')),
  satisfaction_reason text,
  reopen_count integer not null default 0,
  ack_reminded_at timestamptz,
  ack_escalated_at timestamptz,
  resolve_reminded_at timestamptz,
  resolve_escalated_at timestamptz,
  updated_at timestamptz not null,
  version integer not null default 1
);
create unique index appeals_client_uq on appeals (submitter_key, client_id) where client_id is not null;
create index appeals_worker_idx on appeals (worker_id, submitted_at desc);
create index appeals_caller_unlinked_idx on appeals (city_code, caller_phone_hash) where worker_id is null;
create index appeals_city_status_idx on appeals (city_code, status, submitted_at desc);
create index appeals_area_idx on appeals (city_code, area_code text_pattern_ops);
create index appeals_case_idx on appeals (case_id) where case_id is not null;
create index appeals_ack_due_idx on appeals (ack_deadline_at) where status = 'submitted';
create index appeals_resolve_due_idx on appeals (resolve_deadline_at) where status in ('submitted', 'acknowledged', 'in_progress', 'mediating');

-- The typed timeline. public: shown to the worker.
create table appeal_events (
  id bigint generated always as identity primary key,
  appeal_id uuid not null references appeals(id),
  at timestamptz not null,
  type text not null,
  actor_kind text not null check (actor_kind in ('worker', 'staff', 'system')),
  actor_id text,
  public boolean not null default true,
  data jsonb not null default '{}'::jsonb
);
create index appeal_events_appeal_idx on appeal_events (appeal_id, id);

-- The people on an appeal: the "1+2+3" leads and the collaborators staff add. removed_at keeps history.
create table appeal_assignees (
  id uuid primary key,
  appeal_id uuid not null references appeals(id),
  staff_id uuid not null,
  role text not null check (role in ('station_head', 'street_officer', 'industry_officer', 'grid_worker', 'community_police', 'union_social_worker', 'lawyer', 'mediator')),
  added_at timestamptz not null,
  added_by text,
  removed_at timestamptz
);
create unique index appeal_assignees_active_uq on appeal_assignees (appeal_id, staff_id, role) where removed_at is null;
create index appeal_assignees_staff_idx on appeal_assignees (staff_id) where removed_at is null;

-- The evidence locker: the original bytes in storage, their SHA-256 and size, checked type.
create table appeal_evidence (
  id uuid primary key,
  appeal_id uuid not null references appeals(id),
  city_code text not null,
  kind text not null check (kind in ('screenshot', 'photo', 'schedule', 'attendance', 'contract', 'payslip', 'document', 'other')),
  content_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  storage_key text not null,
  note text not null default '',
  taken_at timestamptz,
  uploaded_at timestamptz not null,
  uploader_kind text not null check (uploader_kind in ('worker', 'staff')),
  uploader_id text not null
);
create index appeal_evidence_appeal_idx on appeal_evidence (appeal_id, uploaded_at);

create table appeal_mediation_sessions (
  id uuid primary key,
  appeal_id uuid not null references appeals(id),
  held_at timestamptz not null,
  place text not null,
  participants text[] not null default '{}',
  notes text not null default '',
  recorded_by uuid not null,
  created_at timestamptz not null
);
create index appeal_mediation_sessions_idx on appeal_mediation_sessions (appeal_id, held_at);

-- One mediation agreement per appeal; instalments: [{ "dueDate": "YYYY-MM-DD", "amountFen": n }].
create table appeal_agreements (
  appeal_id uuid primary key references appeals(id),
  total_fen bigint not null check (total_fen > 0),
  instalments jsonb not null,
  terms text not null default '',
  signed_on date not null,
  recorded_by uuid not null,
  created_at timestamptz not null
);

create table appeal_payments (
  id uuid primary key,
  appeal_id uuid not null references appeals(id),
  amount_fen bigint not null check (amount_fen > 0),
  paid_on date not null,
  note text not null default '',
  recorded_by uuid not null,
  created_at timestamptz not null
);
create index appeal_payments_appeal_idx on appeal_payments (appeal_id);
