import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { BUILTIN_KINDS, isBuiltinKind } from '../builtin-kinds';
import { MAX_WORKERS_PER_KIND } from '../console-records';
import type { HandlerSpec, KindDefinition } from '../kind-definition';
import { KindRegistry, type KindEntry } from '../kind-registry';
import { BATCH_KIND, KIND_NAME_PATTERN } from '../kinds';
import { toFieldErrors } from '../problem';
import { CALLBACK_MAX_DURATION_MS } from '../schemas';
import { ConfigError } from '../settings';
import { WEBHOOK_SECRET_PATTERN } from '../subscription-schemas';
import { findExecutable } from './find-executable';
import { newSchemaCompiler, payloadValidator } from './payload-validator';

/**
 * The kinds file (`JOBDECK_KINDS=<path>`): `{"kinds": [ … ]}`, one entry per user kind. Read at
 * start by the console and by every worker; any mistake refuses the start with one line naming
 * the file, the kind and the field.
 */

const KIND_NAME_RULE = 'must be lowercase letters, digits and -, starting with a letter or digit (at most 64)';

const entrySchema = z.strictObject({
  name: z.string().regex(KIND_NAME_PATTERN, KIND_NAME_RULE),
  description: z.string().min(1).max(500),
  payload_schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }),
  handler: z.record(z.string(), z.unknown(), { error: 'must be an object with one of module, command, http' }),
  max_attempts: z.number().int().min(1).max(100).optional(),
  /** Per attempt, below the broker's consumer timeout as kind B's long task. */
  timeout_ms: z.number().int().min(1).max(CALLBACK_MAX_DURATION_MS).optional(),
  workers: z.number().int().min(0).max(MAX_WORKERS_PER_KIND).optional(),
  prefetch: z.number().int().min(1).max(1000).optional(),
});

const handlerSchemas = {
  module: z.strictObject({ module: z.string().min(1) }),
  command: z.strictObject({
    command: z.array(z.string().min(1)).min(1),
    cwd: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
  }),
  http: z.strictObject({
    http: z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
      timeout_ms: z.number().int().min(1).max(CALLBACK_MAX_DURATION_MS).optional(),
      secret: z.string().regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
      secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    }),
  }),
} as const;
const HANDLER_TYPES = Object.keys(handlerSchemas) as (keyof typeof handlerSchemas)[];

/** A mistake in one kind's entry: `field` is its dotted path inside the entry. */
class EntryError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(rule);
  }
}

/** Parses with a schema, or throws the first complaint as an EntryError naming the field. */
function parseField<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, message } = toFieldErrors(parsed.error, value, prefix)[0]!;
  throw new EntryError(field, message.slice(field.length + 1));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The handler with its paths made absolute (relative ones are to the kinds file's folder), checked. */
function handlerOf(value: Record<string, unknown>, folder: string): HandlerSpec {
  const types = HANDLER_TYPES.filter((type) => type in value);
  if (types.length !== 1) throw new EntryError('handler', `must have exactly one of ${HANDLER_TYPES.join(', ')}`);
  const type = types[0]!;
  if (type === 'module') {
    const spec = parseField(handlerSchemas.module, value, 'handler');
    const module = resolve(folder, spec.module);
    if (!isFile(module)) throw new EntryError('handler.module', `${module} does not exist`);
    return { module };
  }
  if (type === 'command') {
    const spec = parseField(handlerSchemas.command, value, 'handler');
    // A command runs in the kinds file's folder unless it names another.
    const cwd = resolve(folder, spec.cwd ?? '.');
    if (!isDirectory(cwd)) throw new EntryError('handler.cwd', `${cwd} is not a folder`);
    const [program, ...args] = spec.command;
    // Looked up on the PATH the command will run with: the entry's own env.PATH when it sets one.
    const searchPath = spec.env?.PATH ?? process.env.PATH ?? '';
    const executable = findExecutable(program!, folder, searchPath);
    if (!executable) {
      const where = program!.includes('/') ? '' : spec.env?.PATH === undefined ? ' on PATH' : ' on its env.PATH';
      throw new EntryError('handler.command', `${program} is not an executable file${where}`);
    }
    return { ...spec, command: [program!.includes('/') ? executable : program!, ...args], cwd };
  }
  const spec = parseField(handlerSchemas.http, value, 'handler');
  const { secret, secret_env } = spec.http;
  // Checked once here rather than failing every attempt: the variable is read where the file is.
  if (!secret && secret_env && !process.env[secret_env]) throw new EntryError('handler.http.secret_env', `names ${secret_env}, which is not set`);
  return spec;
}

function checkName(name: string, taken: ReadonlySet<string>): void {
  if (name === BATCH_KIND) throw new EntryError('name', `must not be ${BATCH_KIND} (batch events use it)`);
  if (isBuiltinKind(name) || BUILTIN_KINDS.some((k) => k.definition.letter?.toLowerCase() === name)) {
    throw new EntryError('name', `${name} is a built-in kind (or its letter)`);
  }
  if (taken.has(name)) throw new EntryError('name', `${name} is defined twice`);
}

/** One entry checked: its definition (absolute paths) and its compiled payload check. */
function userKind(value: unknown, folder: string, taken: ReadonlySet<string>, compile: ReturnType<typeof newSchemaCompiler>): KindEntry {
  const entry = parseField(entrySchema, value);
  checkName(entry.name, taken);
  let validate;
  try {
    validate = compile.compile(entry.payload_schema);
  } catch (error) {
    throw new EntryError('payload_schema', `is not a valid JSON Schema (draft 2020-12): ${(error as Error).message}`);
  }
  const definition: KindDefinition = { ...entry, handler: handlerOf(entry.handler, folder) };
  const check = payloadValidator(validate);
  return {
    definition,
    check,
    resolve: (payload) => payload,
    messageError(payload) {
      const verdict = check(payload, 'extra_data');
      return 'errors' in verdict ? verdict.errors[0]!.message : null;
    },
  };
}

const fileSchema = z.strictObject({ kinds: z.array(z.unknown()) });

/** Where a kind sits in the file, for the error line: its name when it has one. */
function whichKind(value: unknown, index: number): string {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? `kind "${name}"` : `kinds[${index}]`;
}

function readKindsFile(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`JOBDECK_KINDS=${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text, line breaks and all: the refusal stays one line.
    throw new ConfigError(`JOBDECK_KINDS=${path}: is not JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`JOBDECK_KINDS=${path}: must be {"kinds": [ … ]}`);
  return parsed.data.kinds;
}

/** The kinds file's entries, checked; a ConfigError names the file, the kind and the field. */
export function loadKindsFile(path: string): KindEntry[] {
  const file = resolve(path);
  const folder = dirname(file);
  const compile = newSchemaCompiler();
  const entries: KindEntry[] = [];
  readKindsFile(file).forEach((value, index) => {
    try {
      entries.push(userKind(value, folder, new Set(entries.map((e) => e.definition.name)), compile));
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      const rule = error.message.replace(/\s+/g, ' ');
      throw new ConfigError(`JOBDECK_KINDS=${file}: ${whichKind(value, index)}: ${error.field} ${rule}`);
    }
  });
  return entries;
}

/** The built-in kinds, then those of the kinds file when one is named. */
export function loadKindRegistry(kindsFile: string | undefined): KindRegistry {
  return new KindRegistry([...BUILTIN_KINDS, ...(kindsFile ? loadKindsFile(kindsFile) : [])]);
}

/**
 * Imports each module kind's module and checks that its default export is a function: done at
 * start, as the file's other checks, since an import is asynchronous.
 */
export async function checkModuleExports(registry: KindRegistry, kindsFile: string): Promise<void> {
  for (const { definition } of registry.entries) {
    if (!('module' in definition.handler)) continue;
    const path = definition.handler.module;
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new ConfigError(`JOBDECK_KINDS=${resolve(kindsFile)}: kind "${definition.name}": handler.module ${path} cannot be imported (${reason})`);
    }
    if (typeof exported !== 'function') {
      throw new ConfigError(`JOBDECK_KINDS=${resolve(kindsFile)}: kind "${definition.name}": handler.module ${path} must export a default function`);
    }
  }
}
