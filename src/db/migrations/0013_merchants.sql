-- Merchant certification (进管出): application → review (inspection) → certification, then complaints,
-- warnings, suspension and exit. The contact person's name and phone are personal data: encrypted.
create table merchant_certifications (
  id uuid primary key,
  city_code text not null,
  -- the place's area when the application was made: the scope staff act in
  area_code text not null,
  place_id bigint not null references places (id),
  uscc text not null check (uscc ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
  legal_name text not null,
  contact_name_enc text not null,
  contact_phone_enc text not null,
  state text not null check (state in ('applied', 'reviewed', 'certified', 'rejected', 'suspended', 'exited')),
  applied_at timestamptz not null,
  reviewed_at timestamptz,
  certified_at timestamptz,
  suspended_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null,
  created_by text
);
-- One open record per code and per place; rejected and exited ones are history.
create unique index merchant_certifications_uscc_uq on merchant_certifications (city_code, uscc) where state not in ('rejected', 'exited');
create unique index merchant_certifications_place_uq on merchant_certifications (place_id) where state not in ('rejected', 'exited');
create index merchant_certifications_queue_idx on merchant_certifications (city_code, state, area_code text_pattern_ops, applied_at);
create index merchant_certifications_legal_name_trgm_idx on merchant_certifications using gin (legal_name gin_trgm_ops);

create table merchant_events (
  id uuid primary key,
  -- the timeline's order (several events may share a timestamp)
  seq bigint generated always as identity,
  certification_id uuid not null references merchant_certifications (id),
  city_code text not null,
  kind text not null check (kind in ('applied', 'reviewed', 'rejected', 'certified', 'complaint', 'warning', 'suspended', 'reinstated', 'exited')),
  note text,
  -- made by a rule (three warnings suspend), not by a person's decision
  automatic boolean not null default false,
  actor_id text,
  actor_name text not null,
  at timestamptz not null
);
create index merchant_events_certification_idx on merchant_events (certification_id, seq);
create index merchant_events_kind_idx on merchant_events (certification_id, kind, seq);
