/**
 * Stage 4: the minimal durable HTTP handler (test/bench/minimal-http-server.ts, run as a process
 * of its own like Jobdeck's API) under the same accept load as Jobdeck.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BaselineServices } from '../baseline-services';
import { loadAccept, type AcceptFigure } from '../http-load';

const SERVER = fileURLToPath(new URL('../minimal-http-server.ts', import.meta.url));

export async function minimalHttpHandler(services: BaselineServices, seconds: number, connections: number): Promise<AcceptFigure> {
  services.queue('http'); // the stage's queue, deleted with the namespace's others
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, services.namespace], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error('bench: the minimal HTTP handler exited before it listened');
      }),
    ])) as [Buffer];
    return await loadAccept(line.toString().trim(), seconds, connections);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
