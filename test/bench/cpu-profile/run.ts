/**
 * `node --import tsx test/bench/cpu-profile/run.ts <dir> [accept|e2e|both]`: starts the built
 * headless console with a CPU profiler and an event-loop delay monitor preloaded in the main
 * process and every worker (`preload.mjs`: Node 20 refuses `--cpu-prof` in NODE_OPTIONS), puts
 * the accept load (8 s, 50 connections) and/or 10,000 kind A jobs end to end on it, prints the
 * CPU each process on the machine used per job, and stops the console cleanly so every process
 * writes `<dir>/*.cpuprofile` and `<dir>/loop.*.txt`. Read a profile with `analyze.ts`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueNamespace } from '../../support/namespace';
import { startHeadless } from '../headless-console';
import { loadAccept, submitJobs } from '../http-load';
import { jobdeckDrained } from '../stages/jobdeck';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const END_TO_END_JOBS = 10_000;
const WARMUP_JOBS = 1_000;

/** CPU seconds every process on the machine has used so far, by command name (the console's by pid). */
function cpuByProcess(own: Set<number>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      const key = own.has(Number(entry)) ? `console:${entry}` : name;
      sums.set(key, (sums.get(key) ?? 0) + seconds);
    } catch {
      // The process ended meanwhile.
    }
  }
  return sums;
}

function cpuPerJob(before: Map<string, number>, after: Map<string, number>, jobs: number): string {
  return [...after]
    .map(([name, total]) => [name, total - (before.get(name) ?? 0)] as const)
    .filter(([, used]) => used > 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, used]) => `${name.padEnd(28)} ${used.toFixed(2).padStart(6)} s ${((used * 1e6) / jobs).toFixed(0).padStart(5)} µs/job`)
    .join('\n');
}

const childPids = (pid: number): number[] =>
  execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='])
    .toString()
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);

const dir = resolve(process.argv[2] ?? '/tmp/jobdeck-profile');
const what = process.argv[3] ?? 'both';
const app = await startHeadless(ROOT, uniqueNamespace('jdbench'), {
  NODE_OPTIONS: `--import ${resolve(HERE, 'preload.mjs')}`,
  JOBDECK_PROFILE_DIR: dir,
});
try {
  const own = new Set([app.pid, ...childPids(app.pid)]);
  if (what !== 'e2e') {
    const before = cpuByProcess(own);
    const figure = await loadAccept(app.url, 8, 50);
    await jobdeckDrained(app);
    console.log('accept', figure, `\n${cpuPerJob(before, cpuByProcess(own), figure.requests + WARMUP_JOBS)}`);
  }
  await jobdeckDrained(app);
  if (what !== 'accept') {
    const before = cpuByProcess(own);
    const started = performance.now();
    await submitJobs(app.url, END_TO_END_JOBS, 50);
    await jobdeckDrained(app);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`end to end: ${END_TO_END_JOBS} jobs in ${seconds} s\n${cpuPerJob(before, cpuByProcess(own), END_TO_END_JOBS)}`);
  }
} finally {
  await app.stop();
}
