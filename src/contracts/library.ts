import { Type, type Static } from 'typebox';
import { appealTypes } from './appeals.js';

/**
 * 典型案例与示范文本 (the library): typical cases (how a dispute like mine was resolved) and model
 * contracts (e.g. 网约配送员电动自行车租赁合同示范文本) that workers read and staff maintain.
 *
 * Entries are structured text (headings + paragraphs), never HTML: the apps render them as text.
 * Lifecycle: draft → published → archived. Editing a published entry makes a new draft revision; the
 * published revision stays what readers see until the draft is published. Every revision is kept.
 *
 * Published entries are public: anyone may read them without signing in (legal education material,
 * like the printed 典型案例 booklets). Drafts, archived entries and revision history are for staff.
 */

export const libraryKinds = ['typical_case', 'model_contract'] as const;
export type LibraryKind = (typeof libraryKinds)[number];

export const libraryStatuses = ['draft', 'published', 'archived'] as const;
export type LibraryStatus = (typeof libraryStatuses)[number];

export const revisionStatuses = ['draft', 'published', 'superseded', 'discarded'] as const;
export type RevisionStatus = (typeof revisionStatuses)[number];

/** Roles that maintain the library: operators (any area scope) and mediators. */
export const LIBRARY_EDITOR_ROLES = ['operator', 'mediator'] as const;

export const LIBRARY_LIMITS = { title: 120, summary: 500, paragraph: 2000, paragraphs: 40, sections: 60, heading: 100, checklist: 30 } as const;

const oneOf = <T extends readonly string[]>(values: T, opts: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
const AppealTypeSchema = oneOf(appealTypes);
const KindSchema = oneOf(libraryKinds);
const StatusSchema = oneOf(libraryStatuses);
const RevisionStatusSchema = oneOf(revisionStatuses);

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Paragraphs = Type.Array(Text(LIBRARY_LIMITS.paragraph), { minItems: 1, maxItems: LIBRARY_LIMITS.paragraphs });

/** A heading and its paragraphs (a clause of a contract). */
export const LibrarySection = Type.Object({
  heading: Text(LIBRARY_LIMITS.heading),
  paragraphs: Paragraphs,
});
export type LibrarySection = Static<typeof LibrarySection>;

export const TypicalCaseBody = Type.Object({
  facts: Type.Array(Text(LIBRARY_LIMITS.paragraph), { minItems: 1, maxItems: LIBRARY_LIMITS.paragraphs, description: '基本案情, one paragraph per item' }),
  resolution: Type.Array(Text(LIBRARY_LIMITS.paragraph), { minItems: 1, maxItems: LIBRARY_LIMITS.paragraphs, description: '处理结果: how it was resolved' }),
  legalBasis: Type.Array(Text(LIBRARY_LIMITS.paragraph), { minItems: 1, maxItems: LIBRARY_LIMITS.paragraphs, description: '法律依据: one provision per item' }),
  amountRecoveredFen: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000_000 }), Type.Null()])),
});
export type TypicalCaseBody = Static<typeof TypicalCaseBody>;

export const ModelContractBody = Type.Object({
  issuer: Text(120),
  versionLabel: Text(40),
  effectiveOn: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
  sections: Type.Array(LibrarySection, { minItems: 1, maxItems: LIBRARY_LIMITS.sections, description: 'the clauses, in order' }),
  checklist: Type.Array(Text(300), { minItems: 1, maxItems: LIBRARY_LIMITS.checklist, description: 'what to check before you sign' }),
});
export type ModelContractBody = Static<typeof ModelContractBody>;

/** What an editor sends: the common fields and the body of the entry's kind (the other one absent). */
export const LibraryContent = Type.Object({
  title: Text(LIBRARY_LIMITS.title),
  summary: Text(LIBRARY_LIMITS.summary),
  appealTypes: Type.Array(AppealTypeSchema, { maxItems: appealTypes.length, uniqueItems: true, description: 'tags: the appeal types this entry helps with' }),
  areaCode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{4,12}$' }), Type.Null()])),
  typicalCase: Type.Optional(TypicalCaseBody),
  modelContract: Type.Optional(ModelContractBody),
});
export type LibraryContent = Static<typeof LibraryContent>;

export const LibraryCreate = Type.Object({ kind: KindSchema, ...LibraryContent.properties });
export type LibraryCreate = Static<typeof LibraryCreate>;

export const LibraryDraftSave = Type.Object({
  ...LibraryContent.properties,
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the entry version the editor started from; 409 library.version_conflict if it moved' })),
});
export type LibraryDraftSave = Static<typeof LibraryDraftSave>;

export const LibraryTransition = Type.Object({ expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })) });
export type LibraryTransition = Static<typeof LibraryTransition>;

/** One card of the reader's list. */
export const LibrarySummary = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  title: Type.String(),
  summary: Type.String(),
  appealTypes: Type.Array(AppealTypeSchema),
  areaCode: Type.Union([Type.String(), Type.Null()]),
  areaName: Type.Union([Type.String(), Type.Null()]),
  amountRecoveredFen: Type.Union([Type.Integer(), Type.Null()]),
  publishedAt: Type.String({ format: 'date-time' }),
  revision: Type.Integer(),
});
export type LibrarySummary = Static<typeof LibrarySummary>;

/** A published entry as readers see it. */
export const LibraryView = Type.Object({
  ...LibrarySummary.properties,
  typicalCase: Type.Union([TypicalCaseBody, Type.Null()]),
  modelContract: Type.Union([ModelContractBody, Type.Null()]),
});
export type LibraryView = Static<typeof LibraryView>;

export const LibraryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50, description: 'keyword in the title or summary' })),
  kind: Type.Optional(KindSchema),
  appealType: Type.Optional(AppealTypeSchema),
  city: Type.Optional(Type.String({ pattern: '^\\d{4}$', description: 'for readers not signed in (default 3302); a signed-in reader sees their own city' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type LibraryQuery = Static<typeof LibraryQuery>;

export const LibraryAdminQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  kind: Type.Optional(KindSchema),
  appealType: Type.Optional(AppealTypeSchema),
  status: Type.Optional(StatusSchema),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type LibraryAdminQuery = Static<typeof LibraryAdminQuery>;

/** The content of one revision, for editors. */
export const LibraryRevisionContent = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  status: RevisionStatusSchema,
  title: Type.String(),
  summary: Type.String(),
  appealTypes: Type.Array(AppealTypeSchema),
  areaCode: Type.Union([Type.String(), Type.Null()]),
  typicalCase: Type.Union([TypicalCaseBody, Type.Null()]),
  modelContract: Type.Union([ModelContractBody, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
});
export type LibraryRevisionContent = Static<typeof LibraryRevisionContent>;

export const LibraryAdminSummary = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  status: StatusSchema,
  title: Type.String({ description: 'the draft title when there is a draft, else the published one' }),
  appealTypes: Type.Array(AppealTypeSchema),
  hasDraft: Type.Boolean(),
  revision: Type.Integer({ description: 'the newest revision number' }),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type LibraryAdminSummary = Static<typeof LibraryAdminSummary>;

export const LibraryAdminView = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  status: StatusSchema,
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  published: Type.Union([LibraryRevisionContent, Type.Null()]),
  draft: Type.Union([LibraryRevisionContent, Type.Null()]),
});
export type LibraryAdminView = Static<typeof LibraryAdminView>;

export const LibraryRevisionSummary = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  status: RevisionStatusSchema,
  title: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
});
export type LibraryRevisionSummary = Static<typeof LibraryRevisionSummary>;

export const LibraryRevisionParams = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.Integer({ minimum: 1 }) });
