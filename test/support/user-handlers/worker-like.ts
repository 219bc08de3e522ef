// A worker-like process for the orphan test: runs one command job (the hang mode of command.py,
// writing its PIDs to the file named in argv) until it is killed.
import { fileURLToPath } from 'node:url';
import { createHandler } from '../../../src-worker/handlers/user-handlers';
import { recordedContext } from '../handler-context';

const script = fileURLToPath(new URL('./command.py', import.meta.url));
const definition = { name: 'orphan-check', description: '', payload_schema: {}, handler: { command: ['python3', script] } };
const handler = createHandler({ command: ['python3', script] }, definition);
const { context } = recordedContext('orphan-check', { mode: 'hang', pid_file: process.argv[2] });
await handler.run(context);
