import { OcrError } from './errors.js';
import { fail, num } from './validate.js';
import type { NativeInput } from './native.js';

/** Raw pixels as sharp (`.raw()`) or canvas (`getImageData`) give them. */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Bytes per row. Default width * channels. */
  stride?: number;
  /** Order of 3/4-channel data. Default 'rgb'. */
  colorOrder?: 'rgb' | 'bgr';
}

/**
 * A file path, the bytes of an encoded image (JPEG, PNG, WebP, TIFF, BMP), or raw pixels. Bytes are copied when the
 * call is made (see snapshot).
 */
export type ImageInput = string | Uint8Array | ArrayBuffer | SharedArrayBuffer | RawImage;

const RAW_KEYS = ['data', 'width', 'height', 'channels', 'stride', 'colorOrder'];

/** Encoded inputs above 1 GiB are refused, as the native decoder refuses them (cpp/image/decode.h). */
const MAX_ENCODED_BYTES = 2 ** 30;

// The engine's own reads of a buffer's length, offset and backing store: the built-in getters, which read a typed
// array's internal slots. A subclass overriding `byteLength` (or a Proxy posing as a Uint8Array) could otherwise make
// the copy below larger than the bytes it holds: the rest of a Buffer.allocUnsafeSlow copy is stale memory, which
// was recognised as text (an earlier buffer's lines came back).
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
function intrinsicGetter(target: object, key: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(target, key)!.get!;
}
/** 'Uint8Array', 'Float32Array', ... for a genuine typed array (not a Proxy of one); undefined for anything else. */
const typedArrayName = intrinsicGetter(typedArrayPrototype, Symbol.toStringTag) as (this: unknown) => string | undefined;
const viewBuffer = intrinsicGetter(typedArrayPrototype, 'buffer') as (this: unknown) => ArrayBufferLike;
const viewByteOffset = intrinsicGetter(typedArrayPrototype, 'byteOffset') as (this: unknown) => number;
const viewByteLength = intrinsicGetter(typedArrayPrototype, 'byteLength') as (this: unknown) => number;
const arrayBufferByteLength = intrinsicGetter(ArrayBuffer.prototype, 'byteLength') as (this: unknown) => number;
const sharedByteLength = intrinsicGetter(SharedArrayBuffer.prototype, 'byteLength') as (this: unknown) => number;

/** The bytes a genuine Uint8Array (or Uint8ClampedArray, with `clamped`) covers, as a plain view; else undefined. */
function genuineBytes(value: unknown, clamped = false): Uint8Array | undefined {
  const name = typedArrayName.call(value);
  if (name !== 'Uint8Array' && !(clamped && name === 'Uint8ClampedArray')) return undefined;
  const length = viewByteLength.call(value);  // 0 once detached.
  return length === 0 ? new Uint8Array(0) : new Uint8Array(viewBuffer.call(value), viewByteOffset.call(value), length);
}

/** A genuine ArrayBuffer's or SharedArrayBuffer's bytes (an empty view once detached); else undefined. */
function bufferBytes(value: unknown): Uint8Array | undefined {
  for (const byteLength of [arrayBufferByteLength, sharedByteLength]) {
    let length: number;
    try {
      length = byteLength.call(value);  // Throws on anything but that kind of buffer.
    } catch {
      continue;
    }
    return length === 0 ? new Uint8Array(0) : new Uint8Array(value as ArrayBufferLike, 0, length);
  }
  return undefined;
}

/**
 * A copy of the first `length` bytes of `view` (a plain view from genuineBytes or bufferBytes), taken when the call
 * is made. The addon then reads memory only ocrkit holds: the caller may reuse, transfer (postMessage,
 * structuredClone) or resize its buffer at once. Reading the caller's own buffer instead, a buffer transferred away
 * and collected during a call was read after it was freed (a silent wrong result), and a resizable one shrunk during
 * a call crashed the process. A SharedArrayBuffer's bytes are read once, here. Buffer.allocUnsafeSlow: no zero-fill
 * before the copy (every byte is then written: `length` never exceeds the view's own), no shared pool.
 */
function snapshot(view: Uint8Array, length = view.byteLength): Uint8Array {
  const copy = Buffer.allocUnsafeSlow(length);
  if (length > 0) copy.set(length === view.byteLength ? view : view.subarray(0, length));
  return copy;
}

function encoded(view: Uint8Array): NativeInput {
  if (view.byteLength > MAX_ENCODED_BYTES) {
    throw new OcrError(
      'ERR_OCR_IMAGE_TOO_LARGE',
      `encoded image is ${view.byteLength} bytes, more than the limit of ${MAX_ENCODED_BYTES} bytes`,
    );
  }
  return { kind: 'encoded', data: snapshot(view) };
}

function toNativePixels(raw: Record<string, unknown>, maxPixels: number): NativeInput {
  for (const key of Object.keys(raw)) {
    if (!RAW_KEYS.includes(key)) fail(`input.${key}`, `one of ${RAW_KEYS.join(', ')}`, key);
  }
  const data = genuineBytes(raw['data'], true);
  if (data === undefined) fail('input.data', 'a Buffer, Uint8Array or Uint8ClampedArray', raw['data']);
  const width = num(raw['width'], 'input.width', 1, 1 << 20, { integer: true });
  const height = num(raw['height'], 'input.height', 1, 1 << 20, { integer: true });
  const channels = raw['channels'];
  if (channels !== 1 && channels !== 3 && channels !== 4) fail('input.channels', '1, 3 or 4', channels);
  const stride =
    raw['stride'] === undefined ? width * channels : num(raw['stride'], 'input.stride', width * channels, 2 ** 31 - 1, { integer: true });
  const colorOrder = raw['colorOrder'] === undefined ? 'rgb' : raw['colorOrder'];
  if (colorOrder !== 'rgb' && colorOrder !== 'bgr') fail('input.colorOrder', "'rgb' or 'bgr'", colorOrder);
  if (width * height > maxPixels) {
    // Refused before the copy, with the addon's message: a copy of an image the call refuses is memory for nothing.
    throw new OcrError(
      'ERR_OCR_IMAGE_TOO_LARGE',
      `image is ${width}x${height} = ${width * height} pixels, more than the limit of ${maxPixels} pixels`,
    );
  }
  const needed = stride * (height - 1) + width * channels;
  if (data.byteLength < needed) {
    fail('input.data', `at least ${needed} bytes for ${width}x${height}x${channels} (stride ${stride})`, `${data.byteLength} bytes`);
  }
  // Only the bytes the rows cover are copied.
  return { kind: 'pixels', data: snapshot(data, needed), width, height, channels, stride, colorOrder };
}

/**
 * Normalises every accepted input form to what the addon reads. `maxPixels`: raw pixels over it are refused here,
 * before they are copied (the addon checks every image against the call's limit again).
 */
export function toNativeInput(input: unknown, maxPixels = Number.MAX_SAFE_INTEGER): NativeInput {
  if (typeof input === 'string') {
    if (input.length === 0) throw new OcrError('ERR_OCR_INVALID_OPTION', 'input: expected a file path, received ""');
    // The system reads a NUL as the end of the path: "a.png\0.jpg" would read a.png, not the file named.
    if (input.includes('\0')) fail('input', 'a file path without NUL characters', input);
    return { kind: 'path', path: input };
  }
  try {
    const bytes = typedArrayName.call(input) === 'Uint8Array' ? genuineBytes(input) : bufferBytes(input);
    if (bytes !== undefined) return encoded(bytes);
    if (input instanceof Uint8Array || input instanceof ArrayBuffer || input instanceof SharedArrayBuffer) {
      // A Proxy of one, or an object made to inherit from one: it has no bytes of its own to read.
      fail('input', 'a genuine Buffer/Uint8Array/ArrayBuffer (not a Proxy of one or an object inheriting from one)', input);
    }
    if (input !== null && typeof input === 'object' && 'data' in input) {
      return toNativePixels(input as Record<string, unknown>, maxPixels);
    }
  } catch (error) {
    if (error instanceof OcrError) throw error;
    // A getter or a Proxy trap of the caller's object threw: named as the input it is.
    throw new OcrError('ERR_OCR_INVALID_OPTION', `input: reading it threw ${String(error)}`, { cause: error });
  }
  return fail(
    'input',
    'a file path, a Buffer/Uint8Array of an encoded image, or raw pixels {data, width, height, channels}',
    input,
  );
}

/**
 * toNativeInput for each of a caller's array, a bad one named by its index (`inputs[k]`). Array.from: a sparse
 * array's holes read as undefined (map would keep them as holes).
 */
export function toNativeInputs(inputs: readonly unknown[], maxPixels?: number): NativeInput[] {
  return Array.from(inputs, (input: unknown, k) => {
    try {
      return toNativeInput(input, maxPixels);
    } catch (error) {
      if (error instanceof OcrError) throw new OcrError(error.code, `inputs[${k}]: ${error.message}`);
      throw error;
    }
  });
}
