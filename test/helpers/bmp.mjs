// Reads an uncompressed 24/32-bit BMP into top-down RGB pixels (test input for
// the raw-pixel path, without an image library).
import fs from 'node:fs';

export function readBmpRgb(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 0, 2) !== 'BM') throw new Error('not a BMP');
  const dataOffset = b.readUInt32LE(10);
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bpp = b.readUInt16LE(28);
  const compression = b.readUInt32LE(30);
  if ((bpp !== 24 && bpp !== 32) || (compression !== 0 && compression !== 3)) throw new Error(`unsupported BMP ${bpp} bpp`);
  const height = Math.abs(rawHeight);
  const bytesPerPixel = bpp / 8;
  const rowSize = Math.ceil((width * bytesPerPixel) / 4) * 4;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = rawHeight > 0 ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const s = dataOffset + srcRow * rowSize + x * bytesPerPixel;
      const d = (y * width + x) * 3;
      rgb[d] = b[s + 2];
      rgb[d + 1] = b[s + 1];
      rgb[d + 2] = b[s];
    }
  }
  return { data: rgb, width, height };
}
