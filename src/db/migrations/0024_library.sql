-- 典型案例与示范文本 (the library): entries and their revisions. An entry points at the revision readers
-- see (published_revision_id) and at the one editors work on (draft_revision_id); every revision is kept.
-- Bodies are structured text in jsonb (headings + paragraphs), never HTML.

create table library_entries (
  id uuid primary key,
  city_code text not null,
  kind text not null check (kind in ('typical_case', 'model_contract')),
  status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
  published_revision_id uuid,
  draft_revision_id uuid,
  -- a stable key for seeded entries, so a rerun of the demo seed finds them
  seed_key text,
  created_at timestamptz not null,
  created_by uuid,
  updated_at timestamptz not null,
  version integer not null default 1,
  check (status <> 'published' or published_revision_id is not null)
);
create index library_entries_city_idx on library_entries (city_code, status, kind);
create unique index library_entries_seed_key_idx on library_entries (city_code, seed_key) where seed_key is not null;

create table library_revisions (
  id uuid primary key,
  entry_id uuid not null references library_entries(id),
  number integer not null,
  status text not null check (status in ('draft', 'published', 'superseded')),
  title text not null,
  summary text not null,
  appeal_types text[] not null default '{}',
  area_code text,
  -- { "typicalCase": {...} } or { "modelContract": {...} }
  body jsonb not null,
  created_at timestamptz not null,
  created_by uuid,
  updated_at timestamptz not null,
  published_at timestamptz,
  published_by uuid,
  unique (entry_id, number)
);
-- at most one draft per entry
create unique index library_revisions_one_draft_idx on library_revisions (entry_id) where status = 'draft';
create index library_revisions_types_idx on library_revisions using gin (appeal_types);
-- keyword search in title and summary (pg_trgm from 0001)
create index library_revisions_search_idx on library_revisions using gin ((title || ' ' || summary) gin_trgm_ops);

alter table library_entries add constraint library_entries_published_fk foreign key (published_revision_id) references library_revisions(id);
alter table library_entries add constraint library_entries_draft_fk foreign key (draft_revision_id) references library_revisions(id);
