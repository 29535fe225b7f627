#!/usr/bin/env node
/*
 * `npm start` runs this first: it compiles with tsc only when a source file is newer than the last
 * build (or there is none), so starting an already built checkout takes about a second, not 15.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const builtEntry = path.join(root, 'dist', 'index.js');
const sourceRoots = [
  'index.ts',
  'config.ts',
  'composition',
  'logging',
  'bots',
  'dialogs',
  'cards',
  'services',
  'storage',
  'server',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];

function newestSourceTime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestSourceTime(path.join(entry, name)));
  return newest;
}

const built = fs.statSync(builtEntry, { throwIfNoEntry: false });
const newestSource = Math.max(...sourceRoots.map((entry) => newestSourceTime(path.join(root, entry))));
if (built && built.mtimeMs >= newestSource) process.exit(0);

console.log(built ? 'Sources changed since the last build: compiling…' : 'First start: compiling…');
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
// tsc keeps an unchanged output file's old time; touch the entry so the next start sees a fresh build.
const nowTime = new Date();
fs.utimesSync(builtEntry, nowTime, nowTime);
