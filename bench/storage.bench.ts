/**
 * Cost of one acknowledged answer write as the store grows: the partitioned file store must keep
 * it flat (one small file per record), where a single lowdb file would grow with the data. Then
 * the price of durability: the same record written with fsync of file and folder (what the store
 * does) and without (temporary file and rename only, what lowdb's own adapter does).
 * Prints figures, asserts nothing. Run: `npx ts-node --transpile-only bench/storage.bench.ts`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableJsonFile, JsonFileStore } from '../storage/jsonFileStore';

interface Answer {
  itemId: string;
  value: number;
}

const SIZES = [100, 1_000, 10_000];
const SAMPLES = 200;

function record(i: number): { id: string; answers: Answer[] } {
  return { id: `set-${i}`, answers: Array.from({ length: 19 }, (_, n) => ({ itemId: `c-item-${n}`, value: ((i + n) % 5) + 1 })) };
}

async function main(): Promise<void> {
  console.log('records  mean write (ms)  p95 write (ms)  heap used (MB)');
  for (const size of SIZES) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-store-'));
    const store = new JsonFileStore(dir);
    for (let i = 0; i < size; i += 1) await store.write('responses', `set-${i}`, record(i));
    const times: number[] = [];
    for (let s = 0; s < SAMPLES; s += 1) {
      const key = `set-${(s * 7919) % size}`;
      const start = process.hrtime.bigint();
      await store.update<{ id: string; answers: Answer[] }>('responses', key, (current) =>
        current
          ? { ...current, answers: current.answers.map((a, n) => (n === s % 19 ? { ...a, value: ((a.value + 1) % 5) + 1 } : a)) }
          : current,
      );
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    const p95 = times[Math.floor(times.length * 0.95)];
    const heap = process.memoryUsage().heapUsed / 1024 / 1024;
    console.log(
      `${String(size).padStart(7)}  ${mean.toFixed(3).padStart(15)}  ${p95.toFixed(3).padStart(14)}  ${heap.toFixed(1).padStart(14)}`,
    );
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function summary(times: number[]): { mean: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { mean: sorted.reduce((sum, t) => sum + t, 0) / sorted.length, p95: sorted[Math.floor(sorted.length * 0.95)] };
}

async function fsyncCost(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-fsync-'));
  const file = path.join(dir, 'answer.json');
  const durable = new DurableJsonFile<unknown>(file);
  const plain = async (data: unknown): Promise<void> => {
    const temporary = `${file}.plain.tmp`;
    await fs.writeFile(temporary, JSON.stringify(data, null, 2), { mode: 0o600 });
    await fs.rename(temporary, file);
  };
  const durableTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let s = 0; s < SAMPLES; s += 1) {
    const data = { key: 'set-1', value: record(s), updatedAt: new Date().toISOString() };
    let start = process.hrtime.bigint();
    await durable.write(data);
    durableTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    await plain(data);
    plainTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await fs.rm(dir, { recursive: true, force: true });
  const d = summary(durableTimes);
  const p = summary(plainTimes);
  console.log('');
  console.log(`write of one answer record (${SAMPLES} samples, ${os.tmpdir()})  mean (ms)  p95 (ms)`);
  console.log(`with fsync of file and folder (the store)            ${d.mean.toFixed(3).padStart(9)}  ${d.p95.toFixed(3).padStart(8)}`);
  console.log(`rename only, no fsync (lowdb's JSONFile)             ${p.mean.toFixed(3).padStart(9)}  ${p.p95.toFixed(3).padStart(8)}`);
  console.log(`fsync cost per acknowledged answer                   ${(d.mean - p.mean).toFixed(3).padStart(9)}`);
}

void main().then(fsyncCost);
