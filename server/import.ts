// Imports a device's export file (made in Settings before wiping a device that could not upload):
// `npm run import-records -- kadian-export-….json`, the passphrase from KADIAN_EXPORT_PASSPHRASE or
// typed when asked. Records already here are duplicates; records that break a rule are listed.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { openRecords, readSealedFile, SealedRecords } from '../src/domain/secrets';
import { openStore } from './store';
import { validate } from './validate';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: import-records <export file>');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const sealed = readSealedFile(text, SealedRecords);
if (!sealed) {
  console.error(`${file}: not a Kadian export file`);
  process.exit(1);
}
const passphrase =
  process.env.KADIAN_EXPORT_PASSPHRASE ??
  (await createInterface({ input: process.stdin, output: process.stdout }).question(
    'passphrase: ',
  ));
const records = await openRecords(sealed, passphrase);
if (!records) {
  console.error(`${file}: wrong passphrase, or the file was changed`);
  process.exit(1);
}
const store = await openStore(process.env);
const source = createHash('sha256').update(text).digest('hex').slice(0, 16);
const results = await store.importRecords(records.map(validate), source, Date.now());
await store.close();
const count = (status: string) => results.filter((result) => result.status === status).length;
console.log(
  `${sealed.deviceId}: ${count('accepted')} new, ${count('duplicate')} already here, ${count('rejected')} refused`,
);
for (const result of results)
  if (result.status === 'rejected') console.log(`  ${result.id || '(no id)'}: ${result.error}`);
process.exit(0);
