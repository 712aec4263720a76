import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { desktopPage, haveChromium, useJourney, signInAdmin, buttonName } from './harness.js';

/** The antd form item with this label. */
const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

/** Opens an antd Select by its form label and picks the option with this text. */
async function choose(root: Locator, label: string, option: string) {
  const page = root.page();
  await formItem(root, label).locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe.skipIf(!haveChromium)('admin console: an operator sets up a department and a handler', () => {
  const j = useJourney();

  it('creates a department and a street handler in it, who can then sign in', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'admin');
    const menu = page.getByRole('navigation', { name: '菜单' });
    for (const item of ['实名审核', '人员', '部门', '账号', '审计日志', '账号设置']) {
      await menu.getByRole('menuitem', { name: item, exact: true }).waitFor();
    }

    // 部门: a new department.
    await menu.getByRole('menuitem', { name: '部门', exact: true }).click();
    const departments = page.getByTestId('departments-table');
    await departments.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: '新建部门' }).click();
    const deptDialog = page.getByRole('dialog', { name: '新建部门' });
    await deptDialog.getByLabel('编码').fill('delivery_safety');
    await deptDialog.getByLabel('中文名称').fill('骑手安全专班');
    await deptDialog.getByLabel('英文名称').fill('Rider Safety Task Force');
    await deptDialog.getByRole('button', { name: '保存' }).click();
    await departments.locator('tr', { hasText: 'delivery_safety' }).waitFor();
    expect(await departments.locator('tr', { hasText: 'delivery_safety' }).textContent()).toContain('骑手安全专班');

    // The same code again is refused on the code field.
    await page.getByRole('button', { name: '新建部门' }).click();
    await deptDialog.getByLabel('编码').fill('delivery_safety');
    await deptDialog.getByLabel('中文名称').fill('重复部门');
    await deptDialog.getByLabel('英文名称').fill('Duplicate');
    await deptDialog.getByRole('button', { name: '保存' }).click();
    await deptDialog.getByText('部门编码已存在').waitFor();
    await deptDialog.getByRole('button', { name: '取消' }).click();
    await page.screenshot({ path: '/tmp/admin-departments.png' });

    // 账号: a handler scoped to 白鹤街道 in the new department.
    await menu.getByRole('menuitem', { name: '账号', exact: true }).click();
    await page.getByTestId('staff-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: '新建账号' }).click();
    const staffDialog = page.getByRole('dialog', { name: '新建账号' });
    await staffDialog.getByLabel('用户名').fill('baihe.safety');
    await staffDialog.getByLabel('姓名').fill('白鹤街道 安全专员 钱工');
    await staffDialog.getByLabel('初始密码').fill('Safety2026pass');
    await choose(staffDialog, '角色', '部门/镇街经办人');
    // Departments appear once the role takes them; a handler must have one.
    await staffDialog.getByLabel('所属部门').waitFor();
    await formItem(staffDialog, '管辖区域').locator('.ant-cascader, .ant-select').first().click();
    const cascader = page.locator('.ant-cascader-dropdown:visible');
    await cascader.locator('.ant-cascader-menu-item', { hasText: '宁波市' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '鄞州区' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '白鹤街道' }).click();
    await page.keyboard.press('Escape');
    await staffDialog.getByTitle('宁波市 / 鄞州区 / 白鹤街道').waitFor();
    await staffDialog.getByRole('button', { name: '保存' }).click();
    await staffDialog.getByText('请至少选择一个部门').waitFor();
    await choose(staffDialog, '所属部门', '骑手安全专班');
    await page.keyboard.press('Escape');
    await page.screenshot({ path: '/tmp/admin-staff-create.png' });
    await staffDialog.getByRole('button', { name: '保存' }).click();
    const row = page.getByTestId('staff-table').locator('tr', { hasText: 'baihe.safety' });
    await row.waitFor();
    expect(await row.textContent()).toContain('白鹤街道');
    expect(await row.textContent()).toContain('骑手安全专班');
    await page.screenshot({ path: '/tmp/admin-staff.png' });

    // Editing shows the saved area path and department, and saves a change.
    await row.getByRole('button', { name: '编辑' }).click();
    const editDialog = page.getByRole('dialog', { name: '编辑账号' });
    await editDialog.getByTitle('宁波市 / 鄞州区 / 白鹤街道').waitFor();
    expect(await editDialog.getByLabel('用户名').isDisabled()).toBe(true);
    expect(await formItem(editDialog, '所属部门').textContent()).toContain('骑手安全专班');
    await editDialog.getByLabel('姓名').fill('白鹤街道 安全专员 钱工程师');
    await page.screenshot({ path: '/tmp/admin-staff-edit.png' });
    await editDialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.textContent()).toContain('钱工程师');

    // The server holds it as asked.
    const { items } = await page.evaluate(async () => (await fetch('/api/admin/staff?q=baihe.safety')).json());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ username: 'baihe.safety', role: 'handler', areaCode: '330212011', active: true });
    const depts: { id: string; code: string; staffCount: number }[] = await page.evaluate(async () => (await fetch('/api/admin/departments')).json());
    const dept = depts.find((d) => d.code === 'delivery_safety')!;
    expect(items[0].departmentIds).toEqual([dept.id]);

    // Sign out; the new handler signs in and sees the handler's console.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: buttonName('登录') }).waitFor();
    await signInAdmin(page, j.platform.url, 'baihe.safety', 'Safety2026pass');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('白鹤街道 安全专员 钱工程师');
    expect(await page.getByTestId('current-user').textContent()).toContain('部门/镇街经办人');
    await menu.getByRole('menuitem', { name: '人员' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: '实名审核' }).count()).toBe(0);
    expect(await menu.getByRole('menuitem', { name: '账号', exact: true }).count()).toBe(0);
    // Workers are listed masked, with no plaintext action for a handler.
    const workerRows = page.getByTestId('workers-table').locator('tbody tr.ant-table-row');
    await workerRows.first().waitFor();
    expect(await page.getByTestId('workers-table').textContent()).toMatch(/138\*{4}\d{4}/);
    await workerRows.first().getByRole('button', { name: '详情' }).click();
    await page.locator('.ant-drawer .ant-descriptions').waitFor();
    expect(await page.getByRole('button', { name: '查看明文' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/admin-handler-workers.png' });
    await page.context().close();
  });
});
