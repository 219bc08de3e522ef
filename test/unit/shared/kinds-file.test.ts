import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseWorkerCounts } from '../../../src-main/config';
import { checkModuleExports, loadKindRegistry, loadKindsFile } from '../../../src-shared/node/kinds-file';
import { ConfigError } from '../../../src-shared/settings';

let folder: string;
let file: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'jobdeck-kinds-'));
  file = join(folder, 'kinds.json');
  writeFileSync(join(folder, 'handler.mjs'), 'export default async (job) => ({ echoed: job.payload });\n');
  writeFileSync(join(folder, 'no-function.mjs'), 'export default 42;\n');
  writeFileSync(join(folder, 'run.sh'), '#!/bin/sh\necho \'{"result":{}}\'\n');
  chmodSync(join(folder, 'run.sh'), 0o755);
  writeFileSync(join(folder, 'not-executable.sh'), '#!/bin/sh\n');
  mkdirSync(join(folder, 'tools'));
  writeFileSync(join(folder, 'tools', 'own-tool'), '#!/bin/sh\n');
  chmodSync(join(folder, 'tools', 'own-tool'), 0o755);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

const SCHEMA = {
  type: 'object',
  properties: { width: { type: 'integer', minimum: 1, default: 640 }, url: { type: 'string', format: 'uri' } },
  required: ['url'],
  additionalProperties: false,
};
const kind = (overrides: Record<string, unknown> = {}) => ({
  name: 'resize',
  description: 'Resizes an image',
  payload_schema: SCHEMA,
  handler: { command: ['./run.sh'] },
  ...overrides,
});

function writeKinds(content: unknown): string {
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The one line a bad kinds file is refused with. */
function refusal(content: unknown): string {
  try {
    loadKindsFile(writeKinds(content));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`JOBDECK_KINDS=${file}: `)).toBe(true);
    return message.slice(`JOBDECK_KINDS=${file}: `.length);
  }
  throw new Error('the kinds file was accepted');
}

describe('the kinds file: one line naming the file, the kind and the field', () => {
  it.each([
    ['not JSON', '{"kinds": [', /^is not JSON \(/],
    ['words on lines, not JSON', 'not json\nat all\n', /^is not JSON \(Unexpected token .*"not json at all "/],
    ['not {"kinds": [...]}', { kinds: {} }, /^must be \{"kinds": \[ … \]\}$/],
    ['a missing name', { kinds: [kind({ name: undefined })] }, /^kinds\[0\]: name is required$/],
    ['a name in capitals', { kinds: [kind({ name: 'Resize' })] }, /^kind "Resize": name must be lowercase letters, digits and -/],
    ['the name batch', { kinds: [kind({ name: 'batch' })] }, /^kind "batch": name must not be batch/],
    ["a built-in kind's name", { kinds: [kind({ name: 'email' })] }, /^kind "email": name email is a built-in kind/],
    ["a built-in kind's letter", { kinds: [kind({ name: 'a' })] }, /^kind "a": name a is a built-in kind \(or its letter\)$/],
    ['a name given twice', { kinds: [kind(), kind()] }, /^kind "resize": name resize is defined twice$/],
    ['a missing description', { kinds: [kind({ description: undefined })] }, /^kind "resize": description is required$/],
    ['an unknown field', { kinds: [kind({ colour: 'red' })] }, /^kind "resize": colour is not a known field$/],
    ['a schema that is no JSON Schema', { kinds: [kind({ payload_schema: { type: 'objekt' } })] }, /^kind "resize": payload_schema is not a valid JSON Schema \(draft 2020-12\): /],
    ['a schema with an unknown keyword', { kinds: [kind({ payload_schema: { type: 'object', propertys: {} } })] }, /^kind "resize": payload_schema is not a valid JSON Schema .*propertys/],
    ['two handlers', { kinds: [kind({ handler: { module: './handler.mjs', command: ['./run.sh'] } })] }, /^kind "resize": handler must have exactly one of module, command, http$/],
    ['no handler', { kinds: [kind({ handler: {} })] }, /^kind "resize": handler must have exactly one of module, command, http$/],
    ['a module that does not exist', { kinds: [kind({ handler: { module: './gone.mjs' } })] }, /^kind "resize": handler\.module \/.*\/gone\.mjs does not exist$/],
    ['a command that is not executable', { kinds: [kind({ handler: { command: ['./not-executable.sh'] } })] }, /^kind "resize": handler\.command \.\/not-executable\.sh is not an executable file$/],
    ['a command not on PATH', { kinds: [kind({ handler: { command: ['no-such-program-jobdeck'] } })] }, /^kind "resize": handler\.command no-such-program-jobdeck is not an executable file on PATH$/],
    ["a command not on its entry's env.PATH (though on the worker's)", { kinds: [kind({ handler: { command: ['sh'], env: { PATH: '/nowhere' } } })] }, /^kind "resize": handler\.command sh is not an executable file on its env\.PATH$/],
    ['an empty command', { kinds: [kind({ handler: { command: [] } })] }, /^kind "resize": handler\.command must be at least 1/],
    ['a cwd that is no folder', { kinds: [kind({ handler: { command: ['./run.sh'], cwd: 'nowhere' } })] }, /^kind "resize": handler\.cwd \/.*\/nowhere is not a folder$/],
    ['an http url that is not http', { kinds: [kind({ handler: { http: { url: 'ftp://example.com/' } } })] }, /^kind "resize": handler\.http\.url must be an http or https URL$/],
    ['an http secret that is no whsec_', { kinds: [kind({ handler: { http: { url: 'https://example.com/', secret: 'hunter2' } } })] }, /^kind "resize": handler\.http\.secret must be whsec_/],
    ['an http secret_env that is not set', { kinds: [kind({ handler: { http: { url: 'https://example.com/', secret_env: 'JOBDECK_TEST_UNSET_SECRET' } } })] }, /^kind "resize": handler\.http\.secret_env names JOBDECK_TEST_UNSET_SECRET, which is not set$/],
    ['a timeout past 15 minutes', { kinds: [kind({ timeout_ms: 15 * 60_000 + 1 })] }, /^kind "resize": timeout_ms must be at most 900000$/],
    ['negative workers', { kinds: [kind({ workers: -1 })] }, /^kind "resize": workers must be at least 0$/],
    ['a prefetch of 0', { kinds: [kind({ prefetch: 0 })] }, /^kind "resize": prefetch must be at least 1$/],
    ['max_attempts of 0', { kinds: [kind({ max_attempts: 0 })] }, /^kind "resize": max_attempts must be at least 1$/],
  ])('refuses %s', (_what, content, expected) => {
    expect(refusal(content)).toMatch(expected);
  });

  it('names a file that cannot be read', () => {
    expect(() => loadKindsFile(join(folder, 'missing.json'))).toThrow(/^JOBDECK_KINDS=.*missing\.json: cannot be read \(ENOENT\)$/);
  });
});

describe('a good kinds file', () => {
  it('puts its kinds after the built-in ones, with paths made absolute from its folder', () => {
    vi.stubEnv('NOTIFY_SECRET', `whsec_${Buffer.alloc(32, 1).toString('base64')}`);
    writeKinds({
      kinds: [
        kind({ workers: 0, prefetch: 4, max_attempts: 2, timeout_ms: 30_000, handler: { command: ['./run.sh', '--fast'], cwd: '.' } }),
        kind({ name: 'echo-2', handler: { module: 'handler.mjs' } }),
        kind({ name: 'notify', handler: { http: { url: 'https://example.com/hook', secret_env: 'NOTIFY_SECRET' } } }),
        kind({ name: 'shell', handler: { command: ['sh', '-c', 'true'] } }),
      ],
    });
    const registry = loadKindRegistry(file);
    expect(registry.names).toEqual(['log', 'callback', 'email', 'resize', 'echo-2', 'notify', 'shell']);
    expect(registry.entry('resize').definition).toMatchObject({ handler: { command: [join(folder, 'run.sh'), '--fast'], cwd: folder }, workers: 0, prefetch: 4 });
    expect(registry.entry('echo-2').definition.handler).toEqual({ module: join(folder, 'handler.mjs') });
    // A program named without a `/` is found on PATH when the job runs, as a shell would; a
    // command naming no cwd runs in the kinds file's folder.
    expect(registry.entry('shell').definition.handler).toEqual({ command: ['sh', '-c', 'true'], cwd: folder });
    expect(registry.resolve('B')).toBe('callback');
    expect(registry.resolve('RESIZE')).toBeUndefined();
  });

  it("finds a command's program on the entry's own env.PATH, where it will run", () => {
    const tools = join(folder, 'tools');
    writeKinds({ kinds: [kind({ handler: { command: ['own-tool', '--now'], env: { PATH: tools } } })] });
    expect(loadKindsFile(file)[0]!.definition.handler).toEqual({ command: ['own-tool', '--now'], env: { PATH: tools }, cwd: folder });
  });

  it("checks a payload with the kind's JSON Schema: payload.<field> and the rule, defaults filled in", () => {
    writeKinds({ kinds: [kind()] });
    const resize = loadKindRegistry(file).entry('resize');
    expect(resize.check({ url: 'https://example.com/a.png' }, 'payload')).toEqual({ payload: { url: 'https://example.com/a.png', width: 640 } });
    const sent = { width: 0, colour: 'red' };
    expect(resize.check(sent, 'payload')).toEqual({
      errors: [
        { field: 'payload.url', rule: 'required', message: 'payload.url is required' },
        { field: 'payload.colour', rule: 'additionalProperties', message: 'payload.colour is not a known field' },
        { field: 'payload.width', rule: 'minimum', message: 'payload.width must be >= 1' },
      ],
    });
    expect(sent).toEqual({ width: 0, colour: 'red' });
    expect(resize.check({ url: 'not a uri' }, 'jobs.3.payload')).toEqual({
      errors: [{ field: 'jobs.3.payload.url', rule: 'format', message: 'jobs.3.payload.url must match format "uri"' }],
    });
    expect(resize.messageError({ width: 2 })).toBe('extra_data.url is required');
  });

  it('refuses at start a module whose default export is no function, naming the kind and the field', async () => {
    writeKinds({ kinds: [kind({ name: 'echo', handler: { module: './handler.mjs' } }), kind({ name: 'broken', handler: { module: './no-function.mjs' } })] });
    const registry = loadKindRegistry(file);
    await expect(checkModuleExports(registry, file)).rejects.toThrow(
      new ConfigError(`JOBDECK_KINDS=${file}: kind "broken": handler.module ${join(folder, 'no-function.mjs')} must export a default function`),
    );
  });

  it('refuses at start a module that cannot be loaded, and passes one that exports a function', async () => {
    writeFileSync(join(folder, 'broken.mjs'), 'export default function run( {\n');
    writeKinds({ kinds: [kind({ name: 'echo', handler: { module: './handler.mjs' } }), kind({ name: 'broken', handler: { module: './broken.mjs' } })] });
    await expect(checkModuleExports(loadKindRegistry(file), file)).rejects.toThrow(
      new RegExp(`^JOBDECK_KINDS=${file}: kind "broken": handler\\.module ${join(folder, 'broken.mjs')} cannot be imported \\(.+\\)$`),
    );
    writeKinds({ kinds: [kind({ name: 'echo', handler: { module: './handler.mjs' } })] });
    await expect(checkModuleExports(loadKindRegistry(file), file)).resolves.toBeUndefined();
  });

  it('gives each kind the workers JOBDECK_WORKERS names, else the kinds file\'s, else one', () => {
    writeKinds({ kinds: [kind({ workers: 0 }), kind({ name: 'thumbs', workers: 3 }), kind({ name: 'plain' })] });
    const registry = loadKindRegistry(file);
    expect(parseWorkerCounts('thumbs=2,B=0', registry)).toEqual({ log: 1, callback: 0, email: 1, resize: 0, thumbs: 2, plain: 1 });
    expect(() => parseWorkerCounts('nosuch=1', registry)).toThrow(ConfigError);
  });
});
