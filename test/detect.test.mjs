// Detection with the default PP-OCRv4 model on generated fixtures.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createOcr } from '../dist/index.mjs';
import { bestMatches, isClockwise } from './helpers/geometry.mjs';
import { detectionFixtures } from './helpers/fixtures.mjs';

const fixtures = detectionFixtures();
let engine;

test.before(async () => {
  engine = await createOcr();
});

test.after.always(async () => {
  await engine?.dispose();
});

test('fixtures exist', (t) => {
  t.true(fixtures.length >= 8);
});

for (const fixture of fixtures) {
  test(`finds every line of ${fixture.name} (IoU >= 0.5)`, async (t) => {
    const details = await engine.detectWithDetails(fixture.file);
    t.is(details.width, fixture.truth.width);
    t.is(details.height, fixture.truth.height);
    const boxes = details.regions.map((r) => r.box);
    const ious = bestMatches(fixture.truth.lines.map((l) => l.box), boxes);
    const missed = fixture.truth.lines.filter((_, i) => ious[i] < 0.5).map((l, i) => `${l.text} (${ious[i]?.toFixed(2)})`);
    t.deepEqual(missed, [], `missed lines in ${fixture.name}`);
    if (fixture.truth.lines.length === 0) t.is(details.regions.length, 0);
    for (const r of details.regions) {
      t.true(isClockwise(r.box), 'box runs clockwise');
      t.true(r.score >= 0.6 && r.score <= 1);
      for (const [x, y] of r.box) {
        t.true(x >= 0 && x <= details.width - 1 && y >= 0 && y <= details.height - 1, 'box clamped into the image');
      }
    }
  });
}

const first = fixtures.find((f) => f.truth.lines.length > 0 && f.file.endsWith('.png')) ?? fixtures[0];

test('a path, a Buffer, a Uint8Array and an ArrayBuffer give the same regions', async (t) => {
  const bytes = fs.readFileSync(first.file);
  const fromPath = await engine.detect(first.file);
  const fromBuffer = await engine.detect(bytes);
  const fromArray = await engine.detect(new Uint8Array(bytes));
  const fromArrayBuffer = await engine.detect(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  t.true(fromPath.length > 0);
  t.deepEqual(fromBuffer, fromPath);
  t.deepEqual(fromArray, fromPath);
  t.deepEqual(fromArrayBuffer, fromPath);
});

test('per-call options override the engine defaults', async (t) => {
  const strict = await engine.detect(first.file, { boxThreshold: 0.99 });
  const normal = await engine.detect(first.file);
  t.true(strict.length < normal.length);
  const polygons = await engine.detect(first.file, { boxType: 'polygon' });
  t.true(polygons.length > 0);
  for (const r of polygons) t.true(r.polygon.length >= 4);
  const small = await engine.detectWithDetails(first.file, { limitSideLength: 320 });
  t.true(Math.max(small.inputWidth, small.inputHeight) <= 320);
  t.is(small.inputWidth % 32, 0);
  t.is(small.inputHeight % 32, 0);
  const min = await engine.detectWithDetails(first.file, { limitType: 'min', limitSideLength: 736 });
  t.true(Math.min(min.inputWidth, min.inputHeight) >= 736 - 16);
});

test('detectWithDetails reports per-stage timings', async (t) => {
  const { timings } = await engine.detectWithDetails(first.file);
  for (const key of ['decodeMs', 'preprocessMs', 'inferenceMs', 'postprocessMs']) {
    t.true(typeof timings[key] === 'number' && timings[key] >= 0, key);
  }
  t.true(timings.inferenceMs > 0);
});

test('the engine reports its providers and runtime', (t) => {
  const info = engine.info();
  t.deepEqual(info.providers, ['cpu']);
  t.regex(info.runtimeVersion, /^1\.\d+\.\d+/);
  t.true(info.runtimePath.endsWith('libonnxruntime.so.1'));
  t.regex(info.sourceHash, /^[0-9a-f]{64}$/);
  t.is(info.allocatorTuned, process.env.OCRKIT_MALLOC_TUNING !== '0');
});

test('OCRKIT_MALLOC_TUNING=0 leaves the allocator alone', (t) => {
  const script = `import('${new URL('../dist/index.mjs', import.meta.url).href}').then(async (m) => {
    const e = await m.createOcr(); process.stdout.write(String(e.info().allocatorTuned)); await e.dispose(); })`;
  const run = (value) => execFileSync(process.execPath, ['-e', script], { env: { ...process.env, OCRKIT_MALLOC_TUNING: value } }).toString();
  t.is(run('0'), 'false');
  t.is(run('1'), 'true');
});

test('EXIF orientation is applied by default and can be turned off', async (t) => {
  const fixture = fixtures.find((f) => f.truth.exifOrientation === 6);
  const shown = await engine.detectWithDetails(fixture.file);
  t.is(shown.width, fixture.truth.width);
  t.is(shown.height, fixture.truth.height);
  const stored = await engine.detectWithDetails(fixture.file, { applyExifOrientation: false });
  t.is(stored.width, fixture.truth.storedWidth);
  t.is(stored.height, fixture.truth.storedHeight);
  // Lines are still found in the stored (sideways) frame, as vertical boxes.
  t.true(stored.regions.length >= fixture.truth.lines.length);
  for (const r of stored.regions) {
    const [tl, tr, , bl] = r.box;
    t.true(Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) > Math.hypot(tr[0] - tl[0], tr[1] - tl[1]));
  }
});
