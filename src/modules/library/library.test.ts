import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { LibraryService } from './library.service.js';
import { libraryOf, loadCity, modelContract, staffAccount, typicalCase, workerOf } from './library.test-support.js';

let t: TestApp;
let library: LibraryService;
let operator: StaffPrincipal;
let mediator: StaffPrincipal;
let handler: StaffPrincipal;
const reader = { cityCode: '3302' };
const ctx = (p: StaffPrincipal) => ({ principal: p });
const audited = async (action: string, targetId?: string, outcome = 'success') =>
  Number(
    (
      await sql<{ n: number }>`select count(*)::int as n from audit_log where action = ${action} and outcome = ${outcome} and (${targetId ?? null}::text is null or target_id = ${targetId ?? null})`.execute(t.services.db)
    ).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  library = libraryOf(t);
  operator = await staffAccount(t, 'operator', '330212');
  mediator = await staffAccount(t, 'mediator', '330212');
  handler = await staffAccount(t, 'handler', '330212011');
});
afterAll(async () => t?.close());

describe('lifecycle and revisions', () => {
  it('a draft is invisible to readers until published; publishing is audited', async () => {
    const draft = await library.create(mediator, typicalCase({ title: '草稿阶段的案例' }), ctx(mediator));
    expect(draft).toMatchObject({ status: 'draft', published: null, draft: { number: 1, status: 'draft', title: '草稿阶段的案例' } });
    expect((await library.list(reader, { q: '草稿阶段', page: 1, pageSize: 20 })).total).toBe(0);
    await expect(library.view(reader, draft.id)).rejects.toMatchObject({ code: 'library.not_found' });

    const pub = await library.publish(mediator, draft.id, {}, ctx(mediator));
    expect(pub).toMatchObject({ status: 'published', draft: null, published: { number: 1, status: 'published' } });
    const view = await library.view(reader, draft.id);
    expect(view).toMatchObject({ kind: 'typical_case', title: '草稿阶段的案例', amountRecoveredFen: 1_800_000, revision: 1 });
    expect(view.typicalCase?.facts).toHaveLength(1);
    expect(await audited('library.created', draft.id)).toBe(1);
    expect(await audited('library.published', draft.id)).toBe(1);
  });

  it('editing a published entry opens revision 2; readers keep revision 1 until it is published; history keeps both', async () => {
    const e = await library.create(operator, typicalCase({ title: '第一版标题' }), ctx(operator));
    await library.publish(operator, e.id, {}, ctx(operator));
    const edited = await library.saveDraft(operator, e.id, { ...typicalCase({ title: '第二版标题' }) }, ctx(operator));
    expect(edited).toMatchObject({ status: 'published', published: { number: 1, title: '第一版标题' }, draft: { number: 2, title: '第二版标题' } });
    // saving again edits the same draft, no third revision
    const again = await library.saveDraft(operator, e.id, { ...typicalCase({ title: '第二版标题（改）' }), expectedVersion: edited.version }, ctx(operator));
    expect(again.draft).toMatchObject({ number: 2, title: '第二版标题（改）' });
    expect((await library.view(reader, e.id)).title).toBe('第一版标题');

    await library.publish(operator, e.id, {}, ctx(operator));
    expect(await library.view(reader, e.id)).toMatchObject({ title: '第二版标题（改）', revision: 2 });
    const history = await library.revisions(operator, e.id);
    expect(history.map((r) => [r.number, r.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    expect((await library.revision(mediator, e.id, 1)).title).toBe('第一版标题');
    expect(await audited('library.draft_saved', e.id)).toBe(2);
  });

  it('archiving hides the entry from readers; publishing again restores it; a stale version is refused', async () => {
    const e = await library.create(mediator, typicalCase({ title: '将被归档的案例' }), ctx(mediator));
    const pub = await library.publish(mediator, e.id, {}, ctx(mediator));
    await expect(library.archive(mediator, e.id, { expectedVersion: pub.version - 1 }, ctx(mediator))).rejects.toMatchObject({ code: 'library.version_conflict' });
    const archived = await library.archive(mediator, e.id, { expectedVersion: pub.version }, ctx(mediator));
    expect(archived.status).toBe('archived');
    await expect(library.view(reader, e.id)).rejects.toMatchObject({ code: 'library.not_found' });
    await expect(library.archive(mediator, e.id, {}, ctx(mediator))).rejects.toMatchObject({ code: 'library.invalid_state' });
    expect((await library.publish(mediator, e.id, {}, ctx(mediator))).status).toBe('published');
    expect((await library.view(reader, e.id)).revision).toBe(1);
    // nothing left to publish
    await expect(library.publish(mediator, e.id, {}, ctx(mediator))).rejects.toMatchObject({ code: 'library.invalid_state' });
    expect(await audited('library.archived', e.id)).toBe(1);
  });

  it('discarding a draft of changes goes back to the published revision and keeps the draft in the history', async () => {
    const e = await library.create(mediator, typicalCase({ title: '放弃草稿前的版本' }), ctx(mediator));
    // never published: nothing to go back to
    await expect(library.discardDraft(mediator, e.id, {}, ctx(mediator))).rejects.toMatchObject({ code: 'library.invalid_state' });
    const pub = await library.publish(mediator, e.id, {}, ctx(mediator));
    await expect(library.discardDraft(mediator, e.id, {}, ctx(mediator))).rejects.toMatchObject({ code: 'library.invalid_state' }); // no draft
    const edited = await library.saveDraft(mediator, e.id, { ...typicalCase({ title: '不要了的改动' }), expectedVersion: pub.version }, ctx(mediator));
    await expect(library.discardDraft(mediator, e.id, { expectedVersion: edited.version - 1 }, ctx(mediator))).rejects.toMatchObject({ code: 'library.version_conflict' });
    await expect(library.discardDraft(handler, e.id, {}, ctx(handler))).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect((await library.adminView(mediator, e.id)).draft?.title).toBe('不要了的改动'); // refusals changed nothing

    const back = await library.discardDraft(mediator, e.id, { expectedVersion: edited.version }, ctx(mediator));
    expect(back).toMatchObject({ status: 'published', draft: null, published: { number: 1, title: '放弃草稿前的版本' } });
    expect((await library.view(reader, e.id)).title).toBe('放弃草稿前的版本');
    expect((await library.revisions(mediator, e.id)).map((r) => [r.number, r.status])).toEqual([
      [2, 'discarded'],
      [1, 'published'],
    ]);
    // the next edit opens revision 3; the discarded one stays readable in the history
    expect((await library.saveDraft(mediator, e.id, typicalCase({ title: '第三版' }), ctx(mediator))).draft?.number).toBe(3);
    expect((await library.revision(mediator, e.id, 2)).title).toBe('不要了的改动');
    expect(await audited('library.draft_discarded', e.id)).toBe(1);
  });

  it('refuses a body of the wrong kind and an unknown area, storing nothing', async () => {
    const before = (await library.adminList(operator, { page: 1, pageSize: 100 })).total;
    await expect(library.create(operator, typicalCase({ typicalCase: undefined }), ctx(operator))).rejects.toMatchObject({ code: 'library.body_mismatch' });
    await expect(library.create(operator, { ...modelContract(), typicalCase: typicalCase().typicalCase }, ctx(operator))).rejects.toMatchObject({ code: 'library.body_mismatch' });
    await expect(library.create(operator, typicalCase({ areaCode: '110101' }), ctx(operator))).rejects.toMatchObject({ code: 'library.invalid_area' });
    expect((await library.adminList(operator, { page: 1, pageSize: 100 })).total).toBe(before);
  });
});

describe('search and filters', () => {
  it('finds published entries by keyword in title or summary, by kind and by appeal type, page by page', async () => {
    await library.publish(operator, (await library.create(operator, typicalCase({ title: '搜索测试：工伤赔偿案', appealTypes: ['work_injury'] }), ctx(operator))).id, {}, ctx(operator));
    await library.publish(operator, (await library.create(operator, typicalCase({ title: '搜索测试：欠薪案', summary: '一个百分号% 的摘要', appealTypes: ['wage_arrears'] }), ctx(operator))).id, {}, ctx(operator));
    await library.publish(operator, (await library.create(operator, modelContract({ title: '搜索测试：换电协议' }), ctx(operator))).id, {}, ctx(operator));

    expect((await library.list(reader, { q: '搜索测试', page: 1, pageSize: 20 })).total).toBe(3);
    expect((await library.list(reader, { q: '搜索测试', kind: 'model_contract', page: 1, pageSize: 20 })).items.map((i) => i.title)).toEqual(['搜索测试：换电协议']);
    expect((await library.list(reader, { q: '搜索测试', appealType: 'work_injury', page: 1, pageSize: 20 })).items.map((i) => i.title)).toEqual(['搜索测试：工伤赔偿案']);
    // the keyword is literal: % matches only a real %
    expect((await library.list(reader, { q: '百分号%', page: 1, pageSize: 20 })).total).toBe(1);
    expect((await library.list(reader, { q: '%', page: 1, pageSize: 20 })).total).toBe(1);
    const p1 = await library.list(reader, { q: '搜索测试', page: 1, pageSize: 2 });
    const p2 = await library.list(reader, { q: '搜索测试', page: 2, pageSize: 2 });
    expect([p1.items.length, p2.items.length, p2.total]).toEqual([2, 1, 3]);
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(3);
    expect(await library.list(reader, { q: '搜索测试', page: 9, pageSize: 2 })).toMatchObject({ items: [], total: 3 });
    // another city sees none of them
    expect((await library.list({ cityCode: '3301' }, { q: '搜索测试', page: 1, pageSize: 20 })).total).toBe(0);
  });

  it('editors list every status with the draft title', async () => {
    const e = await library.create(mediator, typicalCase({ title: '编辑列表：仅草稿' }), ctx(mediator));
    const list = await library.adminList(mediator, { q: '编辑列表', status: 'draft', page: 1, pageSize: 20 });
    expect(list.items).toEqual([expect.objectContaining({ id: e.id, status: 'draft', hasDraft: true, revision: 1, publishedAt: null })]);
    expect(await library.adminList(mediator, { q: '编辑列表', page: 5, pageSize: 20 })).toMatchObject({ items: [], total: 1 });
  });
});

describe('permissions', () => {
  it('only operators and mediators edit; a refusal is audited and changes nothing', async () => {
    await expect(library.create(handler, typicalCase(), ctx(handler))).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(library.create(workerOf('00000000-0000-4000-8000-000000000001'), typicalCase(), {})).rejects.toMatchObject({ code: 'auth.forbidden' });
    const e = await library.create(operator, typicalCase({ title: '权限测试' }), ctx(operator));
    await expect(library.publish(handler, e.id, {}, ctx(handler))).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(library.adminView(handler, e.id)).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect((await library.adminView(operator, e.id)).status).toBe('draft');
    expect(await audited('library.create', undefined, 'denied')).toBe(2);
    expect(await audited('library.publish', e.id, 'denied')).toBe(1);
  });

  it('an operator of any scope edits the city library; another city does not see it', async () => {
    const streetOperator = await staffAccount(t, 'operator', '330212011');
    const e = await library.create(mediator, typicalCase({ title: '街道运营也能维护' }), ctx(mediator));
    expect((await library.publish(streetOperator, e.id, {}, ctx(streetOperator))).status).toBe('published');
    const elsewhere: StaffPrincipal = { ...operator, cityCode: '3301' };
    await expect(library.adminView(elsewhere, e.id)).rejects.toMatchObject({ code: 'library.not_found' });
  });
});
