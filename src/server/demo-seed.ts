// STUB — filled once staff and workers land: departments, demo staff of every role, demo workers.
import type { Services } from './services.js';

export const DEMO_CITY = '3302';

export interface DemoLogin {
  app: 'worker' | 'admin' | 'scanner';
  role: string;
  username: string;
  password?: string;
  note: string;
}

export async function seedDemoCity(services: Services): Promise<{ seeded: boolean; logins: DemoLogin[] }> {
  await services.areas.ensureCity(DEMO_CITY);
  return { seeded: false, logins: [] };
}
