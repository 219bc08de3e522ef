// The same protocol from Node: reads its job from stdin, prints JSON lines and garbage.
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const job = JSON.parse(line);
  console.log(JSON.stringify({ progress: 40 }));
  console.log('{"unterminated": ');
  console.log(JSON.stringify({ log: `node got ${job.payload.text}` }));
  if (job.payload.mode === 'exit-by-term') process.kill(process.pid, 'SIGTERM');
  console.log(JSON.stringify({ result: { length: job.payload.text.length } }));
  break;
}
