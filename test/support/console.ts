import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { loadConfig, type ConsoleConfig } from '../../src-main/config';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../../src-main/console';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from './namespace';

/**
 * The worker entry run from source, as the built console runs out/main/worker.js; the hooks of
 * raw-imports.mjs give it the `?raw` imports the builds resolve (the status store's Lua).
 */
export const SOURCE_WORKER_ENTRY = {
  modulePath: fileURLToPath(new URL('../../src-worker/index.ts', import.meta.url)),
  execArgv: ['--import', 'tsx', '--import', new URL('../../scripts/raw-imports.mjs', import.meta.url).href],
};

export interface TestConsole extends RunningConsole {
  config: ConsoleConfig;
  namespace: string;
  /** Closes the console and removes everything its namespace made. */
  dispose(): Promise<void>;
}

/** A test console's settings: the real services, free ports, the namespace given. */
export function testConsoleEnv(namespace: string, workers = 'A=1,B=1,C=1'): Record<string, string> {
  return {
    AMQP_URL: TEST_SERVICES.amqpUrl,
    REDIS_URL: TEST_SERVICES.redisUrl,
    DATABASE_URL: TEST_SERVICES.databaseUrl,
    JOBDECK_PORT: '0',
    JOBDECK_SMTP_SINK_PORT: '0',
    JOBDECK_NAMESPACE: namespace,
    JOBDECK_WORKERS: workers,
    // Never the user's own tokens file: a test that makes tokens makes them here.
    JOBDECK_TOKENS_FILE: testTokensFile(namespace),
    // Never the user's own profiles either: beside the test's tokens file, removed with it.
    JOBDECK_PROFILES_FILE: join(dirname(testTokensFile(namespace)), 'profiles.json'),
  };
}

/** The tokens file of a test console's namespace, in a private directory of its own (a shared one is refused); removed with the namespace. */
export const testTokensFile = (namespace: string): string => join(tmpdir(), `jobdeck-tokens-${namespace}`, 'tokens.json');

/** What a test console takes besides its environment: the profile mode the guardrails go by. */
export type TestConsoleOptions = Pick<ConsoleOptions, 'profileMode'>;

/** A console on free ports in a namespace of its own, against the real services; `onLog` hears its log lines. */
export async function startTestConsole(
  env: Record<string, string> = {},
  withWorkers = true,
  onLog?: (line: string) => void,
  options: TestConsoleOptions = {},
): Promise<TestConsole> {
  const namespace = uniqueNamespace();
  const config = loadConfig({ ...testConsoleEnv(namespace), ...env });
  const running = await startConsole({
    ...options,
    config,
    workerEntry: withWorkers ? SOURCE_WORKER_ENTRY : null,
    log: (line) => {
      onLog?.(line);
      if (process.env.JOBDECK_TEST_LOG) console.log(`[${namespace}] ${line}`);
    },
  }).catch(async (error: unknown) => {
    await dropNamespace(namespace);
    throw error;
  });
  // Assigned, not spread: the console's getters (its supervisor, its mail URL) follow a restart.
  return Object.assign(running, {
    config,
    namespace,
    dispose: async () => {
      await running.close();
      await dropNamespace(namespace);
      rmSync(dirname(testTokensFile(namespace)), { recursive: true, force: true });
    },
  });
}

/** A console without workers (what is submitted stays queued) for the tests of one file: started before them, disposed after. */
export function bareConsoleForTests(): () => TestConsole {
  let app: TestConsole | undefined;
  beforeAll(async () => {
    app = await startTestConsole({}, false);
  }, 60_000);
  afterAll(async () => {
    await app?.dispose();
  });
  return () => app!;
}

/** A request to a console, an object body as JSON: its status and its JSON body (`{}` when it has none). */
export async function callConsole<T = Record<string, unknown>>(app: TestConsole, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/**
 * Polls until it has what it waits for, or fails after `timeoutMs`; answers what it waited for.
 * `eventually(read)` waits for `read` to answer a value (not undefined); `eventually(read, until)`
 * waits for a value of `read` that `until` accepts. A read that throws is retried.
 */
export async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs?: number, what?: string): Promise<T>;
export async function eventually<T>(read: () => T | Promise<T>, until: (value: T) => boolean, timeoutMs?: number, what?: string): Promise<T>;
export async function eventually<T>(
  read: () => T | undefined | Promise<T | undefined>,
  ...rest: [number?, string?] | [(value: T) => boolean, number?, string?]
): Promise<T> {
  const [until, timeoutMs = 15_000, what = 'condition'] =
    typeof rest[0] === 'function' ? (rest as [(value: T) => boolean, number?, string?]) : [(value: T | undefined) => value !== undefined, ...(rest as [number?, string?])];
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (until(value as T)) return value as T;
      last = { value };
    } catch (error) {
      last = { error };
    }
    await setTimeout(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describeLast(last)}`);
}

function describeLast(last: { value: unknown } | { error: unknown } | undefined): string {
  if (last === undefined) return '';
  if ('error' in last) return ` (last error: ${String(last.error)})`;
  return last.value === undefined ? '' : ` (last read: ${inspect(last.value, { depth: 2, breakLength: Infinity }).slice(0, 300)})`;
}
