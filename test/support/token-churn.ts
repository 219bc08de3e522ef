/**
 * A process that changes a tokens file many times, for the test of concurrent changes: it
 * creates `<prefix>-0` … `<prefix>-<count - 1>` and revokes every odd one, once stdin says go.
 * Usage: token-churn.ts <file> <prefix> <count>
 */
import { TokenStore } from '../../src-main/access/token-store';

const [file, prefix, count] = process.argv.slice(2) as [string, string, string];
const store = new TokenStore(file);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  for (let i = 0; i < Number(count); i++) {
    if (!store.create(`${prefix}-${i}`, 'read')) throw new Error(`${prefix}-${i} exists already`);
    if (i % 2 === 1 && !store.revoke(`${prefix}-${i}`)) throw new Error(`${prefix}-${i} was lost before its revoke`);
  }
  process.exit(0);
});
