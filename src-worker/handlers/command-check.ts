import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { CommandHandlerSpec } from '../../src-shared/kind-definition';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Why a command handler cannot start (its `cwd` is no folder, its program is not an executable
 * file, or not found on PATH, the kind's own `env.PATH` first), or null. For the console's start.
 */
export function checkCommandHandler(spec: CommandHandlerSpec): string | null {
  const cwd = spec.cwd ?? process.cwd();
  if (!isFolder(cwd)) return `cwd ${cwd} is not a folder`;
  const program = spec.command[0];
  if (!program) return 'command is empty';
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    return isExecutableFile(path) ? null : `${path} is not an executable file`;
  }
  const folders = (spec.env?.PATH ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return folders.some((folder) => isExecutableFile(join(folder, program))) ? null : `${program} is not an executable found on PATH`;
}
