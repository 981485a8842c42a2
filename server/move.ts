// Moves a receiver's SQLite file into this receiver's database (KADIAN_DATABASE_URL, or KADIAN_DB):
// `npm run move-records -- county.sqlite`. Run again after a stop, or to be sure: what is already
// there is left as it is. See docs/deployment.md.
import { resolve } from 'node:path';
import { moveStore } from './move-store';
import { openStore } from './store';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: move-records <receiver file.sqlite>');
  process.exit(2);
}
if (
  !process.env.KADIAN_DATABASE_URL &&
  resolve(process.env.KADIAN_DB ?? 'data/kadian.sqlite') === resolve(file)
) {
  console.error(
    'the file to move is this receiver’s own: set KADIAN_DATABASE_URL or KADIAN_DB to the database it goes to',
  );
  process.exit(2);
}
const source = await openStore({ KADIAN_DB: file });
const target = await openStore(process.env);
try {
  const moved = await moveStore(source, target, (line) => process.stdout.write(`\r${line}`));
  console.log(`\n${file}: ${moved.records} records moved, ${moved.duplicates} already there`);
  for (const [table, rows] of Object.entries(moved.copied))
    console.log(`  ${table}: ${rows} copied`);
} finally {
  await source.close();
  await target.close();
}
