-- 法帮新 legal questions: a worker asks, a lawyer from the roster (律师库) answers within a deadline on the
-- working-day calendar; the thread keeps answers, requests for more information, replies, a follow-up and
-- declines. An answered question may become an appeal (appeal_id; made through the appeals service).

-- The staff role `lawyer` joins the roles.
alter table staff drop constraint if exists staff_role_check;
alter table staff add constraint staff_role_check check (role in ('operator', 'reviewer', 'handler', 'hotline_agent', 'mediator', 'grid_worker', 'scanner', 'lawyer'));

-- Per-city deadlines: answer within answer_days working days; remind remind_hours_before the deadline.
create table legal_settings (
  city_code text primary key,
  answer_days integer not null default 2 check (answer_days between 1 and 30),
  remind_hours_before integer not null default 4 check (remind_hours_before between 0 and 240),
  updated_at timestamptz not null,
  updated_by text
);

-- The roster: a lawyer's staff account and profile. specialities are appeal types; areas are GB/T 2260 prefixes.
create table legal_lawyers (
  staff_id uuid primary key,
  city_code text not null,
  law_firm text not null,
  specialities text[] not null default '{}',
  areas text[] not null default '{}',
  active boolean not null default true,
  max_open integer not null default 10 check (max_open between 1 and 500),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  updated_by text
);
create index legal_lawyers_city_idx on legal_lawyers (city_code, active);

create sequence legal_questions_code_seq;

create table legal_questions (
  id uuid primary key,
  city_code text not null,
  code text not null unique,
  worker_id uuid not null,
  client_id text not null,
  type text not null,
  question text not null,
  amount_fen bigint check (amount_fen is null or amount_fen >= 0),
  employer text,
  anonymous boolean not null default false,
  area_code text not null,
  status text not null check (status in ('unassigned', 'assigned', 'needs_info', 'answered')),
  lawyer_id uuid,
  assigned_at timestamptz,
  declined_by uuid[] not null default '{}',
  asked_at timestamptz not null,
  deadline_at timestamptz not null,
  first_answered_at timestamptz,
  answered_on_time boolean,
  rating text check (rating in ('helpful', 'not_helpful')),
  follow_up_used boolean not null default false,
  reminded_at timestamptz,
  escalated_at timestamptz,
  needs_reassign boolean not null default false,
  appeal_id uuid,
  appeal_linked_at timestamptz,
  updated_at timestamptz not null,
  unique (worker_id, client_id)
);
create index legal_questions_worker_idx on legal_questions (worker_id, asked_at desc);
create index legal_questions_lawyer_idx on legal_questions (lawyer_id, status);
create index legal_questions_open_idx on legal_questions (city_code, status, deadline_at);

create table legal_messages (
  id bigint generated always as identity primary key,
  question_id uuid not null references legal_questions(id),
  at timestamptz not null,
  kind text not null check (kind in ('question', 'answer', 'info_request', 'info_reply', 'follow_up', 'declined', 'assigned', 'reminded', 'escalated', 'rated', 'appeal')),
  author_kind text not null check (author_kind in ('worker', 'staff', 'system')),
  author_id uuid,
  body text not null default '',
  data jsonb not null default '{}'::jsonb
);
create index legal_messages_question_idx on legal_messages (question_id, id);
