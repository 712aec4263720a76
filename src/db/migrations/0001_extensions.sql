-- Extensions used across the platform; all ship with PGlite and stock PostgreSQL.
create extension if not exists cube;
create extension if not exists earthdistance;
create extension if not exists pg_trgm;
create extension if not exists btree_gist;
