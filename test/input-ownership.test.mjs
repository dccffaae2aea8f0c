// A call reads its image bytes as they were when it was made: ocrkit copies a Buffer/Uint8Array/ArrayBuffer input
// (encoded or raw pixels) at the call (lib/input.ts), so the caller may overwrite, transfer or shrink its buffer at once.
// Each case queues its call behind a busy one (concurrency 1), changes the buffer while the call waits, and expects
// what the untouched image gives. Before the copy the addon read the caller's buffer when the call's turn came:
// these calls failed (empty or undecodable data), and a resizable buffer shrunk while a call read it crashed the
// process (SIGSEGV). The cases run one at a time (test.serial): each measures its own call.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createOcr } from '../dist/index.mjs';
import { readBmpRgb } from './helpers/bmp.mjs';
import { imagesDir } from './helpers/fixtures.mjs';

const docFile = path.join(imagesDir, 'doc-a-640x480.png');
const photoFile = path.join(imagesDir, 'photo-c-640x480.bmp');
const busyFile = path.join(imagesDir, 'doc-e-2000x1500-rot15.jpg');
let engine;
let docBytes;
let docTexts;
let photoRegions;

const texts = (result) => result.lines.map((l) => l.text);

test.before(async () => {
  engine = await createOcr({ concurrency: 1 });
  docBytes = fs.readFileSync(docFile);
  docTexts = texts(await engine.recognize(docFile));
  photoRegions = await engine.detect(photoFile);
});
test.after.always(async () => engine?.dispose());

/** Starts a busy call, then `call(input)` queued behind it, then `change()` while it waits. */
async function queuedThenChanged(call, change) {
  const busy = engine.recognize(busyFile);
  const pending = call();
  change();
  await busy;
  return pending;
}

/** doc-a's encoded bytes in a buffer of the given kind: (length) => ArrayBuffer | SharedArrayBuffer. */
function docIn(makeBuffer) {
  const buffer = makeBuffer(docBytes.length);
  const view = new Uint8Array(buffer);
  view.set(docBytes);
  return { buffer, view };
}

test.serial('an encoded Buffer overwritten after the call reads as given', async (t) => {
  const input = Buffer.from(docBytes);
  const result = await queuedThenChanged(() => engine.recognize(input), () => input.fill(0));
  t.true(docTexts.length > 0);
  t.deepEqual(texts(result), docTexts);
});

test.serial('an encoded image in a resizable ArrayBuffer shrunk to 0 bytes after the call reads as given', async (t) => {
  const { buffer, view } = docIn((n) => new ArrayBuffer(n, { maxByteLength: n }));
  const result = await queuedThenChanged(() => engine.recognize(view), () => buffer.resize(0));
  t.is(view.length, 0);
  t.deepEqual(texts(result), docTexts);
});

test.serial('an encoded ArrayBuffer transferred away after the call reads as given', async (t) => {
  const { buffer } = docIn((n) => new ArrayBuffer(n));
  const result = await queuedThenChanged(
    () => engine.recognize(buffer),
    () => structuredClone(buffer, { transfer: [buffer] }),
  );
  t.is(buffer.byteLength, 0);
  t.deepEqual(texts(result), docTexts);
});

test.serial('SharedArrayBuffer inputs (the buffer, or a Uint8Array over it) are read like any other', async (t) => {
  const { buffer, view } = docIn((n) => new SharedArrayBuffer(n));
  t.deepEqual(texts(await engine.recognize(buffer)), docTexts);
  t.deepEqual(texts(await engine.recognize(view)), docTexts);
});

test.serial('raw pixels in a resizable buffer, overwritten and shrunk after the call, give the regions of the file', async (t) => {
  const { data, width, height } = readBmpRgb(photoFile);
  const buffer = new ArrayBuffer(data.length, { maxByteLength: data.length });
  const pixels = new Uint8ClampedArray(buffer);
  pixels.set(data);
  const regions = await queuedThenChanged(
    () => engine.detect({ data: pixels, width, height, channels: 3 }),
    () => {
      pixels.fill(255);
      buffer.resize(0);
    },
  );
  t.true(photoRegions.length > 0);
  t.deepEqual(regions, photoRegions);
});

test.serial('an input detached before the call is an empty image, a typed error', async (t) => {
  const { buffer, view } = docIn((n) => new ArrayBuffer(n));
  structuredClone(buffer, { transfer: [buffer] });
  const error = await t.throwsAsync(engine.recognize(view));
  t.is(error.code, 'ERR_OCR_INVALID_IMAGE');
  t.regex(error.message, /empty/);
});

test.serial('an encoded input over 1 GiB is refused before it is copied', async (t) => {
  const huge = new Uint8Array(2 ** 30 + 1); // untouched: address space, not memory
  const error = await t.throwsAsync(engine.recognize(huge));
  t.is(error.code, 'ERR_OCR_IMAGE_TOO_LARGE');
  t.regex(error.message, /1073741825 bytes, more than the limit of 1073741824/);
});

test.serial('raw pixels over the pixel limit are refused before they are copied', async (t) => {
  const width = 20000;
  const height = 20000;
  const data = new Uint8Array(width * height * 3); // 1.2 GB, untouched: address space, not memory
  const before = process.memoryUsage().rss;
  const error = await t.throwsAsync(engine.recognize({ data, width, height, channels: 3 }));
  t.is(error.code, 'ERR_OCR_IMAGE_TOO_LARGE');
  t.regex(error.message, /20000x20000 = 400000000 pixels, more than the limit of 100000000/);
  const small = await t.throwsAsync(engine.detect({ data, width: 100, height: 100, channels: 3 }, { maxPixels: 5000 }));
  t.is(small.code, 'ERR_OCR_IMAGE_TOO_LARGE');
  t.regex(small.message, /limit of 5000 pixels/);
  const grown = process.memoryUsage().rss - before;
  t.log(`RSS grew by ${Math.round(grown / 1e6)} MB`);
  t.true(grown < 100e6, 'no copy of the refused pixels');
});

// The copy is sized by the buffer's own internal length, not by a `byteLength` the caller's object reports: a
// subclass claiming more bytes than it holds made the copy larger than what was written into it, and the stale rest
// of that memory was recognised (an earlier buffer's lines came back as this call's result).
test.serial('a typed array that claims more bytes than it holds is read for the bytes it holds', async (t) => {
  class Lying extends Uint8Array {
    get byteLength() {
      return 640 * 480 * 3;
    }
  }
  const error = await t.throwsAsync(engine.recognize({ data: new Lying(4), width: 640, height: 480, channels: 3 }));
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(error.message, /input\.data: expected at least 921600 bytes .* received "4 bytes"/);
  // As encoded bytes: the 4 bytes it holds, not 921600 (of which 921596 unwritten).
  const encodedError = await t.throwsAsync(engine.recognize(Lying.from([0xff, 0xd8, 0xff, 0xe0])));
  t.is(encodedError.code, 'ERR_OCR_INVALID_IMAGE');
  t.regex(encodedError.message, /JPEG/);
  const genuine = Lying.from(docBytes);
  t.deepEqual(texts(await engine.recognize(genuine)), docTexts);
});

test.serial('Proxies and detached buffers are typed errors, whatever the input form', async (t) => {
  const proxy = new Proxy(new Uint8Array(docBytes), {});
  for (const input of [proxy, { data: proxy, width: 10, height: 10, channels: 1 }]) {
    const error = await t.throwsAsync(engine.recognize(input));
    t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  }
  const buffer = new ArrayBuffer(16);
  structuredClone(buffer, { transfer: [buffer] });
  const detached = await t.throwsAsync(engine.recognize(buffer));
  t.is(detached.code, 'ERR_OCR_INVALID_IMAGE');
  t.regex(detached.message, /empty/);
  const throwing = { get data() { throw new Error('no pixels here'); }, width: 1, height: 1, channels: 1 };
  const thrown = await t.throwsAsync(engine.detect(throwing));
  t.is(thrown.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(thrown.message, /input: reading it threw Error: no pixels here/);
});
