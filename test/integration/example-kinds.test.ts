import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandHandlerSpec, HttpHandlerSpec, KindDefinition, ModuleHandlerSpec } from '../../src-shared/kind-definition';
import { PermanentJobError } from '../../src-worker/handlers/handler';
import { checkModuleExports, loadKindRegistry } from '../../src-shared/node/kinds-file';
import { createHandler } from '../../src-worker/handlers/user-handlers';
import { startTestConsole, type TestConsole } from '../support/console';
import { recordedContext } from '../support/handler-context';

// The shipped examples run by the real handlers; the http one against a real console's inbox.
const KINDS_FILE = fileURLToPath(new URL('../../examples/kinds/kinds.json', import.meta.url));
const folder = dirname(KINDS_FILE);
const kinds = (JSON.parse(readFileSync(KINDS_FILE, 'utf8')) as { kinds: KindDefinition[] }).kinds;
const kind = (name: string): KindDefinition => kinds.find((k) => k.name === name)!;

let testConsole: TestConsole;
beforeAll(async () => {
  testConsole = await startTestConsole({}, false);
});
afterAll(() => testConsole?.dispose());

describe('examples/kinds', () => {
  it('has one kind of each handler type, each with a draft 2020-12 payload schema', () => {
    expect(kinds.map((k) => Object.keys(k.handler)[0])).toEqual(['command', 'module', 'http']);
    for (const k of kinds) expect(k.payload_schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('word-count (python3) counts, reports progress and logs, and refuses a text without words for good', async () => {
    const definition = kind('word-count');
    const spec = definition.handler as CommandHandlerSpec;
    const handler = createHandler({ ...spec, cwd: resolve(folder, spec.cwd!) }, definition);
    const recorded = recordedContext('word-count', { text: 'The cat and the hat\nthe end', top: 2 });
    await expect(handler.run(recorded.context)).resolves.toEqual({ words: 7, lines: 2, top: [['the', 3], ['cat', 1]] });
    expect(recorded.progress).toEqual([50, 100]);
    expect(recorded.logs).toContain('counted 7 words in 2 lines (attempt 1)');
    const refused = await handler.run(recordedContext('word-count', { text: ' … ' }).context).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(PermanentJobError);
    expect((refused as Error).message).toBe('command exited with code 1: payload.text has no words');
  });

  it('slugify (module) makes a slug and refuses a title without letters for good', async () => {
    const definition = kind('slugify');
    const module = resolve(folder, (definition.handler as ModuleHandlerSpec).module);
    await expect(checkModuleExports(loadKindRegistry(KINDS_FILE), KINDS_FILE)).resolves.toBeUndefined();
    const handler = createHandler({ module }, definition);
    const recorded = recordedContext('slugify', { title: 'Crème Brûlée: a How-To!', separator: '_' });
    await expect(handler.run(recorded.context)).resolves.toEqual({ slug: 'creme_brulee_a_how_to', words: 5 });
    expect(recorded.progress).toEqual([50]);
    await expect(handler.run(recordedContext('slugify', { title: '!!!' }).context)).rejects.toBeInstanceOf(PermanentJobError);
  });

  it("notify-inbox (http) POSTs to the embedded inbox, whose 201 receipt is the result", async () => {
    const definition = kind('notify-inbox');
    const { http } = definition.handler as HttpHandlerSpec;
    const url = new URL(new URL(http.url).pathname, testConsole.url).href;
    const recorded = recordedContext('notify-inbox', { message: 'disk almost full', level: 'warning' });
    const result = await createHandler({ http: { ...http, url } }, definition).run(recorded.context);
    expect(result).toEqual({ id: expect.any(String), received_at: expect.any(String) });
    const stored = (await (await fetch(`${testConsole.url}/api/v1/inbox/items/${result.id as string}`)).json()) as { body: string };
    expect(JSON.parse(stored.body)).toEqual({ id: recorded.context.job.uuid, kind: 'notify-inbox', payload: { message: 'disk almost full', level: 'warning' }, attempt: 1 });
  });
});
