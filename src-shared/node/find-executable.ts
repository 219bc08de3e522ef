import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The executable file `program` names, as spawn finds it: a path (with a `/`, relative to
 * `folder`), or a name looked up in the folders of `searchPath` (a PATH value: the one the program
 * will run with). Undefined when there is none.
 */
export function findExecutable(program: string, folder: string, searchPath: string): string | undefined {
  const candidates = program.includes('/')
    ? [resolve(folder, program)]
    : searchPath
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  return candidates.find(isExecutableFile);
}
