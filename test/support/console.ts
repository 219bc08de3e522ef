import { fileURLToPath } from 'node:url';
import { loadConfig, type ConsoleConfig } from '../../src-main/config';
import { startConsole, type RunningConsole } from '../../src-main/console';
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

/** A console on free ports in a namespace of its own, against the real services. */
export async function startTestConsole(env: Record<string, string> = {}, withWorkers = true): Promise<TestConsole> {
  const namespace = uniqueNamespace();
  const config = loadConfig({
    AMQP_URL: TEST_SERVICES.amqpUrl,
    REDIS_URL: TEST_SERVICES.redisUrl,
    DATABASE_URL: TEST_SERVICES.databaseUrl,
    JOBDECK_PORT: '0',
    JOBDECK_SMTP_SINK_PORT: '0',
    JOBDECK_NAMESPACE: namespace,
    JOBDECK_WORKERS: 'A=1,B=1,C=1',
    ...env,
  });
  const running = await startConsole({
    config,
    workerEntry: withWorkers ? SOURCE_WORKER_ENTRY : null,
    log: (line) => process.env.JOBDECK_TEST_LOG && console.log(`[${namespace}] ${line}`),
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
    },
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
