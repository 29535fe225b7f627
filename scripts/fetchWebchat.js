#!/usr/bin/env node
/*
 * Fetches Microsoft Web Chat's standalone bundle from the npm registry at install time.
 *
 * Why: the full botframework-webchat install pulls ~500 MB of dependencies, while its own
 * 7 MB tarball already holds dist/webchat.js. Third-party bundles are never committed, so
 * every install (npm install / npm ci) puts the bundle in public/vendor/ (git-ignored).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WEBCHAT_VERSION = '4.18.1';
const root = path.resolve(__dirname, '..');
const vendorDir = path.join(root, 'public', 'vendor');
const target = path.join(vendorDir, 'webchat.js');
const stamp = path.join(vendorDir, 'webchat.version');

function alreadyThere() {
  try {
    return fs.readFileSync(stamp, 'utf8').trim() === WEBCHAT_VERSION && fs.statSync(target).size > 1000000;
  } catch {
    return false;
  }
}

function main() {
  if (alreadyThere()) {
    console.log(`[fetchWebchat] Web Chat ${WEBCHAT_VERSION} already in public/vendor`);
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webchat-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const tarball = execFileSync(npm, ['pack', `botframework-webchat@${WEBCHAT_VERSION}`, '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work, 'package/dist/webchat.js', 'package/dist/webchat.js.LICENSE.txt'], {
      stdio: 'inherit',
    });
    fs.mkdirSync(vendorDir, { recursive: true });
    fs.copyFileSync(path.join(work, 'package', 'dist', 'webchat.js'), target);
    fs.copyFileSync(path.join(work, 'package', 'dist', 'webchat.js.LICENSE.txt'), path.join(vendorDir, 'webchat.js.LICENSE.txt'));
    fs.writeFileSync(stamp, WEBCHAT_VERSION + '\n');
    console.log(`[fetchWebchat] Web Chat ${WEBCHAT_VERSION} installed in public/vendor`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`[fetchWebchat] could not fetch botframework-webchat@${WEBCHAT_VERSION} from the npm registry: ${error.message}`);
  process.exit(1);
}
