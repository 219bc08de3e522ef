/**
 * `node --import tsx test/bench/cpu-profile/analyze.ts <file.cpuprofile> [top] [function]`: where
 * the CPU went: by package or file, by function (self time), by function of the console's own
 * code (inclusive); with a function name, the call chains that lead to it instead.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, topArg, target] = process.argv.slice(2);
if (!file) throw new Error('usage: analyze.ts <file.cpuprofile> [top] [function]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const top = Number(topArg ?? 30);
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const spent = new Map<number, number>();
profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const where = (url: string): string => url.replace(/.*node_modules\//, 'nm:').replace(/.*\/out\//, 'out/');
const frameName = (node: ProfileNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

let busy = 0;
const byPackage = new Map<string, number>();
const bySelf = new Map<string, number>();
const byOwnInclusive = new Map<string, number>();
const chains = new Map<string, number>();
for (const [id, us] of spent) {
  const node = nodes.get(id)!;
  if (node.callFrame.functionName === '(idle)') continue;
  busy += us;
  const url = where(node.callFrame.url);
  add(byPackage, url.startsWith('nm:') ? url.split('/').slice(0, url.startsWith('nm:@') ? 2 : 1).join('/') : url || node.callFrame.functionName, us);
  add(bySelf, frameName(node), us);
  const seen = new Set<string>();
  const chain: string[] = [];
  for (let up = parents.get(id); up !== undefined; up = parents.get(up)) {
    const ancestor = nodes.get(up)!;
    if (chain.length < 8) chain.push(frameName(ancestor));
    if (!ancestor.callFrame.url.includes('/out/')) continue;
    const key = frameName(ancestor);
    if (!seen.has(key)) add(byOwnInclusive, key, us);
    seen.add(key);
  }
  if (node.callFrame.functionName === target) add(chains, chain.join(' < '), us);
}

const print = (title: string, map: Map<string, number>, count = top): void => {
  console.log(`--- ${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${key}`);
  }
};
console.log(`busy ${(busy / 1e6).toFixed(1)} s`);
if (target) print(`call chains into ${target}`, chains, 12);
else {
  print('by package or file (self)', byPackage, 20);
  print('by function (self)', bySelf);
  print("the console's own functions (inclusive)", byOwnInclusive);
}
