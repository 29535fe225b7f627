/**
 * @packageDocumentation
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and prints where the time went: self time per
 * function, and self time per source (our folders, botbuilder, restify, Node internals, GC).
 */
import path from 'node:path';
import { fixed, printTable } from './figures';
import { PROJECT_ROOT } from './processes';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function sourceOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  if (file.startsWith('node:')) return 'node internals';
  const relative = path.relative(PROJECT_ROOT, file);
  const inModules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(relative);
  if (inModules) return inModules[1];
  return relative.split(path.sep)[0] ?? relative;
}

export function summariseCpuProfile(profile: CpuProfile, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;

  const byFunction = new Map<string, number>();
  const bySource = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const file = frame.url.replace(/^file:\/\//, '');
    const where = file.startsWith('node:') ? file : path.relative(PROJECT_ROOT, file);
    const key = `${frame.functionName || '(anonymous)'} ${where ? `${where}:${frame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const source = sourceOf(frame.url, frame.functionName);
    bySource.set(source, (bySource.get(source) ?? 0) + us);
  }
  const share = (us: number): string => `${fixed((100 * us) / busy)}%`;
  console.log(`busy ${fixed(busy / 1000, 0)} ms of ${fixed(total / 1000, 0)} ms sampled`);
  printTable([
    ['self time by source', 'ms', 'share of busy'],
    ...[...bySource]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([source, us]) => [source, fixed(us / 1000, 0), share(us)]),
  ]);
  console.log('');
  printTable([
    ['function', 'self ms', 'share of busy'],
    ...[...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [name.slice(0, 110), fixed(us / 1000, 0), share(us)]),
  ]);
}
