// A command kind whose dependency is down while its job's `outage_file` exists: it then exits 69
// (EX_UNAVAILABLE). `mode: "bad"` is the job's own bad input: a permanent failure.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

for await (const line of createInterface({ input: process.stdin })) {
  const job = JSON.parse(line);
  if (job.payload.mode === 'bad') {
    console.log(JSON.stringify({ permanent: true }));
    console.error('payload.mode "bad" is refused');
    process.exit(1);
  }
  if (job.payload.outage_file && existsSync(job.payload.outage_file)) {
    console.error('the service this command needs is down');
    process.exit(69);
  }
  console.log(JSON.stringify({ result: { ran_on_attempt: job.attempt } }));
  break;
}
