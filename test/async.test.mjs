// Off the main thread: the event loop keeps ticking; abort; dispose; concurrency.
import test from 'ava';
import { createOcr, OcrError } from '../dist/index.mjs';
import { detectionFixtures } from './helpers/fixtures.mjs';

const fixtures = detectionFixtures();
const largest = [...fixtures].sort((a, b) => b.truth.width * b.truth.height - a.truth.width * a.truth.height)[0];

test('the event loop keeps ticking during detection on a large image', async (t) => {
  const engine = await createOcr();
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const started = performance.now();
  await engine.detect(largest.file, { limitType: 'min', limitSideLength: 1280 });
  const elapsed = performance.now() - started;
  clearInterval(timer);
  await engine.dispose();
  t.log(`detection ${elapsed.toFixed(0)} ms, ${ticks} ticks, longest gap ${maxGap.toFixed(0)} ms`);
  // Loose bounds: machines are noisy. A blocked loop would give ~0 ticks and a gap ~ elapsed.
  t.true(ticks >= Math.min(5, elapsed / 50));
  t.true(maxGap < Math.max(150, elapsed / 2));
});

test('createOcr resolves asynchronously (the loop ticks while models load)', async (t) => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const engine = await createOcr();
  clearInterval(timer);
  await engine.dispose();
  t.true(ticks > 0);
});

test('an aborted signal rejects with ERR_OCR_ABORTED and the engine stays usable', async (t) => {
  const engine = await createOcr();
  const before = new AbortController();
  before.abort();
  const e1 = await t.throwsAsync(engine.detect(largest.file, { signal: before.signal }), { instanceOf: OcrError });
  t.is(e1.code, 'ERR_OCR_ABORTED');

  const during = new AbortController();
  const pending = engine.detect(largest.file, { signal: during.signal, limitType: 'min', limitSideLength: 1600 });
  setTimeout(() => during.abort(), 30);
  const e2 = await t.throwsAsync(pending, { instanceOf: OcrError });
  t.is(e2.code, 'ERR_OCR_ABORTED');

  // A call waiting in the queue is aborted without running.
  const slow = engine.detect(largest.file);
  const queued = new AbortController();
  const waiting = engine.detect(largest.file, { signal: queued.signal });
  queued.abort();
  const e3 = await t.throwsAsync(waiting, { instanceOf: OcrError });
  t.is(e3.code, 'ERR_OCR_ABORTED');
  t.true((await slow).length > 0);
  t.true((await engine.detect(largest.file)).length > 0);
  await engine.dispose();
});

test('dispose waits for running calls, rejects queued and new ones', async (t) => {
  const engine = await createOcr();
  const running = engine.detect(largest.file);
  const queued = engine.detect(largest.file);
  const disposed = engine.dispose();
  const e1 = await t.throwsAsync(queued, { instanceOf: OcrError });
  t.is(e1.code, 'ERR_OCR_DISPOSED');
  t.true((await running).length > 0);
  await disposed;
  const e2 = await t.throwsAsync(engine.detect(largest.file), { instanceOf: OcrError });
  t.is(e2.code, 'ERR_OCR_DISPOSED');
  t.throws(() => engine.info(), { code: 'ERR_OCR_DISPOSED' });
  await engine.dispose(); // idempotent
});

test('concurrent calls give exactly the results of sequential ones', async (t) => {
  const engine = await createOcr({ concurrency: 2, intraOpThreads: 1 });
  const files = fixtures.slice(0, 4).map((f) => f.file);
  const sequential = [];
  for (const f of files) sequential.push(await engine.detect(f));
  const concurrent = await Promise.all(files.map((f) => engine.detect(f)));
  t.deepEqual(concurrent, sequential);
  await engine.dispose();
});
