-- Departments (部门) and staff accounts with a role and an area scope.
create table departments (
  id uuid primary key,
  city_code text not null,
  code text not null,
  name_zh text not null,
  name_en text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index departments_code_uq on departments (city_code, code);

create table staff (
  id uuid primary key,
  city_code text not null,
  username text not null,
  display_name text not null,
  password_hash text not null,
  role text not null check (role in ('operator', 'reviewer', 'handler', 'hotline_agent', 'mediator', 'grid_worker', 'scanner')),
  area_code text not null references areas(code),
  active boolean not null default true,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index staff_username_uq on staff (lower(username));
create index staff_city_area_idx on staff (city_code, area_code);

create table staff_departments (
  staff_id uuid not null references staff(id) on delete cascade,
  department_id uuid not null references departments(id),
  primary key (staff_id, department_id)
);
