// Test fixtures for the points module's tests (not shipped behaviour).
import { expect } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import { nextIdNumber, nextPhone, workerClient } from '../workers/workers.test-support.js';
import type { PointsModule } from './points.module.js';

export { staffClient, insertPlace, auditActions } from '../charging/charging.test-support.js';
export { workerClient, nextPhone };

export const CITY = '3302';

/** The app's points module (services.pointsModule, wired in src/server/services.ts). */
export const pointsOf = (t: TestApp): PointsModule => t.services.pointsModule;
export const AREAS = {
  city: '3302',
  yinzhou: '330212',
  baihe: '330212011', // 白鹤街道 (鄞州区)
  xiaying: '330212001', // 下应街道 (鄞州区)
  haishu: '330203',
  nanmen: '330203001', // 南门街道 (海曙区)
} as const;

/** A verified worker (seeded straight through the workers service), in an area, with a name to mask. */
export async function verifiedWorker(t: TestApp, o: { areaCode?: string; name?: string; phone?: string } = {}): Promise<{ id: string; phone: string }> {
  const phone = o.phone ?? nextPhone();
  const { id } = await t.services.workers.seedWorker({ phone, status: 'approved', name: o.name ?? '张小明', idNumber: nextIdNumber(), areaCode: o.areaCode ?? AREAS.baihe, consent: true });
  return { id, phone };
}

/** Every balance equals the sum of its entries and every transaction sums to zero. */
export async function expectNoDrift(t: TestApp): Promise<void> {
  const d = await pointsOf(t).points.drift();
  expect(d.accounts).toEqual([]);
  expect(d.unbalancedTransactions).toEqual([]);
}

/** Sets the fake clock to a Shanghai wall-clock time ('2026-11-23 23:59'). */
export function setShanghai(t: TestApp, wallClock: string): void {
  t.clock.set(new Date(`${wallClock.replace(' ', 'T')}:00+08:00`));
}

export const noCtx = {};
