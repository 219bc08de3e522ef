/** How big each stage runs: `tiny` (the smoke test), `quick` (the default), `full` (`--full`). */
export type ProfileName = 'tiny' | 'quick' | 'full';

export interface BenchProfile {
  name: ProfileName;
  /** Messages or jobs for the broker floor, the minimal pipeline and BullMQ. */
  baselineJobs: number;
  /** Seconds of load on each HTTP accept stage (the issue asks 15). */
  acceptSeconds: number;
  /** Concurrent connections of the accept load (the issue asks 50). */
  acceptConnections: number;
  /** Kind A jobs submitted over HTTP for Jobdeck's end to end (the issue asks 50,000). */
  endToEndJobs: number;
  /** Seconds at a steady 200 jobs/s. */
  steadySeconds: number;
  steadyRatePerSecond: number;
  /** Jobs known (in Redis and the history) when memory is measured (the issue asks 100,000). */
  knownJobs: number;
  /** Jobs the Jobs view holds in the console stage. */
  consoleJobs: number;
  /** Status events per second sent to the console, and for how long. */
  consoleEventsPerSecond: number;
  consoleSeconds: number;
  /** The soak: mixed jobs (A, B, C) per second, for how long, and how often RSS is sampled (the issue asks 10 minutes). */
  soakRatePerSecond: number;
  soakSeconds: number;
  soakSampleSeconds: number;
  /** Delayed jobs: scheduled kind A jobs, the seconds their due times spread over, and jobs/s submitted to run at once meanwhile. */
  delayedJobs: number;
  delayedSpreadSeconds: number;
  delayedLoadPerSecond: number;
  /** Jobs in the history the search stage fills (the issue asks 1,000,000); `JOBDECK_BENCH_SEARCH_JOBS` overrides it. */
  searchJobs: number;
  /** The rate limit stage's window (the issue asks a minute); `JOBDECK_BENCH_RATE_SECONDS` overrides it. */
  rateLimitSeconds: number;
}

export const PROFILES: Record<ProfileName, BenchProfile> = {
  tiny: {
    name: 'tiny',
    baselineJobs: 200,
    acceptSeconds: 1,
    acceptConnections: 10,
    endToEndJobs: 200,
    steadySeconds: 1,
    steadyRatePerSecond: 50,
    knownJobs: 0,
    consoleJobs: 100,
    consoleEventsPerSecond: 100,
    consoleSeconds: 1,
    soakRatePerSecond: 50,
    soakSeconds: 4,
    soakSampleSeconds: 1,
    delayedJobs: 50,
    delayedSpreadSeconds: 2,
    delayedLoadPerSecond: 10,
    searchJobs: 2_000,
    rateLimitSeconds: 4,
  },
  quick: {
    name: 'quick',
    baselineJobs: 10_000,
    acceptSeconds: 8,
    acceptConnections: 50,
    endToEndJobs: 10_000,
    steadySeconds: 10,
    steadyRatePerSecond: 200,
    knownJobs: 0,
    consoleJobs: 5_000,
    consoleEventsPerSecond: 1_000,
    consoleSeconds: 10,
    soakRatePerSecond: 100,
    soakSeconds: 30,
    soakSampleSeconds: 5,
    delayedJobs: 300,
    delayedSpreadSeconds: 5,
    delayedLoadPerSecond: 25,
    searchJobs: 100_000,
    rateLimitSeconds: 15,
  },
  full: {
    name: 'full',
    baselineJobs: 50_000,
    acceptSeconds: 15,
    acceptConnections: 50,
    endToEndJobs: 50_000,
    steadySeconds: 60,
    steadyRatePerSecond: 200,
    knownJobs: 100_000,
    consoleJobs: 100_000,
    consoleEventsPerSecond: 1_000,
    consoleSeconds: 10,
    soakRatePerSecond: 100,
    soakSeconds: 600,
    soakSampleSeconds: 10,
    delayedJobs: 2_000,
    delayedSpreadSeconds: 10,
    delayedLoadPerSecond: 100,
    searchJobs: 1_000_000,
    rateLimitSeconds: 60,
  },
};
