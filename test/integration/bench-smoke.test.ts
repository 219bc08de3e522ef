import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_SECTIONS, type BenchReport } from '../bench/report';
import type { SoakFigure } from '../bench/stages/soak';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'jobdeck-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The bench command end to end on tiny sizes: every stage runs and the report says so. No timing is asserted. */
describe('npm run bench', () => {
  it('runs every stage on tiny sizes and writes the report, JSON and Markdown, with every section', { timeout: 300_000 }, async () => {
    await run('npm', ['run', 'bench', '--', '--profile', 'tiny', '--out', out], { maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BenchReport;
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report.profile.name).toBe('tiny');
    for (const section of REPORT_SECTIONS) {
      expect(report.stages[section], section).toBeTypeOf('object');
      expect(report.stages[section], section).not.toHaveProperty('error');
      expect(markdown).toContain(`### ${section}`);
    }
    expect(report.stages.jobdeck_end_to_end).toMatchObject({ jobs: 200 });
    expect(Object.keys(report.versions)).toEqual(expect.arrayContaining(['node', 'rabbitmq', 'redis', 'postgresql', 'bullmq']));
    const soak = report.stages.jobdeck_soak as SoakFigure;
    expect(soak.accepted).toBe(soak.submitted);
    expect(soak.not_done).toBe(0);
    expect(soak.series.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(soak.workers).map((label) => label.split(' ')[1])).toEqual(expect.arrayContaining(['log', 'callback', 'email']));
    expect(report.targets.map((t) => t.what)).toHaveLength(20);
    for (const target of report.targets) expect(markdown).toContain(`| ${target.what} |`);
    expect(Object.keys(report.ratios)).toContain('end_to_end_vs_bullmq');
  });
});
