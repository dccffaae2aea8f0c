import { fromNative, OcrError } from './errors.js';
import { toNativeInput, type ImageInput } from './input.js';
import { defaultModelPaths, defaultRuntimePath } from './models.js';
import { loadNative, type NativeDetection, type NativeEngine } from './native.js';
import { CallQueue } from './queue.js';
import {
  resolveDetectOptions,
  resolveOcrOptions,
  toNativeParams,
  type DetectOptions,
  type OcrOptions,
  type ResolvedOptions,
} from './options.js';

export type Point = [number, number];

/** A detected text region, in original-image pixels (after EXIF orientation). */
export interface TextRegion {
  /** Four corners clockwise from the top-left: [TL, TR, BR, BL]. */
  box: [Point, Point, Point, Point];
  /** Mean text probability inside the box. */
  score: number;
  /** Outline polygon, with boxType 'polygon'. */
  polygon?: Point[];
}

export interface StageTimings {
  decodeMs: number;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface DetectionDetails {
  regions: TextRegion[];
  /** Size of the image the boxes refer to (after EXIF orientation). */
  width: number;
  height: number;
  /** Network input size used. */
  inputWidth: number;
  inputHeight: number;
  timings: StageTimings;
}

export interface CallOptions extends DetectOptions {
  /** Aborts the call: it rejects with ERR_OCR_ABORTED and the engine stays usable. */
  signal?: AbortSignal;
}

export interface EngineInfo {
  /** Execution providers the sessions run on, in order, CPU last. */
  providers: string[];
  runtimeVersion: string;
  runtimePath: string;
  sourceHash: string;
}

function inflate(raw: NativeDetection): TextRegion[] {
  const regions: TextRegion[] = [];
  const { quads, scores, polygons, polygonOffsets } = raw;
  for (let i = 0; i < scores.length; i++) {
    const q = quads.subarray(i * 8, i * 8 + 8);
    const region: TextRegion = {
      box: [
        [q[0]!, q[1]!],
        [q[2]!, q[3]!],
        [q[4]!, q[5]!],
        [q[6]!, q[7]!],
      ],
      score: scores[i]!,
    };
    if (polygons && polygonOffsets) {
      const points: Point[] = [];
      for (let k = polygonOffsets[i]!; k < polygonOffsets[i + 1]!; k++) points.push([polygons[2 * k]!, polygons[2 * k + 1]!]);
      region.polygon = points;
    }
    regions.push(region);
  }
  return regions;
}

const abortError = () => new OcrError('ERR_OCR_ABORTED', 'the operation was aborted');
const disposedError = () => new OcrError('ERR_OCR_DISPOSED', 'the engine has been disposed');

/** An OCR engine: sessions loaded once, shared by every call. Create with createOcr(). */
export class OcrEngine {
  #native: NativeEngine | undefined;
  readonly #options: ResolvedOptions;
  readonly #queue: CallQueue;
  readonly #sourceHash: string;
  #disposing: Promise<void> | undefined;

  /** @internal use createOcr() */
  constructor(native: NativeEngine, options: ResolvedOptions, sourceHash: string) {
    this.#native = native;
    this.#options = options;
    this.#queue = new CallQueue(options.concurrency);
    this.#sourceHash = sourceHash;
  }

  /** Finds the text regions of an image. */
  async detect(input: ImageInput, options?: CallOptions): Promise<TextRegion[]> {
    return (await this.#detect(input, options, new Error())).regions;
  }

  /** Like detect(), with image and input sizes and per-stage timings. */
  async detectWithDetails(input: ImageInput, options?: CallOptions): Promise<DetectionDetails> {
    return this.#detect(input, options, new Error());
  }

  info(): EngineInfo {
    const native = this.#requireNative();
    return { ...native.info(), sourceHash: this.#sourceHash };
  }

  /** Rejects new calls and calls still queued, waits for running ones, frees native memory. */
  dispose(): Promise<void> {
    if (!this.#disposing) {
      this.#queue.rejectWaiting(disposedError);
      this.#disposing = this.#queue.idle().then(() => {
        this.#native?.dispose();
        this.#native = undefined;
      });
    }
    return this.#disposing;
  }

  #requireNative(): NativeEngine {
    if (this.#disposing || !this.#native) throw disposedError();
    return this.#native;
  }

  async #detect(input: ImageInput, options: CallOptions | undefined, callSite: Error): Promise<DetectionDetails> {
    const native = this.#requireNative();
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new OcrError('ERR_OCR_INVALID_OPTION', 'options.signal: expected an AbortSignal');
    }
    const params = toNativeParams(resolveDetectOptions(options, this.#options.detection, 'options', ['signal']));
    const nativeInput = toNativeInput(input);
    if (signal?.aborted) throw abortError();
    const addon = loadNative();
    const raw = await this.#queue.run(
      async () => {
        if (signal?.aborted) throw abortError();
        const handle = signal ? new addon.CancelHandle() : undefined;
        const onAbort = () => handle?.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return await native.detect(nativeInput, params, handle);
        } catch (error) {
          throw fromNative(error, callSite);
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      },
      signal,
      abortError,
    );
    return {
      regions: inflate(raw),
      width: raw.width,
      height: raw.height,
      inputWidth: raw.inputWidth,
      inputHeight: raw.inputHeight,
      timings: raw.timings,
    };
  }
}

/** Loads the models and resolves to an engine. Every option is validated; see the README for defaults. */
export async function createOcr(options?: OcrOptions): Promise<OcrEngine> {
  const callSite = new Error();
  const resolved = resolveOcrOptions(options);
  const addon = loadNative();
  const config = {
    runtimePath: resolved.runtimePath ?? defaultRuntimePath(),
    detector: { ...resolved.detector, modelPath: resolved.detector.modelPath ?? defaultModelPaths().detector },
    session: {
      intraOpThreads: resolved.intraOpThreads,
      allowSpinning: resolved.allowSpinning,
      allowCpuFallback: resolved.allowCpuFallback,
      providers: resolved.providers,
    },
  };
  try {
    return new OcrEngine(await addon.createEngine(config), resolved, addon.sourceHash);
  } catch (error) {
    throw fromNative(error, callSite);
  }
}
