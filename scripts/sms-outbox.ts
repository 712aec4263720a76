/**
 * npm run sms:outbox [-- --phone 13800000001] [--all]
 * Shows the latest messages the development SMS adapter wrote to DATA_DIR/sms-outbox.jsonl.
 */
import path from 'node:path';
import { outboxPath, readOutbox } from '../src/platform/sms/sms.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

const dataDir = path.resolve(process.env.DATA_DIR || './data');
const phone = argValue('--phone');
const lines = await readOutbox(dataDir, phone);
const shown = lines.slice(-10);

if (shown.length === 0) {
  console.log(`No SMS in ${outboxPath(dataDir)}${phone ? ` for ${phone}` : ''} yet.`);
} else {
  console.log(`Last ${shown.length} of ${lines.length} SMS in ${outboxPath(dataDir)}${phone ? ` for ${phone}` : ''} (newest last):`);
  for (const m of shown) {
    const local = new Date(m.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    const code = m.params?.code ? `code ${m.params.code}` : m.template;
    console.log(`  ${local}  ${m.phone}  ${code.padEnd(12)}  ${m.text}`);
  }
}
