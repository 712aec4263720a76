import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AppealType } from '../../contracts/appeals.js';
import type { LibraryKind, LibraryStatus, ModelContractBody, RevisionStatus, TypicalCaseBody } from '../../contracts/library.js';

export interface RevisionBody {
  typicalCase?: TypicalCaseBody;
  modelContract?: ModelContractBody;
}

export interface LibraryEntriesTable {
  id: string;
  city_code: string;
  kind: LibraryKind;
  status: LibraryStatus;
  published_revision_id: string | null;
  draft_revision_id: string | null;
  seed_key: string | null;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  version: number;
}

export interface LibraryRevisionsTable {
  id: string;
  entry_id: string;
  number: number;
  status: RevisionStatus;
  title: string;
  summary: string;
  appeal_types: AppealType[];
  area_code: string | null;
  body: ColumnType<RevisionBody, string, string>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
}

type Tables = {
  library_entries: LibraryEntriesTable;
  library_revisions: LibraryRevisionsTable;
};

export type EntryRow = Selectable<LibraryEntriesTable>;
export type RevisionRow = Selectable<LibraryRevisionsTable>;

export interface NewRevision {
  id: string;
  entry_id: string;
  number: number;
  title: string;
  summary: string;
  appeal_types: AppealType[];
  area_code: string | null;
  body: RevisionBody;
  at: Date;
  by: string | null;
}

export interface ListFilter {
  cityCode: string;
  q?: string;
  kind?: LibraryKind;
  appealType?: AppealType;
  limit: number;
  offset: number;
}

/** '%…%' for ILIKE with the reader's %, _ and \ taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Every SQL statement on library_entries and library_revisions. */
export function createLibraryRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  const revisionColumns = ['id', 'entry_id', 'number', 'status', 'title', 'summary', 'appeal_types', 'area_code', 'body', 'created_at', 'created_by', 'updated_at', 'published_at', 'published_by'] as const;

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    async insertEntry(row: { id: string; city_code: string; kind: LibraryKind; seed_key: string | null; at: Date; by: string | null }, trx: Db): Promise<void> {
      await on(trx)
        .insertInto('library_entries')
        .values({ id: row.id, city_code: row.city_code, kind: row.kind, status: 'draft', published_revision_id: null, draft_revision_id: null, seed_key: row.seed_key, created_at: row.at, created_by: row.by, updated_at: row.at, version: 1 })
        .execute();
    },

    async entry(id: string, trx?: Db): Promise<EntryRow | undefined> {
      return on(trx).selectFrom('library_entries').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async entryForUpdate(id: string, trx: Db): Promise<EntryRow | undefined> {
      return on(trx).selectFrom('library_entries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    async entryBySeedKey(cityCode: string, seedKey: string, trx?: Db): Promise<EntryRow | undefined> {
      return on(trx).selectFrom('library_entries').selectAll().where('city_code', '=', cityCode).where('seed_key', '=', seedKey).executeTakeFirst();
    },

    /** Sets the entry's columns and bumps its version. */
    async updateEntry(id: string, set: Partial<Pick<EntryRow, 'status' | 'published_revision_id' | 'draft_revision_id'>> & { updated_at: Date }, trx: Db): Promise<void> {
      await on(trx)
        .updateTable('library_entries')
        .set({ ...set, version: sql<number>`version + 1` })
        .where('id', '=', id)
        .execute();
    },

    async insertRevision(r: NewRevision, trx: Db): Promise<void> {
      await on(trx)
        .insertInto('library_revisions')
        .values({
          id: r.id,
          entry_id: r.entry_id,
          number: r.number,
          status: 'draft',
          title: r.title,
          summary: r.summary,
          appeal_types: r.appeal_types,
          area_code: r.area_code,
          body: JSON.stringify(r.body),
          created_at: r.at,
          created_by: r.by,
          updated_at: r.at,
          published_at: null,
          published_by: null,
        })
        .execute();
    },

    async updateDraft(id: string, r: Pick<NewRevision, 'title' | 'summary' | 'appeal_types' | 'area_code' | 'body' | 'at'>, trx: Db): Promise<void> {
      await on(trx)
        .updateTable('library_revisions')
        .set({ title: r.title, summary: r.summary, appeal_types: r.appeal_types, area_code: r.area_code, body: JSON.stringify(r.body), updated_at: r.at })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .execute();
    },

    async setRevisionStatus(id: string, status: RevisionStatus, published: { at: Date; by: string | null } | null, trx: Db): Promise<void> {
      await on(trx)
        .updateTable('library_revisions')
        .set(published ? { status, published_at: published.at, published_by: published.by } : { status })
        .where('id', '=', id)
        .execute();
    },

    async revision(id: string, trx?: Db): Promise<RevisionRow | undefined> {
      return on(trx).selectFrom('library_revisions').select(revisionColumns).where('id', '=', id).executeTakeFirst();
    },

    async revisionByNumber(entryId: string, number: number, trx?: Db): Promise<RevisionRow | undefined> {
      return on(trx).selectFrom('library_revisions').select(revisionColumns).where('entry_id', '=', entryId).where('number', '=', number).executeTakeFirst();
    },

    async revisions(entryId: string, trx?: Db): Promise<RevisionRow[]> {
      return on(trx).selectFrom('library_revisions').select(revisionColumns).where('entry_id', '=', entryId).orderBy('number', 'desc').execute();
    },

    async lastRevisionNumber(entryId: string, trx: Db): Promise<number> {
      const r = await on(trx).selectFrom('library_revisions').select(sql<number>`coalesce(max(number), 0)::int`.as('n')).where('entry_id', '=', entryId).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Published entries with their published revision, newest first. */
    async listPublished(f: ListFilter): Promise<{ rows: (RevisionRow & { kind: LibraryKind })[]; total: number }> {
      let q = on()
        .selectFrom('library_entries as e')
        .innerJoin('library_revisions as r', 'r.id', 'e.published_revision_id')
        .where('e.city_code', '=', f.cityCode)
        .where('e.status', '=', 'published');
      if (f.kind) q = q.where('e.kind', '=', f.kind);
      if (f.appealType) q = q.where(sql<boolean>`${f.appealType} = any(r.appeal_types)`);
      if (f.q) q = q.where(sql<boolean>`(r.title || ' ' || r.summary) ilike ${containing(f.q)}`);
      const rows = await q
        .select(['e.kind', 'r.id', 'r.entry_id', 'r.number', 'r.status', 'r.title', 'r.summary', 'r.appeal_types', 'r.area_code', 'r.body', 'r.created_at', 'r.created_by', 'r.updated_at', 'r.published_at', 'r.published_by'])
        .select(sql<number>`count(*) over ()`.as('total'))
        .orderBy('r.published_at', 'desc')
        .orderBy('e.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      return { rows, total: rows.length ? Number(rows[0]!.total) : f.offset > 0 ? await this.countPublished(f) : 0 };
    },

    async countPublished(f: ListFilter): Promise<number> {
      let q = on()
        .selectFrom('library_entries as e')
        .innerJoin('library_revisions as r', 'r.id', 'e.published_revision_id')
        .where('e.city_code', '=', f.cityCode)
        .where('e.status', '=', 'published');
      if (f.kind) q = q.where('e.kind', '=', f.kind);
      if (f.appealType) q = q.where(sql<boolean>`${f.appealType} = any(r.appeal_types)`);
      if (f.q) q = q.where(sql<boolean>`(r.title || ' ' || r.summary) ilike ${containing(f.q)}`);
      const r = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Every entry of the city for editors, with its newest revision (the draft when there is one). */
    async listForEditors(f: ListFilter & { status?: LibraryStatus }): Promise<{ rows: (EntryRow & { title: string; appeal_types: AppealType[]; revision: number; published_at: Date | null; total: number })[]; total: number }> {
      let q = on()
        .selectFrom('library_entries as e')
        .innerJoin('library_revisions as r', (j) => j.on(sql<boolean>`r.id = coalesce(e.draft_revision_id, e.published_revision_id)`))
        .leftJoin('library_revisions as p', 'p.id', 'e.published_revision_id')
        .where('e.city_code', '=', f.cityCode);
      if (f.status) q = q.where('e.status', '=', f.status);
      if (f.kind) q = q.where('e.kind', '=', f.kind);
      if (f.appealType) q = q.where(sql<boolean>`${f.appealType} = any(r.appeal_types)`);
      if (f.q) q = q.where(sql<boolean>`(r.title || ' ' || r.summary) ilike ${containing(f.q)}`);
      const rows = await q
        .selectAll('e')
        .select(['r.title', 'r.appeal_types', 'r.number as revision', 'p.published_at'])
        .select(sql<number>`count(*) over ()`.as('total'))
        .orderBy('e.updated_at', 'desc')
        .orderBy('e.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      if (rows.length || f.offset === 0) return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
      // past the last page: still say how many there are, so the pager can step back
      const n = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      return { rows, total: Number(n.n) };
    },
  };
}
export type LibraryRepository = ReturnType<typeof createLibraryRepository>;
