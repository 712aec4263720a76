import { sql, type ColumnType, type GeneratedAlways, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AppealType } from '../../contracts/appeals.js';
import type { MessageKind, QuestionRating, QuestionStatus } from '../../contracts/legal.js';

type Json<T> = ColumnType<T, string, string>;

export interface LegalSettingsTable {
  city_code: string;
  answer_days: number;
  remind_hours_before: number;
  updated_at: Date;
  updated_by: string | null;
}

export interface LegalLawyersTable {
  staff_id: string;
  city_code: string;
  law_firm: string;
  specialities: string[];
  areas: string[];
  active: boolean;
  max_open: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface LegalQuestionsTable {
  id: string;
  city_code: string;
  code: string;
  worker_id: string;
  client_id: string;
  type: AppealType;
  question: string;
  amount_fen: number | null;
  employer: string | null;
  anonymous: boolean;
  area_code: string;
  status: QuestionStatus;
  lawyer_id: string | null;
  assigned_at: Date | null;
  declined_by: string[];
  asked_at: Date;
  deadline_at: Date;
  first_answered_at: Date | null;
  answered_on_time: boolean | null;
  rating: QuestionRating | null;
  follow_up_used: boolean;
  reminded_at: Date | null;
  escalated_at: Date | null;
  needs_reassign: boolean;
  appeal_id: string | null;
  appeal_linked_at: Date | null;
  updated_at: Date;
}

export interface LegalMessagesTable {
  id: GeneratedAlways<number>;
  question_id: string;
  at: Date;
  kind: MessageKind;
  author_kind: 'worker' | 'staff' | 'system';
  author_id: string | null;
  body: string;
  data: Json<Record<string, unknown>>;
}

type Tables = {
  legal_settings: LegalSettingsTable;
  legal_lawyers: LegalLawyersTable;
  legal_questions: LegalQuestionsTable;
  legal_messages: LegalMessagesTable;
};

export type QuestionRow = Selectable<LegalQuestionsTable>;
export type LawyerRow = Selectable<LegalLawyersTable>;
export type MessageRow = Selectable<LegalMessagesTable>;
export type SettingsRow = Selectable<LegalSettingsTable>;
export type NewMessageRow = Insertable<LegalMessagesTable>;

const OPEN: QuestionStatus[] = ['assigned', 'needs_info'];

export interface QuestionFilter {
  cityCode: string;
  areaPrefix?: string;
  lawyerId?: string;
  unassigned?: boolean;
  status?: QuestionStatus;
  type?: AppealType;
  overdueAt?: Date;
  needsReassign?: boolean;
}

export function createLegalRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  const num = (v: unknown) => Number(v);
  const fix = (r: QuestionRow | undefined): QuestionRow | undefined => (r ? { ...r, amount_fen: r.amount_fen === null ? null : num(r.amount_fen) } : undefined);

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---------------- settings ----------------
    async settings(cityCode: string): Promise<SettingsRow | undefined> {
      return on().selectFrom('legal_settings').selectAll().where('city_code', '=', cityCode).executeTakeFirst();
    },
    async putSettings(row: SettingsRow): Promise<void> {
      await on()
        .insertInto('legal_settings')
        .values(row)
        .onConflict((oc) => oc.column('city_code').doUpdateSet({ answer_days: row.answer_days, remind_hours_before: row.remind_hours_before, updated_at: row.updated_at, updated_by: row.updated_by }))
        .execute();
    },

    // ---------------- roster ----------------
    async lawyer(staffId: string, trx?: Db): Promise<LawyerRow | undefined> {
      return on(trx).selectFrom('legal_lawyers').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
    },
    async lawyers(cityCode: string): Promise<LawyerRow[]> {
      return on().selectFrom('legal_lawyers').selectAll().where('city_code', '=', cityCode).execute();
    },
    async upsertLawyer(row: LawyerRow): Promise<void> {
      const { staff_id: _s, created_at: _c, city_code: _city, ...rest } = row;
      await on().insertInto('legal_lawyers').values(row).onConflict((oc) => oc.column('staff_id').doUpdateSet(rest)).execute();
    },
    /** Open (assigned or waiting for the worker) questions per lawyer. */
    async openCounts(lawyerIds: string[], trx?: Db): Promise<Map<string, number>> {
      if (!lawyerIds.length) return new Map();
      const rows = await on(trx)
        .selectFrom('legal_questions')
        .select(['lawyer_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('lawyer_id', 'in', lawyerIds)
        .where('status', 'in', OPEN)
        .groupBy('lawyer_id')
        .execute();
      return new Map(rows.map((r) => [r.lawyer_id!, num(r.n)]));
    },
    /** Active roster lawyers of the city with the speciality whose areas cover areaCode, excluding some. */
    async candidates(cityCode: string, type: AppealType, areaCode: string, exclude: string[], trx?: Db): Promise<LawyerRow[]> {
      const r = await sql<LawyerRow>`
        select l.* from legal_lawyers l
        where l.city_code = ${cityCode} and l.active and ${type} = any(l.specialities)
          and exists (select 1 from unnest(l.areas) a where ${areaCode} like a || '%')
          and not (l.staff_id = any(${exclude}::uuid[]))
        order by l.staff_id`.execute(trx ?? database);
      return r.rows;
    },

    // ---------------- questions ----------------
    async nextCodeNumber(trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`select nextval('legal_questions_code_seq')::int as n`.execute(trx);
      return r.rows[0]!.n;
    },
    async insertQuestion(row: Insertable<LegalQuestionsTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('legal_questions').values(row).execute();
    },
    async question(id: string, trx?: Db): Promise<QuestionRow | undefined> {
      return fix(await on(trx).selectFrom('legal_questions').selectAll().where('id', '=', id).executeTakeFirst());
    },
    async questionForUpdate(id: string, trx: Db): Promise<QuestionRow | undefined> {
      return fix(await on(trx).selectFrom('legal_questions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst());
    },
    async byClientId(workerId: string, clientId: string): Promise<QuestionRow | undefined> {
      return fix(await on().selectFrom('legal_questions').selectAll().where('worker_id', '=', workerId).where('client_id', '=', clientId).executeTakeFirst());
    },
    async updateQuestion(id: string, set: Updateable<LegalQuestionsTable>, trx: Db): Promise<void> {
      await on(trx).updateTable('legal_questions').set(set).where('id', '=', id).execute();
    },
    async mine(workerId: string, limit: number, offset: number): Promise<{ rows: QuestionRow[]; total: number }> {
      const base = on().selectFrom('legal_questions').where('worker_id', '=', workerId);
      const [rows, total] = await Promise.all([
        base.selectAll().orderBy('asked_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map((r) => fix(r)!), total: num(total.n) };
    },
    async list(f: QuestionFilter, limit: number, offset: number): Promise<{ rows: QuestionRow[]; total: number }> {
      let q = on().selectFrom('legal_questions').where('city_code', '=', f.cityCode);
      if (f.areaPrefix) q = q.where('area_code', 'like', `${f.areaPrefix}%`);
      if (f.lawyerId) q = q.where('lawyer_id', '=', f.lawyerId);
      if (f.unassigned) q = q.where((eb) => eb.or([eb('lawyer_id', 'is', null), eb('needs_reassign', '=', true)]));
      if (f.status) q = q.where('status', '=', f.status);
      if (f.type) q = q.where('type', '=', f.type);
      if (f.overdueAt) q = q.where('status', 'in', [...OPEN, 'unassigned']).where('deadline_at', '<', f.overdueAt);
      if (f.needsReassign !== undefined) q = q.where('needs_reassign', '=', f.needsReassign);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('deadline_at').orderBy('id').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map((r) => fix(r)!), total: num(total.n) };
    },

    // ---------------- messages ----------------
    async insertMessages(rows: NewMessageRow[], trx: Db): Promise<void> {
      if (rows.length) await on(trx).insertInto('legal_messages').values(rows).execute();
    },
    async messages(questionId: string): Promise<MessageRow[]> {
      return on().selectFrom('legal_messages').selectAll().where('question_id', '=', questionId).orderBy('id').execute();
    },

    // ---------------- sweeps ----------------
    async dueForReminder(now: Date, limit: number): Promise<QuestionRow[]> {
      const rows = await on()
        .selectFrom('legal_questions')
        .selectAll()
        .where('status', 'in', ['assigned'])
        .where('reminded_at', 'is', null)
        .where('deadline_at', '>', now)
        .orderBy('deadline_at')
        .limit(limit)
        .execute();
      return rows.map((r) => fix(r)!);
    },
    async dueForEscalation(now: Date, limit: number): Promise<QuestionRow[]> {
      const rows = await on()
        .selectFrom('legal_questions')
        .selectAll()
        .where('status', 'in', ['assigned', 'unassigned'])
        .where('escalated_at', 'is', null)
        .where('deadline_at', '<=', now)
        .orderBy('deadline_at')
        .limit(limit)
        .execute();
      return rows.map((r) => fix(r)!);
    },
    /** Sets a sweep column once (compare-and-set): false when another run got there first. */
    async markOnce(id: string, column: 'reminded_at' | 'escalated_at', now: Date, trx: Db): Promise<boolean> {
      const set = column === 'escalated_at' ? { escalated_at: now, needs_reassign: true } : { reminded_at: now };
      const r = await on(trx).updateTable('legal_questions').set(set).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    // ---------------- metrics ----------------
    async metrics(f: { cityCode: string; areaPrefix: string; from: Date | null; to: Date | null }) {
      const r = await sql<{ month: string; type: AppealType; received: number; answered: number; answered_on_time: number; median_hours: number | null }>`
        select to_char(q.asked_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, q.type,
          count(*)::int as received,
          count(*) filter (where q.first_answered_at is not null)::int as answered,
          count(*) filter (where q.answered_on_time)::int as answered_on_time,
          percentile_cont(0.5) within group (order by extract(epoch from (q.first_answered_at - q.asked_at)) / 3600.0)
            filter (where q.first_answered_at is not null) as median_hours
        from legal_questions q
        where q.city_code = ${f.cityCode} and q.area_code like ${`${f.areaPrefix}%`}
          and (${f.from}::timestamptz is null or q.asked_at >= ${f.from}::timestamptz)
          and (${f.to}::timestamptz is null or q.asked_at < ${f.to}::timestamptz)
        group by 1, 2 order by 1, 2`.execute(database);
      return r.rows.map((x) => ({ ...x, median_hours: x.median_hours === null ? null : Number(x.median_hours) }));
    },
  };
}
export type LegalRepository = ReturnType<typeof createLegalRepository>;
