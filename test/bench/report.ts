/**
 * The bench report: every figure, the versions, each Jobdeck figure as a ratio to its baseline,
 * and PASS/MISS against the targets of issue 6. Written as JSON and Markdown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchProfile } from './profile';
import { FLAT_GROWTH, FLAT_SLOPE_MB_PER_MIN, type SoakFigure } from './stages/soak';
import { round } from './stats';
import { LIMIT_PER_S, TOLERANCE, type RateLimitFigure } from './stages/rate-limit';

export interface TargetCheck {
  what: string;
  figure: number;
  target: string;
  pass: boolean;
}

export interface BenchReport {
  started_at: string;
  profile: BenchProfile;
  machine: { cpus: number; platform: string };
  versions: Record<string, string>;
  /** Every stage's figures, by stage name; a stage that could not run holds `{ skipped | error }`. */
  stages: Record<string, unknown>;
  ratios: Record<string, number>;
  targets: TargetCheck[];
}

/** The section names every report has, in order (the smoke test checks them). */
export const REPORT_SECTIONS = [
  'broker_floor',
  'minimal_pipeline',
  'bullmq',
  'minimal_http',
  'jobdeck_accept',
  'jobdeck_end_to_end',
  'jobdeck_steady',
  'jobdeck_delayed',
  'jobdeck_memory',
  'jobdeck_console',
  'jobdeck_soak',
  'jobdeck_search',
  'jobdeck_rate_limit',
] as const;

type Num = number | undefined;
const get = (stages: Record<string, unknown>, stage: string, field: string): Num => {
  const value = (stages[stage] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'number' ? value : undefined;
};
const ratio = (a: Num, b: Num): number => (a !== undefined && b ? round(a / b) : Number.NaN);

export function ratiosOf(stages: Record<string, unknown>): Record<string, number> {
  const e2e = get(stages, 'jobdeck_end_to_end', 'jobs_per_s');
  return {
    accept_vs_minimal_http: ratio(get(stages, 'jobdeck_accept', 'req_per_s'), get(stages, 'minimal_http', 'req_per_s')),
    end_to_end_vs_bullmq: ratio(e2e, get(stages, 'bullmq', 'jobs_per_s')),
    end_to_end_vs_minimal_pipeline: ratio(e2e, get(stages, 'minimal_pipeline', 'jobs_per_s')),
    end_to_end_vs_broker_floor: ratio(e2e, get(stages, 'broker_floor', 'jobs_per_s')),
  };
}

export function targetsOf(stages: Record<string, unknown>, ratios: Record<string, number>): TargetCheck[] {
  const steady = stages.jobdeck_steady as { submit_to_done?: { p99_ms: number }; submit_to_sse?: { p99_ms: number } } | undefined;
  const memory = stages.jobdeck_memory as { main_mb?: number; workers_mb?: number[] } | undefined;
  const searched = get(stages, 'jobdeck_search', 'jobs') ?? '—';
  const atMost = (what: string, figure: Num, limit: number, unit: string): TargetCheck => ({
    what,
    figure: figure ?? Number.NaN,
    target: `≤ ${limit} ${unit}`,
    pass: figure !== undefined && figure <= limit,
  });
  const atLeast = (what: string, figure: number, limit: number): TargetCheck => ({
    what,
    figure,
    target: `≥ ${limit}×`,
    pass: figure >= limit,
  });
  return [
    atLeast('accept req/s vs minimal HTTP handler', ratios.accept_vs_minimal_http!, 0.9),
    atMost('accept p99', get(stages, 'jobdeck_accept', 'p99_ms'), 50, 'ms'),
    atLeast('end to end jobs/s vs BullMQ', ratios.end_to_end_vs_bullmq!, 1.5),
    atMost('steady submit → DONE p99', steady?.submit_to_done?.p99_ms, 25, 'ms'),
    atMost('steady submit → SSE event p99', steady?.submit_to_sse?.p99_ms, 50, 'ms'),
    atMost('delayed job start lateness p99 (STARTED − run_at)', get(stages, 'jobdeck_delayed', 'lateness_p99_ms'), 1_000, 'ms'),
    atMost('console frame p95', get(stages, 'jobdeck_console', 'frame_p95_ms'), 16.7, 'ms'),
    atMost('console change visible p99', get(stages, 'jobdeck_console', 'change_visible_p99_ms'), 250, 'ms'),
    atMost('main process RSS', memory?.main_mb, 250, 'MB'),
    atMost('largest worker RSS', memory?.workers_mb?.length ? Math.max(...memory.workers_mb) : undefined, 120, 'MB'),
    ...soakTargets(stages.jobdeck_soak as Partial<SoakFigure> | undefined, atMost),
    atMost(`rate limit ${LIMIT_PER_S}/s over ${get(stages, 'jobdeck_rate_limit', 'seconds') ?? '—'} s, ${get(stages, 'jobdeck_rate_limit', 'workers') ?? '—'} workers: |mean − limit| / limit`, get(stages, 'jobdeck_rate_limit', 'deviation'), TOLERANCE, ''),
    atMost(`search: selective query p95 (${searched} jobs)`, get(stages, 'jobdeck_search', 'selective_p95_ms'), 200, 'ms'),
    atMost(`search: broad query's first page p95 (${searched} jobs)`, get(stages, 'jobdeck_search', 'broad_page_p95_ms'), 100, 'ms'),
  ];
}

/** The soak's checks: under the memory limits throughout, flat once warm (see stages/soak.ts), every job DONE. */
function soakTargets(soak: Partial<SoakFigure> | undefined, atMost: (what: string, figure: Num, limit: number, unit: string) => TargetCheck): TargetCheck[] {
  const workers = Object.values(soak?.workers ?? {});
  const worst = (pick: (w: (typeof workers)[number]) => number): Num => (workers.length ? round(Math.max(...workers.map(pick))) : undefined);
  const growth = (p: { last_mb: number; warm_mb: number }) => p.last_mb / p.warm_mb;
  return [
    atMost('soak: main RSS, max', soak?.main?.max_mb, 250, 'MB'),
    atMost('soak: largest worker RSS, max', worst((w) => w.max_mb), 120, 'MB'),
    atMost('soak: main RSS slope, second half', soak?.main?.slope_mb_per_min, FLAT_SLOPE_MB_PER_MIN, 'MB/min'),
    atMost('soak: main RSS last / end of warm-up', soak?.main ? round(growth(soak.main)) : undefined, FLAT_GROWTH, '×'),
    atMost('soak: steepest worker RSS slope, second half', worst((w) => w.slope_mb_per_min), FLAT_SLOPE_MB_PER_MIN, 'MB/min'),
    atMost('soak: largest worker RSS last / end of warm-up', worst(growth), FLAT_GROWTH, '×'),
    atMost('soak: accepted jobs not DONE', soak?.not_done, 0, 'jobs'),
  ];
}

/** The headline figures: Jobdeck beside the baseline each corresponds to. */
function headline(report: BenchReport): string[] {
  const s = report.stages;
  const num = (stage: string, field: string): string => String(get(s, stage, field) ?? '—');
  const steady = s.jobdeck_steady as { submit_to_done?: { p50_ms: number; p99_ms: number }; submit_to_sse?: { p50_ms: number; p99_ms: number } };
  const memory = s.jobdeck_memory as { main_mb?: number; workers_mb?: number[]; jobs_known?: number };
  return [
    '| figure | Jobdeck | baseline | ratio |',
    '| --- | --- | --- | --- |',
    `| accept, req/s (p50 / p99 ms) | ${num('jobdeck_accept', 'req_per_s')} (${num('jobdeck_accept', 'p50_ms')} / ${num('jobdeck_accept', 'p99_ms')}) | minimal HTTP handler ${num('minimal_http', 'req_per_s')} (${num('minimal_http', 'p50_ms')} / ${num('minimal_http', 'p99_ms')}) | ${report.ratios.accept_vs_minimal_http}× |`,
    `| end to end, jobs/s | ${num('jobdeck_end_to_end', 'jobs_per_s')} | BullMQ ${num('bullmq', 'jobs_per_s')} | ${report.ratios.end_to_end_vs_bullmq}× |`,
    `| | | minimal pipeline ${num('minimal_pipeline', 'jobs_per_s')} | ${report.ratios.end_to_end_vs_minimal_pipeline}× |`,
    `| | | broker floor ${num('broker_floor', 'jobs_per_s')} | ${report.ratios.end_to_end_vs_broker_floor}× |`,
    `| steady 200/s: submit → DONE, p50 / p99 ms | ${steady?.submit_to_done?.p50_ms ?? '—'} / ${steady?.submit_to_done?.p99_ms ?? '—'} | | |`,
    `| steady 200/s: submit → SSE event, p50 / p99 ms | ${steady?.submit_to_sse?.p50_ms ?? '—'} / ${steady?.submit_to_sse?.p99_ms ?? '—'} | | |`,
    `| delayed: ${num('jobdeck_delayed', 'jobs')} jobs due over ${num('jobdeck_delayed', 'spread_s')} s, ${num('jobdeck_delayed', 'load_jobs_per_s')} jobs/s besides: start lateness p50 / p99 / max (promoted p99), ms | ${num('jobdeck_delayed', 'lateness_p50_ms')} / ${num('jobdeck_delayed', 'lateness_p99_ms')} / ${num('jobdeck_delayed', 'lateness_max_ms')} (${num('jobdeck_delayed', 'promoted_p99_ms')}) | | |`,
    `| console: frame p95 / change visible p99, ms | ${num('jobdeck_console', 'frame_p95_ms')} / ${num('jobdeck_console', 'change_visible_p99_ms')} | | |`,
    `| memory: main / workers, MB (${memory?.jobs_known ?? '—'} jobs known) | ${memory?.main_mb ?? '—'} / ${memory?.workers_mb?.join(', ') ?? '—'} | | |`,
    ...soakHeadline(s.jobdeck_soak as Partial<SoakFigure> | undefined),
    rateLimitHeadline(s.jobdeck_rate_limit as Partial<RateLimitFigure> | undefined),
    `| search over ${num('jobdeck_search', 'jobs')} jobs: selective p95 / broad page p95, ms | ${num('jobdeck_search', 'selective_p95_ms')} / ${num('jobdeck_search', 'broad_page_p95_ms')} | | |`,
  ];
}

/** The rate limit's row: the mean and the fewest and most started in one second. */
function rateLimitHeadline(figure: Partial<RateLimitFigure> | undefined): string {
  if (figure?.mean_per_s === undefined) return `| rate limit ${LIMIT_PER_S}/s: started per second, mean (min–max) | — | | |`;
  return `| rate limit ${LIMIT_PER_S}/s, ${figure.workers} workers, ${figure.seconds} s: started per second, mean (min–max) | ${figure.mean_per_s} (${figure.min_in_a_second}–${figure.max_in_a_second}) | | |`;
}

/** The soak's rows: per process first / end of warm-up / last / max MB and the slope. */
function soakHeadline(soak: Partial<SoakFigure> | undefined): string[] {
  if (!soak?.main) return ['| soak: RSS first / warm / last / max MB, slope MB/min | — | | |'];
  const processes = { main: soak.main, ...soak.workers };
  return Object.entries(processes).map(
    ([label, p]) =>
      `| soak ${soak.seconds} s at ${soak.rate_per_s}/s, ${label}: RSS first / warm / last / max MB, slope MB/min | ${p.first_mb} / ${p.warm_mb} / ${p.last_mb} / ${p.max_mb}, ${p.slope_mb_per_min} (${p.flat ? 'flat' : 'not flat'}) | | |`,
  );
}

/** The report as Markdown: the headline, the targets, the ratios, every stage's figures, the versions. */
export function renderMarkdown(report: BenchReport): string {
  const lines = [
    `# Jobdeck bench report`,
    '',
    `Profile \`${report.profile.name}\`, started ${report.started_at}, ${report.machine.cpus} CPUs (${report.machine.platform}).`,
    '',
    '## Headline',
    '',
    ...headline(report),
    '',
    '## Targets (issues 6 and 14)',
    '',
    '| target | figure | goal | result |',
    '| --- | --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.what} | ${t.figure} | ${t.target} | ${t.pass ? 'PASS' : 'MISS'} |`),
    '',
    '## Ratios to the baselines',
    '',
    '| ratio | value |',
    '| --- | --- |',
    ...Object.entries(report.ratios).map(([name, value]) => `| ${name} | ${value}× |`),
    '',
    '## Stages',
    '',
    ...REPORT_SECTIONS.flatMap((name) => [`### ${name}`, '', '```json', JSON.stringify(report.stages[name] ?? null, null, 2), '```', '']),
    '## Profile',
    '',
    '```json',
    JSON.stringify(report.profile, null, 2),
    '```',
    '',
    '## Versions',
    '',
    '| part | version |',
    '| --- | --- |',
    ...Object.entries(report.versions).map(([name, version]) => `| ${name} | ${version} |`),
    '',
  ];
  return lines.join('\n');
}

/** Writes `report.json` and `report.md` into `dir`; returns their paths. */
export function writeReport(dir: string, report: BenchReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const md = join(dir, 'report.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, renderMarkdown(report));
  return { json, md };
}
