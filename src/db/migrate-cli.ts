// `npm run migrate`: applies pending migrations and exits (for deployments that migrate before rolling out).
import { loadConfig } from '../server/config.js';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';

const config = loadConfig();
const database = await openDatabase(config);
const applied = await migrate(database.db);
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
await database.close();
