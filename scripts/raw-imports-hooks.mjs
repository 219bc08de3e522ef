// Module hooks registered by raw-imports.mjs: `import text from './file?raw'` is the file's text.
import { readFile } from 'node:fs/promises';

const isRaw = (specifier) => specifier.endsWith('?raw');

export async function resolve(specifier, context, nextResolve) {
  if (!isRaw(specifier) || !context.parentURL) return nextResolve(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
}

export async function load(url, context, nextLoad) {
  if (!isRaw(url)) return nextLoad(url, context);
  const file = new URL(url);
  file.search = '';
  const text = await readFile(file, 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
