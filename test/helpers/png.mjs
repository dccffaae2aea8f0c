// Reads 8-bit, non-interlaced PNGs (grey, grey+alpha, RGB or RGBA) into top-down RGB pixels, without an image
// library: test input for the raw-pixel path, and the images of scripts/check-det-models.mjs.
import fs from 'node:fs';
import zlib from 'node:zlib';

/** {width, height, rgb} of a PNG file's bytes. */
export function decodePng(buf) {
  if (buf.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  let at = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const body = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      colorType = body[9];
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit non-interlaced PNG');
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`PNG colour type ${colorType} not supported`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += up;
      else if (filter === 3) v += (a + up) >> 1;
      else if (filter === 4) {
        const p = a + up - c, pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      pixels[y * stride + x] = v & 255;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgb[i * 3 + k] = pixels[i * channels + (channels >= 3 ? k : 0)];
  }
  return { width, height, rgb };
}

/** A PNG file as {data, width, height} (RGB), the shape the raw-pixel input takes. */
export function readPngRgb(file) {
  const { width, height, rgb } = decodePng(fs.readFileSync(file));
  return { data: rgb, width, height };
}

/** `image` turned `angle` (0, 90, 180, 270) degrees clockwise. */
export function rotateClockwise({ data, width, height }, angle) {
  const turns = ((angle / 90) % 4 + 4) % 4;
  let out = { data, width, height };
  for (let t = 0; t < turns; t++) {
    const { data: src, width: w, height: h } = out;
    const dst = new Uint8Array(src.length);
    // clockwise: source (x, y) goes to (h - 1 - y, x) of an h-wide image
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = (y * w + x) * 3, d = (x * h + (h - 1 - y)) * 3;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
    out = { data: dst, width: h, height: w };
  }
  return out;
}
