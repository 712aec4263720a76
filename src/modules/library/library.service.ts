import crypto from 'node:crypto';
import type { Principal, StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  LIBRARY_EDITOR_ROLES,
  type LibraryAdminQuery,
  type LibraryAdminSummary,
  type LibraryAdminView,
  type LibraryContent,
  type LibraryCreate,
  type LibraryKind,
  type LibraryQuery,
  type LibraryRevisionContent,
  type LibraryRevisionSummary,
  type LibrarySummary,
  type LibraryView,
} from '../../contracts/library.js';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../shared/errors.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import { createLibraryRepository, type EntryRow, type RevisionBody, type RevisionRow } from './library.repository.js';
import { renderModelContract, type ModelContractPdf } from './library.pdf.js';

export interface LibraryServiceDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'find' | 'names'>;
}

/** Readers are a signed-in principal (their city) or the public (a city code, default Ningbo). */
export type LibraryReader = Pick<Principal, 'cityCode'>;

const notFound = () => new AppError('library.not_found', 'Library entry not found');
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const trimAll = (xs: string[]) => xs.map((x) => x.trim());

/** The body of the entry's kind, trimmed; the other kind's body must be absent (a clear 400 otherwise). */
function bodyFor(kind: LibraryKind, c: LibraryContent): RevisionBody {
  const field = kind === 'typical_case' ? 'typicalCase' : 'modelContract';
  const other = kind === 'typical_case' ? 'modelContract' : 'typicalCase';
  const fail = (name: string, message: string) => new AppError('library.body_mismatch', `${name}: ${message}`, { errors: [{ field: name, message, code: 'library.body_mismatch' }] });
  if (!c[field]) throw fail(field, `a ${kind} needs its ${field} body`);
  if (c[other]) throw fail(other, `a ${kind} has no ${other} body`);
  if (c.typicalCase) {
    const t = c.typicalCase;
    return { typicalCase: { facts: trimAll(t.facts), resolution: trimAll(t.resolution), legalBasis: trimAll(t.legalBasis), amountRecoveredFen: t.amountRecoveredFen ?? null } };
  }
  const m = c.modelContract!;
  return {
    modelContract: {
      issuer: m.issuer.trim(),
      versionLabel: m.versionLabel.trim(),
      effectiveOn: m.effectiveOn,
      sections: m.sections.map((s) => ({ heading: s.heading.trim(), paragraphs: trimAll(s.paragraphs) })),
      checklist: trimAll(m.checklist),
    },
  };
}

/**
 * 典型案例与示范文本: editors (operators of any scope, mediators) write drafts and publish them; readers
 * (workers and the public) see published entries only. Every change is audited, refusals too.
 */
export function createLibraryService(deps: LibraryServiceDeps) {
  const { clock, audit, areas } = deps;
  const repo = createLibraryRepository(deps.db);

  async function assertEditor(p: Principal, ctx: AuditContext, action: string, targetId?: string): Promise<StaffPrincipal> {
    if (p.kind === 'staff' && (LIBRARY_EDITOR_ROLES as readonly string[]).includes(p.role)) return p;
    await audit.record({ ...ctx, principal: ctx.principal ?? p }, { cityCode: p.cityCode, action, targetKind: 'library_entry', targetId, outcome: 'denied' });
    throw new AppError('auth.forbidden', 'Only operators and mediators maintain the library');
  }

  async function checkArea(cityCode: string, areaCode: string | null | undefined): Promise<string | null> {
    if (!areaCode) return null;
    const area = areaCode.startsWith(cityCode) ? await areas.find(areaCode) : undefined;
    if (!area) throw new AppError('library.invalid_area', `areaCode: ${areaCode} is not an area of ${cityCode}`, { errors: [{ field: 'areaCode', message: 'unknown area', code: 'library.invalid_area' }] });
    return areaCode;
  }

  async function content(cityCode: string, kind: LibraryKind, c: LibraryContent) {
    const body = bodyFor(kind, c);
    return { title: c.title.trim(), summary: c.summary.trim(), appeal_types: [...new Set(c.appealTypes)], area_code: await checkArea(cityCode, c.areaCode), body };
  }

  async function editable(p: StaffPrincipal, id: string, trx: Db, expectedVersion?: number): Promise<EntryRow> {
    const entry = await repo.entryForUpdate(id, trx);
    if (!entry || entry.city_code !== p.cityCode) throw notFound();
    if (expectedVersion !== undefined && expectedVersion !== entry.version) {
      throw new AppError('library.version_conflict', `The entry changed since you opened it (version ${entry.version}, you had ${expectedVersion}); reload it`);
    }
    return entry;
  }

  function revisionContent(r: RevisionRow): LibraryRevisionContent {
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      title: r.title,
      summary: r.summary,
      appealTypes: r.appeal_types,
      areaCode: r.area_code,
      typicalCase: r.body.typicalCase ?? null,
      modelContract: r.body.modelContract ?? null,
      createdAt: iso(r.created_at),
      createdBy: r.created_by,
      updatedAt: iso(r.updated_at),
      publishedAt: isoOrNull(r.published_at),
      publishedBy: r.published_by,
    };
  }

  async function readerSummaries(rows: (RevisionRow & { kind: LibraryKind })[]): Promise<LibrarySummary[]> {
    const names = await areas.names([...new Set(rows.map((r) => r.area_code).filter((c): c is string => !!c))]);
    return rows.map((r) => ({
      id: r.entry_id,
      kind: r.kind,
      title: r.title,
      summary: r.summary,
      appealTypes: r.appeal_types,
      areaCode: r.area_code,
      areaName: r.area_code ? (names.get(r.area_code) ?? null) : null,
      amountRecoveredFen: r.body.typicalCase?.amountRecoveredFen ?? null,
      publishedAt: iso(r.published_at!),
      revision: r.number,
    }));
  }

  /** The published revision of a published entry of the reader's city, or library.not_found. */
  async function published(reader: LibraryReader, id: string): Promise<{ entry: EntryRow; revision: RevisionRow }> {
    const entry = await repo.entry(id);
    if (!entry || entry.city_code !== reader.cityCode || entry.status !== 'published' || !entry.published_revision_id) throw notFound();
    const revision = await repo.revision(entry.published_revision_id);
    if (!revision) throw notFound();
    return { entry, revision };
  }

  const service = {
    // ——— readers ———

    async list(reader: LibraryReader, q: LibraryQuery): Promise<PageOf<LibrarySummary>> {
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const keyword = q.q?.trim() || undefined;
      const { rows, total } = await repo.listPublished({ cityCode: reader.cityCode, q: keyword, kind: q.kind, appealType: q.appealType, limit: pageSize, offset: (page - 1) * pageSize });
      return { items: await readerSummaries(rows), total, page, pageSize };
    },

    async view(reader: LibraryReader, id: string): Promise<LibraryView> {
      const { entry, revision } = await published(reader, id);
      const [summary] = await readerSummaries([{ ...revision, kind: entry.kind }]);
      return { ...summary!, typicalCase: revision.body.typicalCase ?? null, modelContract: revision.body.modelContract ?? null };
    },

    /** A published model contract as a PDF (the published revision; drafts are never printed for readers). */
    async contractPdf(reader: LibraryReader, id: string): Promise<ModelContractPdf> {
      const { entry, revision } = await published(reader, id);
      if (entry.kind !== 'model_contract' || !revision.body.modelContract) throw new AppError('library.not_a_contract', 'Only a model contract can be downloaded as a PDF');
      return renderModelContract({ entryId: entry.id, revision: revision.number, title: revision.title, summary: revision.summary, contract: revision.body.modelContract, publishedAt: revision.published_at! });
    },

    // ——— editors ———

    async create(p: Principal, input: LibraryCreate, ctx: AuditContext, opts: { seedKey?: string } = {}): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, ctx, 'library.create');
      const c = await content(staff.cityCode, input.kind, input);
      const id = crypto.randomUUID();
      const revisionId = crypto.randomUUID();
      const at = clock.now();
      await repo.transaction(async (trx) => {
        await repo.insertEntry({ id, city_code: staff.cityCode, kind: input.kind, seed_key: opts.seedKey ?? null, at, by: staff.id }, trx);
        await repo.insertRevision({ id: revisionId, entry_id: id, number: 1, ...c, at, by: staff.id }, trx);
        await repo.updateEntry(id, { draft_revision_id: revisionId, updated_at: at }, trx);
      });
      await audit.record(ctx, { cityCode: staff.cityCode, action: 'library.created', targetKind: 'library_entry', targetId: id, detail: { kind: input.kind, revision: 1, title: c.title } });
      return service.adminView(staff, id);
    },

    /**
     * Saves the draft: edits the open draft revision, or — when there is none (published or archived)
     * — opens a new one; the published revision stays what readers see until this one is published.
     */
    async saveDraft(p: Principal, id: string, input: LibraryContent & { expectedVersion?: number }, ctx: AuditContext): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, ctx, 'library.save_draft', id);
      const at = clock.now();
      const number = await repo.transaction(async (trx) => {
        const entry = await editable(staff, id, trx, input.expectedVersion);
        const c = await content(staff.cityCode, entry.kind, input);
        if (entry.draft_revision_id) {
          await repo.updateDraft(entry.draft_revision_id, { ...c, at }, trx);
          await repo.updateEntry(id, { updated_at: at }, trx);
          return (await repo.revision(entry.draft_revision_id, trx))!.number;
        }
        const n = (await repo.lastRevisionNumber(id, trx)) + 1;
        const revisionId = crypto.randomUUID();
        await repo.insertRevision({ id: revisionId, entry_id: id, number: n, ...c, at, by: staff.id }, trx);
        await repo.updateEntry(id, { draft_revision_id: revisionId, updated_at: at }, trx);
        return n;
      });
      await audit.record(ctx, { cityCode: staff.cityCode, action: 'library.draft_saved', targetKind: 'library_entry', targetId: id, detail: { revision: number } });
      return service.adminView(staff, id);
    },

    /** Publishes the draft (the previous published revision is superseded); an archived entry without a draft is published again as it was. */
    async publish(p: Principal, id: string, body: { expectedVersion?: number }, ctx: AuditContext): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, ctx, 'library.publish', id);
      const at = clock.now();
      const number = await repo.transaction(async (trx) => {
        const entry = await editable(staff, id, trx, body.expectedVersion);
        if (entry.draft_revision_id) {
          if (entry.published_revision_id) await repo.setRevisionStatus(entry.published_revision_id, 'superseded', null, trx);
          await repo.setRevisionStatus(entry.draft_revision_id, 'published', { at, by: staff.id }, trx);
          await repo.updateEntry(id, { status: 'published', published_revision_id: entry.draft_revision_id, draft_revision_id: null, updated_at: at }, trx);
          return (await repo.revision(entry.draft_revision_id, trx))!.number;
        }
        if (entry.status === 'archived' && entry.published_revision_id) {
          await repo.updateEntry(id, { status: 'published', updated_at: at }, trx);
          return (await repo.revision(entry.published_revision_id, trx))!.number;
        }
        throw new AppError('library.invalid_state', 'There is no draft to publish');
      });
      await audit.record(ctx, { cityCode: staff.cityCode, action: 'library.published', targetKind: 'library_entry', targetId: id, detail: { revision: number } });
      return service.adminView(staff, id);
    },

    /**
     * Discards the draft of changes to a published entry: readers and editors are back at the published
     * revision; the discarded one stays in the history. An entry never published has nothing to go back
     * to: it is archived instead.
     */
    async discardDraft(p: Principal, id: string, body: { expectedVersion?: number }, ctx: AuditContext): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, ctx, 'library.discard_draft', id);
      const number = await repo.transaction(async (trx) => {
        const entry = await editable(staff, id, trx, body.expectedVersion);
        if (!entry.draft_revision_id) throw new AppError('library.invalid_state', 'There is no draft to discard');
        if (!entry.published_revision_id) throw new AppError('library.invalid_state', 'This entry was never published, so there is nothing to go back to: archive it instead');
        await repo.setRevisionStatus(entry.draft_revision_id, 'discarded', null, trx);
        await repo.updateEntry(id, { draft_revision_id: null, updated_at: clock.now() }, trx);
        return (await repo.revision(entry.draft_revision_id, trx))!.number;
      });
      await audit.record(ctx, { cityCode: staff.cityCode, action: 'library.draft_discarded', targetKind: 'library_entry', targetId: id, detail: { revision: number } });
      return service.adminView(staff, id);
    },

    /** Takes the entry away from readers; its revisions (and any draft) are kept. */
    async archive(p: Principal, id: string, body: { expectedVersion?: number }, ctx: AuditContext): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, ctx, 'library.archive', id);
      await repo.transaction(async (trx) => {
        const entry = await editable(staff, id, trx, body.expectedVersion);
        if (entry.status === 'archived') throw new AppError('library.invalid_state', 'The entry is already archived');
        await repo.updateEntry(id, { status: 'archived', updated_at: clock.now() }, trx);
      });
      await audit.record(ctx, { cityCode: staff.cityCode, action: 'library.archived', targetKind: 'library_entry', targetId: id });
      return service.adminView(staff, id);
    },

    async adminList(p: Principal, q: LibraryAdminQuery): Promise<PageOf<LibraryAdminSummary>> {
      const staff = await assertEditor(p, {}, 'library.list');
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const { rows, total } = await repo.listForEditors({ cityCode: staff.cityCode, q: q.q?.trim() || undefined, kind: q.kind, appealType: q.appealType, status: q.status, limit: pageSize, offset: (page - 1) * pageSize });
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          title: r.title,
          appealTypes: r.appeal_types,
          hasDraft: r.draft_revision_id !== null,
          revision: r.revision,
          version: r.version,
          updatedAt: iso(r.updated_at),
          publishedAt: isoOrNull(r.published_at),
        })),
        total,
        page,
        pageSize,
      };
    },

    async adminView(p: Principal, id: string): Promise<LibraryAdminView> {
      const staff = await assertEditor(p, {}, 'library.read', id);
      const entry = await repo.entry(id);
      if (!entry || entry.city_code !== staff.cityCode) throw notFound();
      const [pub, draft] = await Promise.all([
        entry.published_revision_id ? repo.revision(entry.published_revision_id) : undefined,
        entry.draft_revision_id ? repo.revision(entry.draft_revision_id) : undefined,
      ]);
      return {
        id: entry.id,
        kind: entry.kind,
        status: entry.status,
        version: entry.version,
        createdAt: iso(entry.created_at),
        updatedAt: iso(entry.updated_at),
        published: pub ? revisionContent(pub) : null,
        draft: draft ? revisionContent(draft) : null,
      };
    },

    async revisions(p: Principal, id: string): Promise<LibraryRevisionSummary[]> {
      const staff = await assertEditor(p, {}, 'library.read', id);
      const entry = await repo.entry(id);
      if (!entry || entry.city_code !== staff.cityCode) throw notFound();
      return (await repo.revisions(id)).map((r) => ({
        id: r.id,
        number: r.number,
        status: r.status,
        title: r.title,
        createdAt: iso(r.created_at),
        createdBy: r.created_by,
        updatedAt: iso(r.updated_at),
        publishedAt: isoOrNull(r.published_at),
        publishedBy: r.published_by,
      }));
    },

    async revision(p: Principal, id: string, number: number): Promise<LibraryRevisionContent> {
      const staff = await assertEditor(p, {}, 'library.read', id);
      const entry = await repo.entry(id);
      if (!entry || entry.city_code !== staff.cityCode) throw notFound();
      const r = await repo.revisionByNumber(id, number);
      if (!r) throw notFound();
      return revisionContent(r);
    },

    /** For the demo seed: the entry created under this key, if any. */
    async bySeedKey(cityCode: string, seedKey: string): Promise<string | undefined> {
      return (await repo.entryBySeedKey(cityCode, seedKey))?.id;
    },
  };
  return service;
}
export type LibraryService = ReturnType<typeof createLibraryService>;
