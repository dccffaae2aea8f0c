// The minimal command: text of each image, --json, --version, exit codes.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { badDir, detectionFixtures } from './helpers/fixtures.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const docs = detectionFixtures().filter((f) => f.name.startsWith('doc-'));

test('--json prints one object per image, a failed image as {image, error}, exit code 1', (t) => {
  const bad = path.join(badDir, 'truncated.jpg');
  const r = run('--json', docs[0].file, bad, docs[1].file);
  t.is(r.status, 1, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.is(rows.length, 3);
  t.is(rows[0].image, docs[0].file);
  t.true(rows[0].lines.length > 0);
  t.deepEqual(Object.keys(rows[0].lines[0]).sort(), ['box', 'boxScore', 'score', 'text']);
  t.is(rows[1].error.code, 'ERR_OCR_INVALID_IMAGE');
  t.true(rows[2].lines.length > 0);
});

test('corrupt images are reported in their JSON rows, with nothing written on stderr by the decoders', (t) => {
  // libpng prints "libpng error: ..." for corrupt.png unless the addon gives it silent handlers (png_quiet.cc).
  const bad = ['corrupt.png', 'zero-size-header.png', 'truncated.jpg', 'empty.jpg'].map((f) => path.join(badDir, f));
  const r = run('--json', ...bad);
  t.is(r.status, 1);
  t.deepEqual(
    r.stdout.trim().split('\n').map((l) => JSON.parse(l).error.code),
    bad.map(() => 'ERR_OCR_INVALID_IMAGE'),
  );
  t.is(r.stderr, '');
});

test('plain output lists each image and its lines; exit code 0 when all succeed', (t) => {
  const r = run(docs[0].file);
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.is(lines[0], docs[0].file);
  t.true(lines.length > 5);
});

test('a reader that closes the pipe early (ocrkit ... | head -1) ends the command quietly with exit code 0', (t) => {
  const quote = (v) => `'${v.replace(/'/g, "'\\''")}'`;
  const files = docs.slice(0, 3).map((f) => quote(f.file)).join(' ');
  const r = spawnSync('bash', ['-c', `${quote(process.execPath)} ${quote(cli)} ${files} | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  t.is(r.stdout.split('\n').filter(Boolean).length, 1);
  t.notRegex(r.stderr, /EPIPE|Unhandled/);
  t.is(r.status, 0);
});

test('--version names ocrkit, ONNX Runtime, the providers and the source hash', (t) => {
  const r = run('--version');
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^ocrkit \d+\.\d+\.\d+\nonnxruntime 1\.\d+\.\d+ \(.*libonnxruntime\.so\.1\)\nproviders cpu\nnative source [0-9a-f]{64}\n$/);
});

test('usage errors exit with 2', (t) => {
  t.is(run().status, 2);
  const r = run('--frobnicate', docs[0].file);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown option --frobnicate/);
  t.is(run('--help').status, 0);
  const threads = run('--cpu_threads', '0', docs[0].file);
  t.is(threads.status, 2);
  t.regex(threads.stderr, /--cpu_threads: expected an integer in \[1, 1024\], received "0"/);
});

test('--cpu_threads sets the inference threads and reads the same text', (t) => {
  const one = run('--json', '--cpu_threads', '1', docs[0].file);
  const two = run('--json', '--cpu_threads=2', docs[0].file);
  t.is(one.status, 0, one.stderr);
  t.is(two.status, 0, two.stderr);
  const text = (r) => JSON.parse(r.stdout).lines.map((l) => l.text);
  t.true(text(one).length > 5);
  t.deepEqual(text(one), text(two));
});
