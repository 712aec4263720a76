import fs from 'node:fs';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import type { AppealSummary, StaffAppealView } from '../../src/contracts/appeals.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, call, haveChromium, staffSession, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/worker-appeals-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (白鹤街道), who already has a wage-arrears appeal against 宁波速达劳务派遣. */
const RIDER = '13800000001';
const RESPONDENT = '宁波飞驰配送站';
const DESCRIPTION = '10月配送费 8,600.5 元一直没发，站长说等平台结算，已经拖了一个多月';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A payslip screenshot as a phone would keep it (a PNG with some structure). */
async function screenshotPng(): Promise<Buffer> {
  const w = 320;
  const h = 480;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 7) & 0xff;
      raw[i + 1] = (y * 3) & 0xff;
      raw[i + 2] = (x ^ y) & 0xff;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** A one-page PDF (the attendance record). */
function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 100 Td (attendance) Tj ET\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body);
}

describe.skipIf(!haveChromium)('worker app: 我要维权 (appeals)', () => {
  const j = useJourney();
  /** The rider's phone, kept signed in across the journeys (one SMS sign-in a minute per phone). */
  let rider: { context: BrowserContext; page: Page } | undefined;
  afterAll(async () => {
    await rider?.context.close();
  });

  async function riderPage(): Promise<Page> {
    if (!rider) {
      const context = await j.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      rider = { context, page };
      await signInWorker(page, j.platform.dataDir, RIDER, j.platform.url);
    }
    return rider.page;
  }

  it('files a wage-arrears appeal with two evidence files, once, and follows the deadline clock', async () => {
    const page = await riderPage();
    const filings: number[] = [];
    const uploads: number[] = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (r.request().method() !== 'POST') return;
      if (u.pathname === '/api/appeals') filings.push(r.status());
      if (/^\/api\/appeals\/[^/]+\/evidence$/.test(u.pathname)) uploads.push(r.status());
    });
    const png = await screenshotPng();
    const pdf = tinyPdf();

    // Home → 我要维权
    await page.getByTestId('appeals-shortcut').waitFor();
    await page.getByTestId('appeals-shortcut-new').click();
    await page.getByTestId('appeal-file').waitFor();
    await page.getByRole('radio', { name: /欠薪/ }).click();
    expect(await page.getByRole('radio', { name: /欠薪/ }).getAttribute('aria-checked')).toBe('true');

    // Too short a story: the server's problem+json error is shown under the field, nothing is filed.
    await page.getByLabel('发生了什么').fill('没发工资');
    await page.getByLabel('对方名称').fill(RESPONDENT);
    await page.getByLabel('涉及金额（元，选填）').fill('8600.5');
    // Each file with what it is: the screenshot of the wage app, then the attendance record.
    const kinds = page.getByTestId('appeal-file').locator('.ya-appeal-kinds');
    await kinds.getByText('截图', { exact: true }).click();
    await page.getByTestId('evidence-input').setInputFiles([{ name: 'wages.png', mimeType: 'image/png', buffer: png }]);
    await kinds.getByText('考勤记录', { exact: true }).click();
    await page.getByTestId('evidence-input').setInputFiles([{ name: 'attendance.pdf', mimeType: 'application/pdf', buffer: pdf }]);
    await expect.poll(() => page.getByTestId('upload-row').count()).toBe(2);
    expect(uploads).toEqual([]); // nothing is sent before the appeal exists
    await page.getByTestId('appeal-submit').click();
    await page.getByTestId('error-description').getByText('请至少写 5 个字，说清楚发生了什么').waitFor();
    expect(filings).toEqual([400]);
    await shot(page, 'invalid');

    // Fixed and filed, with a double tap: one appeal, then both files uploaded with their hashes.
    await page.getByLabel('发生了什么').fill(DESCRIPTION);
    await page.getByTestId('appeal-submit').dblclick();
    const filed = page.getByTestId('appeal-filed');
    await filed.waitFor();
    const code = await filed.getAttribute('data-code');
    expect(code).toBeTruthy();
    await page.getByTestId('uploads-summary').getByText('全部材料已保存').waitFor();
    await expect.poll(() => page.locator('[data-testid="upload-row"][data-state="stored"]').count()).toBe(2);
    const hashes = await page.getByTestId('upload-hash').allInnerTexts();
    expect(hashes.join(' ')).toContain(sha256(png).slice(0, 12));
    expect(hashes.join(' ')).toContain(sha256(pdf).slice(0, 12));
    expect(filings.filter((s) => s === 201)).toHaveLength(1);
    expect(filings.filter((s) => s < 300).length).toBeLessThanOrEqual(2); // a replay answers 200 with the same appeal
    expect(uploads).toEqual([201, 201]);
    await shot(page, 'filed');

    // The appeal as staff see it: one of this rider's, with both files and the claim in fen.
    const admin = await staffSession(j.platform.url, 'admin');
    const list = await call<PageOf<AppealSummary>>(admin.get(`/api/admin/appeals?q=${encodeURIComponent(code!)}`));
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const staffView = await call<StaffAppealView>(admin.get(`/api/admin/appeals/${list.body.items[0].id}`));
    expect(staffView.body.amountClaimedFen).toBe(860_050);
    expect(staffView.body.type).toBe('wage_arrears');
    expect(staffView.body.respondent).toMatchObject({ kind: 'company', name: RESPONDENT });
    expect(staffView.body.evidence.map((e) => e.sha256).sort()).toEqual([sha256(png), sha256(pdf)].sort());
    expect(Object.fromEntries(staffView.body.evidence.map((e) => [e.sha256, e.kind]))).toEqual({ [sha256(png)]: 'screenshot', [sha256(pdf)]: 'attendance' });

    // Detail: status, the clock to acknowledgement, both evidence files with their hashes.
    await page.getByTestId('appeal-filed-view').click();
    const detail = page.getByTestId('appeal-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-code')).toBe(code);
    expect(await page.getByTestId('appeal-status').getAttribute('data-status')).toBe('submitted');
    await page.getByTestId('appeal-clock').getByText(/签收时限 · 剩余 \d+ 小时/).waitFor();
    expect(await page.getByTestId('appeal-clock').getAttribute('data-overdue')).toBe('false');
    await page.getByTestId('appeal-claimed').getByText('¥8,600.50').waitFor();
    await expect.poll(() => page.getByTestId('evidence-item').count()).toBe(2);
    const shown = await page.getByTestId('evidence-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-sha256')));
    expect(shown.sort()).toEqual([sha256(png), sha256(pdf)].sort());
    await page.getByTestId('evidence-locker').getByText(`指纹 ${sha256(png).slice(0, 12)}`).waitFor();
    await page.getByTestId('evidence-locker').getByText(`指纹 ${sha256(pdf).slice(0, 12)}`).waitFor();
    await page.locator('[data-testid="timeline-event"][data-type="submitted"]').waitFor();
    await shot(page, 'detail');

    // One more file from the locker (a photo of the station's notice): three, each with its own hash.
    const jpeg = await sharp(png).jpeg({ quality: 80 }).toBuffer();
    await page.getByTestId('locker-input').setInputFiles([{ name: 'notice.jpg', mimeType: 'image/jpeg', buffer: jpeg }]);
    await expect.poll(() => page.getByTestId('evidence-item').count()).toBe(3);
    await page.getByTestId('evidence-locker').getByText(`指纹 ${sha256(jpeg).slice(0, 12)}`).waitFor();
    expect(uploads).toEqual([201, 201, 201]);

    // The legal-aid application, filled in from the appeal, with the address the rider types.
    const documents = page.getByTestId('appeal-documents');
    await documents.getByLabel('住址（打印在申请书上，可不填）').fill('鄞州区白鹤街道百丈路1号');
    const [download] = await Promise.all([page.waitForEvent('download'), documents.getByTestId('document-legal_aid_application').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfBytes = fs.readFileSync((await download.path())!);
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfBytes.length).toBeGreaterThan(10_000);

    // 我的诉求: the new one first with its clock, the demo ones below.
    await page.goto(`${j.platform.url}/worker/appeals`);
    const row = page.locator(`[data-testid="appeal-row"][data-code="${code}"]`);
    await row.waitFor();
    await row.getByText('欠薪').waitFor();
    await row.getByTestId('appeal-clock').getByText(/签收时限 · 剩余/).waitFor();
    expect(await page.getByTestId('appeal-row').first().getAttribute('data-code')).toBe(code);
    await expect.poll(() => page.getByTestId('appeal-row').count()).toBeGreaterThanOrEqual(3);
    await shot(page, 'list');
  });

  it('shows a mediated appeal: the agreement, the payment and the money recovered', async () => {
    const page = await riderPage();
    await page.goto(`${j.platform.url}/worker/appeals`);
    const row = page.locator('[data-testid="appeal-row"][data-status="closed"]').filter({ hasText: '套路租' });
    await row.waitFor();
    await row.click();
    await page.getByTestId('appeal-detail').waitFor();
    await page.getByTestId('appeal-recovered').getByText('¥1,500').waitFor();
    await page.getByTestId('appeal-agreement').getByText('退还全部押金 1,500 元，不再收取维修费').waitFor();
    await page.getByTestId('appeal-payments').getByText(/收到 ¥1,500/).waitFor();
    expect(await page.getByTestId('appeal-rating').getAttribute('data-satisfaction')).toBe('satisfied');
    expect(await page.getByTestId('appeal-clock').count()).toBe(0);
    expect(await page.getByTestId('rating-form').count()).toBe(0);
    expect(await page.getByTestId('reopen-form').count()).toBe(0);
    await shot(page, 'mediated');
  });

  it('rates a resolved appeal: dissatisfied needs a reason, then it is closed and may be reopened once', async () => {
    // The officers take up the rider's demo wage appeal and answer it.
    const admin = await staffSession(j.platform.url, 'admin');
    const found = await call<PageOf<AppealSummary>>(admin.get(`/api/admin/appeals?q=${encodeURIComponent('速达')}`));
    expect(found.status, found.text).toBe(200);
    const demo = found.body.items.find((a) => a.type === 'wage_arrears');
    expect(demo, 'the demo wage-arrears appeal').toBeDefined();
    expect((await call(admin.post(`/api/admin/appeals/${demo!.id}/acknowledge`, {}))).status).toBe(200);
    const resolved = await call<StaffAppealView>(admin.post(`/api/admin/appeals/${demo!.id}/resolve`, { outcome: 'answered', resolution: '已约谈劳务公司，承诺月底前发放' }));
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status).toBe('resolved');

    const page = await riderPage();
    await page.goto(`${j.platform.url}/worker/appeals`);
    const row = page.locator(`[data-testid="appeal-row"][data-code="${demo!.code}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('resolved');
    await row.click();
    const form = page.getByTestId('rating-form');
    await form.waitFor();
    await page.getByTestId('appeal-outcome').getByText('已约谈劳务公司，承诺月底前发放').waitFor();
    await page.getByTestId('appeal-people').getByTestId('appeal-person').first().waitFor();

    // 不满意 without a reason: refused, shown under the form, still open for rating.
    await form.getByText('不满意', { exact: true }).click();
    await page.getByTestId('rating-submit').click();
    await page.getByTestId('rating-error').getByText('选“不满意”时请写明原因').waitFor();
    expect(await page.getByTestId('appeal-detail').getAttribute('data-status')).toBe('resolved');

    await page.getByLabel('原因').fill('只是承诺，钱还没到账');
    await page.getByTestId('rating-submit').click();
    await page.locator('[data-testid="appeal-detail"][data-status="closed"]').waitFor();
    expect(await page.getByTestId('appeal-status').innerText()).toBe('已结案');
    expect(await page.getByTestId('appeal-rating').getAttribute('data-satisfaction')).toBe('dissatisfied');
    await page.locator('[data-testid="timeline-event"][data-type="rated"]').getByText('评价：不满意').waitFor();
    expect(await page.getByTestId('rating-form').count()).toBe(0);
    await shot(page, 'rated');

    // Reopen once: back in progress, the clock running again, no second reopen offered.
    await page.getByLabel('重新办理的理由').fill('工资仍未到账，请继续督促');
    await page.getByTestId('reopen-submit').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('每件诉求只能重新办理一次，确定申请吗？').waitFor();
    await dialog.getByRole('button', { name: buttonName('申请重新办理') }).click();
    await page.locator('[data-testid="appeal-detail"][data-status="in_progress"]').waitFor();
    await page.getByTestId('appeal-clock').getByText(/办结时限/).waitFor();
    expect(await page.getByTestId('reopen-form').count()).toBe(0);

    const after = await call<StaffAppealView>(admin.get(`/api/admin/appeals/${demo!.id}`));
    // Reopened: the earlier rating is cleared (a new one is asked for when it is resolved again).
    expect(after.body).toMatchObject({ status: 'in_progress', reopenCount: 1, satisfaction: null });
    expect(after.body.timeline.filter((e) => e.type === 'reopened')).toHaveLength(1);
    await page.locator('[data-testid="timeline-event"][data-type="reopened"]').getByText('重新办理').waitFor();
  });
});
