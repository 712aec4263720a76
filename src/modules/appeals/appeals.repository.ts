import { sql, type ColumnType, type Generated, type GeneratedAlways, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AppealChannel, AppealEventType, AppealOutcome, AppealStatus, AppealType, AssigneeRole, EvidenceKind, RespondentKind, Satisfaction } from '../../contracts/appeals.js';

type Json<T> = ColumnType<T, string, string>;

export interface AppealsTable {
  id: string;
  city_code: string;
  code: string;
  type: AppealType;
  channel: AppealChannel;
  worker_id: string | null;
  submitter_key: string;
  client_id: string | null;
  caller_phone_enc: string | null;
  caller_phone_hash: string | null;
  caller_name_enc: string | null;
  recorded_by: string | null;
  respondent_kind: RespondentKind;
  respondent_name: string;
  respondent_uscc: string | null;
  amount_claimed_fen: number;
  description: string;
  area_code: string;
  status: AppealStatus;
  rule_id: string | null;
  department_id: string | null;
  case_id: string | null;
  submitted_at: Date;
  ack_deadline_at: Date;
  resolve_deadline_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  resolved_on_time: boolean | null;
  outcome: AppealOutcome | null;
  resolution: string | null;
  referral_kind: 'arbitration' | 'court' | null;
  referral_ref: string | null;
  recovered_fen: Generated<number>;
  return_visit_method: 'phone' | 'app' | null;
  return_visit_at: Date | null;
  satisfaction: Satisfaction | null;
  satisfaction_reason: string | null;
  reopen_count: Generated<number>;
  ack_reminded_at: Date | null;
  ack_escalated_at: Date | null;
  resolve_reminded_at: Date | null;
  resolve_escalated_at: Date | null;
  updated_at: Date;
  version: Generated<number>;
}

export interface AppealEventsTable {
  id: GeneratedAlways<number>;
  appeal_id: string;
  at: Date;
  type: AppealEventType;
  actor_kind: 'worker' | 'staff' | 'system';
  actor_id: string | null;
  public: boolean;
  data: Json<Record<string, unknown>>;
}

export interface AppealAssigneesTable {
  id: string;
  appeal_id: string;
  staff_id: string;
  role: AssigneeRole;
  added_at: Date;
  added_by: string | null;
  removed_at: Date | null;
}

export interface AppealRulesTable {
  id: string;
  city_code: string;
  type: AppealType | null;
  area_prefix: string;
  station_head_id: string | null;
  street_officer_id: string | null;
  industry_officer_id: string | null;
  department_id: string | null;
  priority: number;
  active: boolean;
  note: string;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface AppealSettingsTable {
  city_code: string;
  ack_hours: number;
  ack_remind_hours_before: number;
  resolve_remind_hours_before: number;
  resolve_days: Json<Record<string, number>>;
  updated_at: Date;
  updated_by: string | null;
}

export interface AppealEvidenceTable {
  id: string;
  appeal_id: string;
  city_code: string;
  kind: EvidenceKind;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  note: string;
  taken_at: Date | null;
  uploaded_at: Date;
  uploader_kind: 'worker' | 'staff';
  uploader_id: string;
}

export interface AppealMediationSessionsTable {
  id: string;
  appeal_id: string;
  held_at: Date;
  place: string;
  participants: string[];
  notes: string;
  recorded_by: string;
  created_at: Date;
}

export interface AppealAgreementsTable {
  appeal_id: string;
  total_fen: number;
  instalments: Json<{ dueDate: string; amountFen: number }[]>;
  terms: string;
  signed_on: ColumnType<string, string, string>;
  recorded_by: string;
  created_at: Date;
}

export interface AppealPaymentsTable {
  id: string;
  appeal_id: string;
  amount_fen: number;
  paid_on: ColumnType<string, string, string>;
  note: string;
  recorded_by: string;
  created_at: Date;
}

export interface AppealCasesTable {
  id: string;
  city_code: string;
  code: string;
  title: string;
  respondent_name: string;
  respondent_uscc: string | null;
  area_code: string;
  lead_staff_id: string;
  status: 'open' | 'closed';
  created_at: Date;
  created_by: string;
  closed_at: Date | null;
  summary: Generated<string | null>;
  closed_by: Generated<string | null>;
}

export interface AppealCaseMembersTable {
  case_id: string;
  staff_id: string;
  role: string;
  added_at: Date;
  added_by: string;
}

type Tables = {
  appeals: AppealsTable;
  appeal_events: AppealEventsTable;
  appeal_assignees: AppealAssigneesTable;
  appeal_rules: AppealRulesTable;
  appeal_settings: AppealSettingsTable;
  appeal_evidence: AppealEvidenceTable;
  appeal_mediation_sessions: AppealMediationSessionsTable;
  appeal_agreements: AppealAgreementsTable;
  appeal_payments: AppealPaymentsTable;
  appeal_cases: AppealCasesTable;
  appeal_case_members: AppealCaseMembersTable;
};

export type AppealRow = Selectable<AppealsTable>;
export type NewAppealRow = Insertable<AppealsTable>;
export type EventRow = Selectable<AppealEventsTable>;
export type NewEventRow = Insertable<AppealEventsTable>;
export type AssigneeRow = Selectable<AppealAssigneesTable>;
export type RuleRow = Selectable<AppealRulesTable>;
export type SettingsRow = Selectable<AppealSettingsTable>;
export type EvidenceRow = Selectable<AppealEvidenceTable>;
export type SessionRow = Selectable<AppealMediationSessionsTable>;
export type AgreementRow = Selectable<AppealAgreementsTable>;
export type PaymentRow = Selectable<AppealPaymentsTable>;
export type CaseRow = Selectable<AppealCasesTable>;
export type CaseMemberRow = Selectable<AppealCaseMembersTable>;

/** Who the staff list shows: assigned to me, in my case task forces, recorded by me, or (supervisors) in my area. */
export interface StaffScopeFilter {
  cityCode: string;
  staffId: string;
  /** operators: every appeal whose area starts with this */
  areaPrefix: string | null;
  mineOnly: boolean;
}

export interface ListFilter {
  status?: AppealStatus;
  type?: AppealType;
  channel?: AppealChannel;
  areaCode?: string;
  caseId?: string;
  overdueAt?: Date;
  q?: string;
}

export interface MetricsFilter {
  cityCode: string;
  areaPrefix: string;
  from: Date | null;
  to: Date | null;
  by: 'type' | 'department' | 'area' | 'month';
  areaLevel: number;
}

export function createAppealsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  function scopeWhere(s: StaffScopeFilter) {
    const assigned = sql<boolean>`(exists (select 1 from appeal_assignees x where x.appeal_id = a.id and x.staff_id = ${s.staffId} and x.removed_at is null)
      or (a.case_id is not null and exists (select 1 from appeal_case_members m where m.case_id = a.case_id and m.staff_id = ${s.staffId})))`;
    if (s.mineOnly || s.areaPrefix === null) return sql<boolean>`(${assigned} or a.recorded_by = ${s.staffId})`;
    return sql<boolean>`(${assigned} or a.recorded_by = ${s.staffId} or a.area_code like ${`${s.areaPrefix}%`})`;
  }

  function filterWhere(f: ListFilter) {
    const parts = [sql<boolean>`true`];
    if (f.status) parts.push(sql`a.status = ${f.status}`);
    if (f.type) parts.push(sql`a.type = ${f.type}`);
    if (f.channel) parts.push(sql`a.channel = ${f.channel}`);
    if (f.areaCode) parts.push(sql`a.area_code like ${`${f.areaCode}%`}`);
    if (f.caseId) parts.push(sql`a.case_id = ${f.caseId}`);
    if (f.overdueAt)
      parts.push(sql`((a.status = 'submitted' and a.ack_deadline_at < ${f.overdueAt}) or (a.status in ('submitted','acknowledged','in_progress','mediating') and a.resolve_deadline_at < ${f.overdueAt}))`);
    if (f.q) parts.push(sql`(a.code = ${f.q.toUpperCase()} or a.respondent_name like ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`);
    return sql.join(parts, sql` and `);
  }

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    async nextCodeNumber(trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`select (nextval('appeals_code_seq') % 100000)::int as n`.execute(trx);
      return r.rows[0]!.n;
    },

    // ---------------- appeals ----------------

    async insertAppeal(row: NewAppealRow, trx: Db): Promise<void> {
      await on(trx).insertInto('appeals').values(row).execute();
    },

    async appeal(id: string, trx?: Db): Promise<AppealRow | undefined> {
      return on(trx).selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async appealForUpdate(id: string, trx: Db): Promise<AppealRow | undefined> {
      return on(trx).selectFrom('appeals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    async appealsByIds(ids: string[], trx?: Db): Promise<AppealRow[]> {
      if (!ids.length) return [];
      return on(trx).selectFrom('appeals').selectAll().where('id', 'in', ids).orderBy('submitted_at').execute();
    },

    async byClientId(submitterKey: string, clientId: string, trx?: Db): Promise<AppealRow | undefined> {
      return on(trx).selectFrom('appeals').selectAll().where('submitter_key', '=', submitterKey).where('client_id', '=', clientId).executeTakeFirst();
    },

    async updateAppeal(id: string, set: Partial<Omit<AppealRow, 'id' | 'version'>>, trx: Db): Promise<void> {
      await on(trx)
        .updateTable('appeals')
        .set({ ...set, version: sql`version + 1` } as never)
        .where('id', '=', id)
        .execute();
    },

    /** Sets a once-only timestamp (a reminder, an escalation); false when another process set it first. */
    async markOnce(id: string, column: 'ack_reminded_at' | 'ack_escalated_at' | 'resolve_reminded_at' | 'resolve_escalated_at', at: Date, trx: Db): Promise<boolean> {
      const r = await on(trx).updateTable('appeals').set({ [column]: at } as never).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async mine(workerId: string, limit: number, offset: number): Promise<{ rows: AppealRow[]; total: number }> {
      const q = on().selectFrom('appeals').where('worker_id', '=', workerId);
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy('submitted_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    async staffList(s: StaffScopeFilter, f: ListFilter, limit: number, offset: number): Promise<{ rows: AppealRow[]; total: number }> {
      const where = sql`a.city_code = ${s.cityCode} and ${scopeWhere(s)} and ${filterWhere(f)}`;
      const [rows, count] = await Promise.all([
        sql<AppealRow>`select a.* from appeals a where ${where} order by a.submitted_at desc, a.id limit ${limit} offset ${offset}`.execute(database),
        sql<{ n: number }>`select count(*)::int as n from appeals a where ${where}`.execute(database),
      ]);
      return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
    },

    /** Hotline callers not yet linked to a worker (oldest first). */
    async unlinkedCallers(limit: number): Promise<Pick<AppealRow, 'id' | 'city_code' | 'caller_phone_enc'>[]> {
      return on()
        .selectFrom('appeals')
        .select(['id', 'city_code', 'caller_phone_enc'])
        .where('worker_id', 'is', null)
        .where('caller_phone_enc', 'is not', null)
        .orderBy('submitted_at')
        .limit(limit)
        .execute();
    },

    async linkWorker(id: string, workerId: string, trx: Db): Promise<boolean> {
      const r = await on(trx).updateTable('appeals').set({ worker_id: workerId }).where('id', '=', id).where('worker_id', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Unacknowledged, not yet reminded, deadline ahead (the caller applies each city's window). */
    async dueForAckReminder(now: Date, limit: number): Promise<AppealRow[]> {
      return on().selectFrom('appeals').selectAll().where('status', '=', 'submitted').where('ack_reminded_at', 'is', null).where('ack_deadline_at', '>', now).orderBy('ack_deadline_at').limit(limit).execute();
    },

    async openForResolveReminder(now: Date, limit: number): Promise<AppealRow[]> {
      return on()
        .selectFrom('appeals')
        .selectAll()
        .where('status', 'in', ['submitted', 'acknowledged', 'in_progress', 'mediating'])
        .where('resolve_reminded_at', 'is', null)
        .where('resolve_deadline_at', '>', now)
        .orderBy('resolve_deadline_at')
        .limit(limit)
        .execute();
    },

    async dueForAckEscalation(now: Date, limit: number): Promise<AppealRow[]> {
      return on().selectFrom('appeals').selectAll().where('status', '=', 'submitted').where('ack_escalated_at', 'is', null).where('ack_deadline_at', '<=', now).orderBy('ack_deadline_at').limit(limit).execute();
    },

    async dueForResolveEscalation(now: Date, limit: number): Promise<AppealRow[]> {
      return on()
        .selectFrom('appeals')
        .selectAll()
        .where('status', 'in', ['submitted', 'acknowledged', 'in_progress', 'mediating'])
        .where('resolve_escalated_at', 'is', null)
        .where('resolve_deadline_at', '<=', now)
        .orderBy('resolve_deadline_at')
        .limit(limit)
        .execute();
    },

    // ---------------- events ----------------

    async insertEvents(rows: NewEventRow[], trx?: Db): Promise<void> {
      if (!rows.length) return;
      await on(trx).insertInto('appeal_events').values(rows).execute();
    },

    async events(appealId: string, publicOnly: boolean): Promise<EventRow[]> {
      let q = on().selectFrom('appeal_events').selectAll().where('appeal_id', '=', appealId);
      if (publicOnly) q = q.where('public', '=', true);
      return q.orderBy('id').execute();
    },

    // ---------------- assignees ----------------

    async assignees(appealId: string, trx?: Db): Promise<AssigneeRow[]> {
      return on(trx).selectFrom('appeal_assignees').selectAll().where('appeal_id', '=', appealId).where('removed_at', 'is', null).orderBy('added_at').orderBy('role').execute();
    },

    async addAssignee(row: Insertable<AppealAssigneesTable>, trx: Db): Promise<boolean> {
      const r = await sql`insert into appeal_assignees (id, appeal_id, staff_id, role, added_at, added_by)
        values (${row.id}, ${row.appeal_id}, ${row.staff_id}, ${row.role}, ${row.added_at}, ${row.added_by ?? null})
        on conflict (appeal_id, staff_id, role) where removed_at is null do nothing`.execute(trx);
      return Number(r.numAffectedRows ?? 0) === 1;
    },

    async removeAssignee(appealId: string, staffId: string, role: AssigneeRole, at: Date, trx: Db): Promise<boolean> {
      const r = await on(trx).updateTable('appeal_assignees').set({ removed_at: at }).where('appeal_id', '=', appealId).where('staff_id', '=', staffId).where('role', '=', role).where('removed_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async caseMemberIds(caseId: string, trx?: Db): Promise<string[]> {
      const rows = await on(trx).selectFrom('appeal_case_members').select('staff_id').where('case_id', '=', caseId).execute();
      return rows.map((r) => r.staff_id);
    },

    // ---------------- rules and settings ----------------

    async rules(cityCode: string, activeOnly = false): Promise<RuleRow[]> {
      let q = on().selectFrom('appeal_rules').selectAll().where('city_code', '=', cityCode);
      if (activeOnly) q = q.where('active', '=', true);
      return q.orderBy('area_prefix').orderBy('id').execute();
    },

    async rule(id: string): Promise<RuleRow | undefined> {
      return on().selectFrom('appeal_rules').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertRule(row: Insertable<AppealRulesTable>): Promise<void> {
      await on().insertInto('appeal_rules').values(row).execute();
    },

    async updateRule(id: string, set: Partial<RuleRow>): Promise<void> {
      await on().updateTable('appeal_rules').set(set).where('id', '=', id).execute();
    },

    async settings(cityCode: string, trx?: Db): Promise<SettingsRow | undefined> {
      return on(trx).selectFrom('appeal_settings').selectAll().where('city_code', '=', cityCode).executeTakeFirst();
    },

    async allSettings(): Promise<SettingsRow[]> {
      return on().selectFrom('appeal_settings').selectAll().execute();
    },

    async upsertSettings(row: Insertable<AppealSettingsTable>): Promise<void> {
      await on()
        .insertInto('appeal_settings')
        .values(row)
        .onConflict((oc) =>
          oc.column('city_code').doUpdateSet({
            ack_hours: row.ack_hours,
            ack_remind_hours_before: row.ack_remind_hours_before,
            resolve_remind_hours_before: row.resolve_remind_hours_before,
            resolve_days: row.resolve_days,
            updated_at: row.updated_at,
            updated_by: row.updated_by,
          }),
        )
        .execute();
    },

    // ---------------- evidence ----------------

    async insertEvidence(row: Insertable<AppealEvidenceTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('appeal_evidence').values(row).execute();
    },

    async evidence(appealId: string): Promise<EvidenceRow[]> {
      return on().selectFrom('appeal_evidence').selectAll().where('appeal_id', '=', appealId).orderBy('uploaded_at').orderBy('id').execute();
    },

    async evidenceItem(appealId: string, id: string): Promise<EvidenceRow | undefined> {
      return on().selectFrom('appeal_evidence').selectAll().where('appeal_id', '=', appealId).where('id', '=', id).executeTakeFirst();
    },

    async evidenceCount(appealId: string, trx: Db): Promise<number> {
      const r = await on(trx).selectFrom('appeal_evidence').select((eb) => eb.fn.countAll<number>().as('n')).where('appeal_id', '=', appealId).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // ---------------- mediation ----------------

    async insertSession(row: Insertable<AppealMediationSessionsTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('appeal_mediation_sessions').values(row).execute();
    },

    async sessions(appealId: string): Promise<SessionRow[]> {
      return on().selectFrom('appeal_mediation_sessions').selectAll().where('appeal_id', '=', appealId).orderBy('held_at').execute();
    },

    async agreement(appealId: string, trx?: Db): Promise<AgreementRow | undefined> {
      return on(trx)
        .selectFrom('appeal_agreements')
        .select(['appeal_id', 'total_fen', 'instalments', 'terms', sql<string>`to_char(signed_on, 'YYYY-MM-DD')`.as('signed_on'), 'recorded_by', 'created_at'])
        .where('appeal_id', '=', appealId)
        .executeTakeFirst() as Promise<AgreementRow | undefined>;
    },

    async insertAgreement(row: Insertable<AppealAgreementsTable>, trx: Db): Promise<boolean> {
      const r = await on(trx).insertInto('appeal_agreements').values(row).onConflict((oc) => oc.column('appeal_id').doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async insertPayment(row: Insertable<AppealPaymentsTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('appeal_payments').values(row).execute();
    },

    async payments(appealId: string): Promise<PaymentRow[]> {
      return on()
        .selectFrom('appeal_payments')
        .select(['id', 'appeal_id', 'amount_fen', sql<string>`to_char(paid_on, 'YYYY-MM-DD')`.as('paid_on'), 'note', 'recorded_by', 'created_at'])
        .where('appeal_id', '=', appealId)
        .orderBy('paid_on')
        .orderBy('created_at')
        .execute() as Promise<PaymentRow[]>;
    },

    async paymentsTotal(appealId: string, trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`select coalesce(sum(amount_fen), 0)::bigint as n from appeal_payments where appeal_id = ${appealId}`.execute(trx);
      return Number(r.rows[0]?.n ?? 0);
    },

    // ---------------- collective cases ----------------

    async insertCase(row: Insertable<AppealCasesTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('appeal_cases').values(row).execute();
    },

    async caseRow(id: string, trx?: Db): Promise<CaseRow | undefined> {
      return on(trx).selectFrom('appeal_cases').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async addCaseMember(row: Insertable<AppealCaseMembersTable>, trx: Db): Promise<void> {
      await on(trx).insertInto('appeal_case_members').values(row).onConflict((oc) => oc.columns(['case_id', 'staff_id']).doNothing()).execute();
    },

    async caseRowForUpdate(id: string, trx: Db): Promise<CaseRow | undefined> {
      return on(trx).selectFrom('appeal_cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    async updateCase(id: string, set: Partial<Omit<CaseRow, 'id'>>, trx: Db): Promise<void> {
      await on(trx).updateTable('appeal_cases').set(set).where('id', '=', id).execute();
    },

    async removeCaseMember(caseId: string, staffId: string, trx?: Db): Promise<boolean> {
      const r = await on(trx).deleteFrom('appeal_case_members').where('case_id', '=', caseId).where('staff_id', '=', staffId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },

    async caseAppealIds(caseId: string, trx?: Db): Promise<string[]> {
      const rows = await on(trx).selectFrom('appeals').select('id').where('case_id', '=', caseId).orderBy('submitted_at').execute();
      return rows.map((r) => r.id);
    },

    /** Cases p may see (member, creator, or operators over the case's area), with counts and amounts of their appeals. */
    async caseList(
      s: { cityCode: string; staffId: string; areaPrefix: string | null },
      f: { status?: 'open' | 'closed'; q?: string },
      limit: number,
      offset: number,
    ): Promise<{ rows: (CaseRow & { appeal_count: number; amount_claimed_fen: number; recovered_fen: number })[]; total: number }> {
      const parts = [sql<boolean>`c.city_code = ${s.cityCode}`];
      const mine = sql<boolean>`(c.created_by = ${s.staffId} or exists (select 1 from appeal_case_members m where m.case_id = c.id and m.staff_id = ${s.staffId}))`;
      parts.push(s.areaPrefix === null ? mine : sql<boolean>`(${mine} or c.area_code like ${`${s.areaPrefix}%`})`);
      if (f.status) parts.push(sql`c.status = ${f.status}`);
      if (f.q) {
        const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        parts.push(sql`(c.code = ${f.q.toUpperCase()} or c.title like ${like} or c.respondent_name like ${like})`);
      }
      const where = sql.join(parts, sql` and `);
      const [rows, count] = await Promise.all([
        sql<CaseRow & { appeal_count: number; amount_claimed_fen: number; recovered_fen: number }>`
          select c.*, coalesce(t.n, 0)::int as appeal_count, coalesce(t.claimed, 0)::bigint as amount_claimed_fen, coalesce(t.recovered, 0)::bigint as recovered_fen
          from appeal_cases c
          left join (select case_id, count(*) as n, sum(amount_claimed_fen) as claimed, sum(recovered_fen) as recovered from appeals where case_id is not null group by case_id) t on t.case_id = c.id
          where ${where}
          order by (c.status = 'open') desc, c.created_at desc, c.id
          limit ${limit} offset ${offset}`.execute(database),
        sql<{ n: number }>`select count(*)::int as n from appeal_cases c where ${where}`.execute(database),
      ]);
      return { rows: rows.rows.map((r) => ({ ...r, amount_claimed_fen: Number(r.amount_claimed_fen), recovered_fen: Number(r.recovered_fen) })), total: count.rows[0]?.n ?? 0 };
    },

    async caseMembers(caseId: string): Promise<CaseMemberRow[]> {
      return on().selectFrom('appeal_case_members').selectAll().where('case_id', '=', caseId).orderBy('added_at').execute();
    },

    // ---------------- metrics ----------------

    async metrics(f: MetricsFilter): Promise<{ key: string | null; received: number; closed: number; closed_on_time: number; rated: number; satisfied: number; recovered_fen: number }[]> {
      const key =
        f.by === 'type'
          ? sql`a.type`
          : f.by === 'department'
            ? sql`a.department_id::text`
            : f.by === 'area'
              ? sql`left(a.area_code, ${f.areaLevel})`
              : sql`to_char(a.submitted_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;
      const r = await sql<{ key: string | null; received: number; closed: number; closed_on_time: number; rated: number; satisfied: number; recovered_fen: number }>`
        select ${key} as key,
          count(*)::int as received,
          count(*) filter (where a.status = 'closed')::int as closed,
          count(*) filter (where a.status = 'closed' and a.resolved_on_time)::int as closed_on_time,
          count(*) filter (where a.satisfaction is not null)::int as rated,
          count(*) filter (where a.satisfaction in ('satisfied', 'basically_satisfied'))::int as satisfied,
          coalesce(sum(a.recovered_fen), 0)::bigint as recovered_fen
        from appeals a
        where a.city_code = ${f.cityCode} and a.area_code like ${`${f.areaPrefix}%`}
          and (${f.from}::timestamptz is null or a.submitted_at >= ${f.from}::timestamptz)
          and (${f.to}::timestamptz is null or a.submitted_at < ${f.to}::timestamptz)
        group by 1 order by 1`.execute(database);
      return r.rows.map((x) => ({ ...x, recovered_fen: Number(x.recovered_fen) }));
    },
  };
}
export type AppealsRepository = ReturnType<typeof createAppealsRepository>;
