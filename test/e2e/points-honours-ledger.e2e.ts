import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { LedgerSummary, LedgerTransaction } from '../../src/contracts/points.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, desktopPage, haveChromium, phonePage, signInAdmin, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/points-honours-${name}.png`, fullPage: true });
}

const RIDER = '13800000001';
const STORY = { title: '暴雨夜护送迷路老人回家', story: '7月12日晚上暴雨，在鄞州区白鹤街道送餐途中遇到一位迷路的老人，陪他等到家人来接，全程一个多小时。' };

/** Signs a worker in on the sign-in screen (already open), accepting the privacy notice if asked. */
/** The balance on 我的积分, as a number. */
async function balanceOn(page: Page): Promise<number> {
  const text = await page.getByTestId('points-balance').innerText();
  return Number(text.replace(/[^\d-]/g, ''));
}

/** This month in Asia/Shanghai, YYYY-MM (the ledger's month). */
function shanghaiMonth(): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

describe.skipIf(!haveChromium)('points: an operator approves a 微光榜 story, the worker sees the points; staff export the month’s ledger', () => {
  const j = useJourney();

  it('a rider nominates a good deed, the operator approves it, and the rider’s balance and history show the award', async () => {
    // The rider: home → 我的积分, note the balance, then nominate the good deed on 微光榜.
    const worker = await phonePage(j.browser);
    worker.setDefaultTimeout(15_000);
    await worker.goto(`${j.platform.url}/worker/signin`);
    await signInWorker(worker, j.platform.dataDir, RIDER);
    await worker.getByTestId('points-shortcut').getByRole('button', { name: '我的积分' }).click();
    await worker.getByTestId('points-home').waitFor();
    const before = await balanceOn(worker);
    await shot(worker, 'worker-before');

    await worker.getByTestId('points-entry-honours').click();
    await worker.getByRole('tab', { name: '好人好事' }).waitFor();
    await worker.getByTestId('nominate').click();
    const form = worker.getByTestId('nominate-form');
    await form.getByText('我自己').click();
    await form.getByLabel('标题').fill(STORY.title);
    await form.getByLabel('经过').fill(STORY.story);
    await shot(worker, 'nominate');
    await form.getByRole('button', { name: buttonName('提交推荐') }).click();
    // back on 微光榜: my nomination is under review, not on the roll yet
    const mine = worker.getByTestId('my-nominations');
    await mine.getByText(STORY.title).waitFor();
    await mine.getByText('审核中').waitFor();
    expect(await worker.getByTestId('honour-story').filter({ hasText: STORY.title }).count()).toBe(0);

    // The operator: 积分 → 微光榜审核 → approve it.
    const admin = await desktopPage(j.browser);
    admin.setDefaultTimeout(15_000);
    await signInAdmin(admin, j.platform.url, 'admin');
    await admin.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '积分' }).click();
    await admin.getByRole('heading', { name: '积分与荣誉' }).waitFor();
    await admin.getByRole('tab', { name: '微光榜审核' }).click();
    const rows = admin.getByTestId('points-honours-table').locator('tbody tr.ant-table-row');
    const row = rows.filter({ hasText: STORY.title });
    await row.waitFor();
    await row.getByText('工作者 本人').waitFor();
    await shot(admin, 'queue');
    await row.getByRole('button', { name: `通过 ${STORY.title}`, exact: true }).click();
    const dialog = admin.getByRole('dialog', { name: '通过并上榜' });
    await dialog.getByLabel('备注（选填）').fill('事迹属实，社区已核实');
    await dialog.getByRole('button', { name: buttonName('通过') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.getByText('已通过，积分已发放').waitFor();
    // it left the queue; under 已上榜 with the points it earned
    await expect.poll(() => rows.filter({ hasText: STORY.title }).count()).toBe(0);
    await admin.getByRole('tab', { name: '已上榜' }).click();
    const approved = rows.filter({ hasText: STORY.title });
    const awardedText = await approved.getByText(/^\+\d+ 分$/).innerText();
    const awarded = Number(awardedText.replace(/[^\d]/g, ''));
    expect(awarded).toBeGreaterThan(0);
    await shot(admin, 'approved');

    // The rider: the story is on the roll (masked name), the balance went up by the award, the history says why.
    await worker.reload();
    await worker.getByTestId('honour-story').filter({ hasText: STORY.title }).waitFor();
    await worker.getByTestId('my-nominations').getByText('已上榜').waitFor();
    const story = worker.getByTestId('honour-story').filter({ hasText: STORY.title });
    expect(await story.innerText()).not.toContain(RIDER);
    await shot(worker, 'roll');
    await worker.goto(`${j.platform.url}/worker/points`);
    await expect.poll(() => balanceOn(worker)).toBe(before + awarded);
    expect(Number((await worker.getByTestId('points-earned-month').innerText()).replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(awarded);
    await worker.getByTestId('points-entry-history').click();
    const first = worker.getByTestId('history-item').first();
    await first.waitFor();
    expect(await first.getAttribute('data-kind')).toBe('award');
    expect(await first.innerText()).toContain(`+${awarded}`);
    expect(await first.innerText()).toContain('微光榜');
    await worker.getByTestId('history-balance').getByText(`当前可用 ${before + awarded} 分`).waitFor();
    await shot(worker, 'history');
    await worker.context().close();
    await admin.context().close();
  });

  it('staff export the month’s ledger to XLSX: every transaction of the month is in it and the totals match', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '积分' }).click();
    await page.getByRole('tab', { name: '积分台账' }).click();
    // the drift check runs and finds nothing
    await expect.poll(() => page.getByTestId('drift-status').getAttribute('data-ok')).toBe('true');
    await page.getByTestId('ledger-summary').waitFor();
    const table = page.getByTestId('points-ledger-table').locator('tbody tr.ant-table-row');
    await table.filter({ hasText: STORY.title }).first().waitFor();
    await shot(page, 'ledger');

    const month = shanghaiMonth();
    await page.getByTestId('export-ledger').getByText('导出本月台账 XLSX').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ledger').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);

    // What the API says about the month, read with the same session.
    const { transactions, summary } = await page.evaluate(async (m) => {
      const all: LedgerTransaction[] = [];
      for (let p = 1; ; p++) {
        const res = await fetch(`/api/admin/points/transactions?month=${m}&page=${p}&pageSize=100`);
        const body = (await res.json()) as PageOf<LedgerTransaction>;
        all.push(...body.items);
        if (p * body.pageSize >= body.total) break;
      }
      const summary = (await (await fetch(`/api/admin/points/summary?month=${m}`)).json()) as LedgerSummary;
      return { transactions: all, summary };
    }, month);
    expect(transactions.length).toBeGreaterThan(0);

    const ledger = workbook.getWorksheet('台账');
    expect(ledger, 'sheet 台账').toBeDefined();
    const header = (ledger!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(['时间（北京时间）', '交易编号', '类型', '事由', '来源', '账户', '积分']);
    const rows: { id: string; reason: string; amount: number; at: string }[] = [];
    ledger!.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      rows.push({ at: String(v[1]), id: String(v[2]), reason: String(v[4]), amount: Number(v[7]) });
    });
    // one row per entry: every transaction's entries, summing to zero per transaction
    const entries = transactions.reduce((n, tx) => n + tx.entries.length, 0);
    expect(rows.length).toBe(entries);
    for (const tx of transactions) {
      const mine = rows.filter((r) => r.id === tx.id);
      expect(mine.length, `rows of ${tx.id}`).toBe(tx.entries.length);
      expect(mine.reduce((s, r) => s + r.amount, 0)).toBe(0);
      expect(mine[0].reason).toBe(tx.reason);
    }
    const honour = transactions.find((tx) => tx.kind === 'award' && tx.source?.type === 'honour');
    expect(honour, 'the approved story’s award').toBeDefined();
    expect(rows.every((r) => r.at.startsWith(month))).toBe(true);

    const totals = workbook.getWorksheet('汇总');
    expect(totals, 'sheet 汇总').toBeDefined();
    const byItem = new Map<string, unknown>();
    totals!.eachRow((row, n) => {
      if (n > 1) byItem.set(String((row.values as unknown[])[1]), (row.values as unknown[])[2]);
    });
    expect(byItem.get('月份')).toBe(month);
    expect(Number(byItem.get('发放积分'))).toBe(summary.issued);
    expect(Number(byItem.get('交易笔数'))).toBe(summary.transactions);
    expect(String(byItem.get('对账检查'))).toContain('平衡');
    await page.context().close();
  });
});
