// Preloaded (NODE_OPTIONS=--import) into the console and its workers by run.ts: a CPU profile
// and the event-loop delay of this process, written to JOBDECK_PROFILE_DIR when it exits.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.JOBDECK_PROFILE_DIR || '/tmp';
const name = `${process.argv.slice(1).map((arg) => path.basename(arg)).join('_')}.${process.pid}`;
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

process.once('exit', () => {
  delay.disable();
  const ms = (ns) => (ns / 1e6).toFixed(1);
  fs.writeFileSync(
    path.join(dir, `loop.${name}.txt`),
    `event-loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms\n`,
  );
  // The main thread's session answers synchronously, so the profile is written before exit.
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
  });
});
