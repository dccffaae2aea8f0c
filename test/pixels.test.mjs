// Raw pixel input: RGB/BGR/RGBA/gray, with and without row padding.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createOcr } from '../dist/index.mjs';
import { readBmpRgb } from './helpers/bmp.mjs';
import { bestMatches } from './helpers/geometry.mjs';
import { detectionFixtures } from './helpers/fixtures.mjs';

const fixture = detectionFixtures().find((f) => f.file.endsWith('.bmp'));
let engine;
let rgb;

test.before(async () => {
  engine = await createOcr();
  rgb = readBmpRgb(fixture.file);
});
test.after.always(async () => engine?.dispose());

function convert({ data, width, height }, channels, order, pad) {
  const stride = width * channels + pad;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = y * stride + x * channels;
      const [r, g, b] = [data[s], data[s + 1], data[s + 2]];
      if (channels === 1) out[d] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else if (order === 'bgr') out.set([b, g, r], d);
      else out.set([r, g, b], d);
      if (channels === 4) out[d + 3] = 255;
    }
  }
  return { data: out, width, height, channels, stride, colorOrder: order };
}

test('RGB pixels give exactly the regions of the encoded file', async (t) => {
  const fromFile = await engine.detect(fixture.file);
  const fromPixels = await engine.detect({ data: rgb.data, width: rgb.width, height: rgb.height, channels: 3 });
  t.true(fromFile.length > 0);
  t.deepEqual(fromPixels, fromFile);
});

for (const [channels, order, pad] of [
  [3, 'bgr', 0],
  [4, 'rgb', 0],
  [4, 'bgr', 8],
  [3, 'rgb', 5],
  [1, 'rgb', 3],
]) {
  test(`${channels}-channel ${order} pixels with ${pad} bytes of row padding find every line`, async (t) => {
    const regions = await engine.detect(convert(rgb, channels, order, pad));
    const ious = bestMatches(fixture.truth.lines.map((l) => l.box), regions.map((r) => r.box));
    t.true(ious.every((v) => v >= 0.5), JSON.stringify(ious));
  });
}

test('sharp-like Buffer pixels with a byte offset are read from the right place', async (t) => {
  const pool = Buffer.alloc(rgb.data.length + 7);
  pool.set(rgb.data, 7);
  const view = pool.subarray(7);
  const regions = await engine.detect({ data: view, width: rgb.width, height: rgb.height, channels: 3 });
  t.deepEqual(regions, await engine.detect(fixture.file));
});
