// Result visualisation as PaddleX's {name}_ocr_res_img: the image with each line's box filled (30 % of its colour),
// outlined and numbered (its index in result.lines), beside a white panel of the same size where each line's text
// is drawn inside its box. Drawn natively (cpp/render: our own TrueType rasteriser) with the fonts shipped in
// fonts/: DejaVu Sans for Latin, Greek, Cyrillic and symbols, Droid Sans Fallback for CJK.
import path from 'node:path';
import type { Point } from './engine.js';
import { fromNative, OcrError } from './errors.js';
import { toNativeInput, type ImageInput } from './input.js';
import { loadNative, packageRoot } from './native.js';
import { fail, num } from './validate.js';
import { DEFAULT_DETECT_OPTIONS } from './options.js';

/** The shipped fonts, tried in order for each character. */
export const DEFAULT_FONT_PATHS: readonly string[] = Object.freeze([
  path.join(packageRoot, 'fonts', 'DejaVuSans.ttf'),
  path.join(packageRoot, 'fonts', 'DroidSansFallbackFull.ttf'),
]);

export type VisualizeFormat = 'png' | 'jpg';

export interface VisualizeOptions {
  /**
   * TrueType (.ttf, glyf outlines) font(s) to draw the text with, tried in order for each character; the shipped
   * fonts follow as fallbacks for characters they lack. Default: the shipped fonts alone.
   */
  fontPath?: string | readonly string[];
  /** Encoding of the returned image. Default 'png'. */
  format?: VisualizeFormat;
  /** Must match the call that produced the result so the boxes line up. Default true (as the engine's). */
  applyExifOrientation?: boolean;
  /** Largest accepted width * height of the input. Default 100,000,000 (as the engine's). */
  maxPixels?: number;
}

/** What visualize draws: recognize() results fit, and so do detection regions with `text` added. */
export interface VisualizeLine {
  /** Four corners TL, TR, BR, BL (the text is warped into the quad), or any polygon of 3+ points. */
  box: readonly (readonly [number, number])[] | readonly Point[];
  /** Drawn instead of box when present (boxType 'polygon'). */
  polygon?: readonly (readonly [number, number])[];
  /** Default ''. */
  text?: string;
}

const OPTION_KEYS = ['fontPath', 'format', 'applyExifOrientation', 'maxPixels'];

function fontPaths(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_FONT_PATHS];
  // Array.from: a sparse array's holes read as undefined (every() would skip them).
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? Array.from(value as unknown[]) : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p !== '' && !p.includes('\0'))) {
    fail('options.fontPath', 'a .ttf path or a non-empty array of them', value);
  }
  return [...(list as string[]).map((p) => path.resolve(p)), ...DEFAULT_FONT_PATHS];
}

function flatLines(lines: unknown): { points: Float32Array; offsets: Uint32Array; texts: string[] } {
  if (!Array.isArray(lines)) fail('result.lines', 'an array', lines);
  const offsets = new Uint32Array(lines.length + 1);
  const coords: number[] = [];
  const texts: string[] = [];
  // Array.from: a sparse array's holes read as undefined (forEach would skip them).
  Array.from(lines as unknown[]).forEach((line: unknown, i: number) => {
    const where = `result.lines[${i}]`;
    if (line === null || typeof line !== 'object') fail(where, 'an object with box and text', line);
    const { box, polygon, text } = line as { box?: unknown; polygon?: unknown; text?: unknown };
    const points = polygon ?? box;
    if (!Array.isArray(points)) fail(`${where}.box`, 'an array of [x, y] points', points);
    for (const [k, p] of (points as unknown[]).entries()) {
      if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        fail(`${where}.${polygon === undefined ? 'box' : 'polygon'}[${k}]`, 'an [x, y] pair of finite numbers', p);
      }
      coords.push(p[0] as number, p[1] as number);
    }
    if (text !== undefined && typeof text !== 'string') fail(`${where}.text`, 'a string', text);
    texts.push((text as string | undefined) ?? '');
    offsets[i + 1] = coords.length / 2;
  });
  return { points: Float32Array.from(coords), offsets, texts };
}

/**
 * Draws an OCR result over its image and returns the encoded picture (PNG or JPEG): the image on the left with each
 * line's box filled translucently in its own colour, outlined and labelled with its index in `result.lines`; on the
 * right, a white panel of the same size with each line's text drawn inside its box. The output is 2W x H.
 * `input` is decoded as the engine decodes it (EXIF orientation applied by default), so pass the same input and the
 * same applyExifOrientation as the recognize() call. Rejects with ERR_OCR_INVALID_OPTION for bad options or a bad
 * font file, ERR_OCR_FILE_NOT_FOUND for a missing font, and the engine's image errors for the input.
 */
export async function visualize(
  input: ImageInput,
  result: { readonly lines: readonly VisualizeLine[] },
  options: VisualizeOptions = {},
): Promise<Buffer> {
  const callSite = new Error();
  if (options === null || typeof options !== 'object') fail('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new OcrError('ERR_OCR_INVALID_OPTION', `options.${key}: unknown option (known: ${OPTION_KEYS.join(', ')})`);
    }
  }
  if (result === null || typeof result !== 'object') fail('result', 'an object with lines', result);
  const format = options.format ?? 'png';
  if (format !== 'png' && format !== 'jpg') fail('options.format', "'png' or 'jpg'", format);
  const applyExifOrientation = options.applyExifOrientation ?? DEFAULT_DETECT_OPTIONS.applyExifOrientation;
  if (typeof applyExifOrientation !== 'boolean') fail('options.applyExifOrientation', 'a boolean', applyExifOrientation);
  const maxPixels =
    options.maxPixels === undefined
      ? DEFAULT_DETECT_OPTIONS.maxPixels
      : num(options.maxPixels, 'options.maxPixels', 1, Number.MAX_SAFE_INTEGER, { integer: true });
  const native = loadNative();
  try {
    return await native.visualize(toNativeInput(input, maxPixels), flatLines(result.lines), {
      fontPaths: fontPaths(options.fontPath),
      format,
      applyExifOrientation,
      maxPixels,
    });
  } catch (error) {
    if (error instanceof OcrError) throw error;
    throw fromNative(error, callSite);
  }
}

/**
 * Loads the font(s) of visualize()'s `fontPath` as a drawing would (on an 8 x 8 image): ERR_OCR_INVALID_OPTION when
 * one is missing or not a TrueType/OpenType font. For a run that draws many images, before it starts.
 */
export async function checkFont(fontPath: string | readonly string[]): Promise<void> {
  await visualize({ data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, channels: 3 }, { lines: [] }, { fontPath });
}

/**
 * The visualisation file of an image as the folder CLI names it: `{stem}_ocr_res_img.{png|jpg}`, or `{base}_...` for
 * a base of its own (outputBases: images of one folder sharing a stem); png for png inputs.
 */
export function visualizationName(imageName: string, base?: string): { file: string; format: VisualizeFormat } {
  const parsed = path.posix.parse(imageName);
  const format: VisualizeFormat = parsed.ext.toLowerCase() === '.png' ? 'png' : 'jpg';
  return { file: `${base ?? path.posix.join(parsed.dir, parsed.name)}_ocr_res_img.${format}`, format };
}
