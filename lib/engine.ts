import { fromNative, OcrError } from './errors.js';
import { toNativeInput, toNativeInputs, type ImageInput } from './input.js';
import { defaultModelPaths, defaultRuntimePath } from './models.js';
import {
  loadNative,
  type NativeCallParams,
  type NativeDetection,
  type NativeEngine,
  type NativeCharacters,
  type NativeEngineConfig,
  type NativeInput,
  type NativeOcrResult,
  type NativeOcrTimings,
  type NativeOcrWork,
} from './native.js';
import type { DictionarySpec } from './models/recognizer-definitions.js';
import { CallQueue } from './queue.js';
import { paddleXView, type PaddleXResult } from './paddlex.js';
import { cropWords, lineWords, type CropWord, type LineWord } from './words.js';
import {
  checkCallKeys,
  CROP_CALL_OPTIONS,
  DETECT_CALL_OPTIONS,
  resolveDetectOptions,
  type CallKind,
  resolveOcrOptions,
  toNativeParams,
  type DetectOptions,
  type OcrOptions,
  type ResolvedOptions,
} from './options.js';

export type Point = [number, number];

/** A detected text region, in the image's pixels as displayed (after EXIF orientation). */
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

/**
 * detect()'s options: the image and detection options (README's table). The others are refused
 * (ERR_OCR_INVALID_OPTION): detect() reads no text and reads the page as given.
 */
export type DetectCallOptions = Pick<CallOptions, (typeof DETECT_CALL_OPTIONS)[number] | 'signal'>;

/**
 * recognizeCrops()'s options: the image, text-line orientation and recognition options. The others are refused:
 * there is no detection, no page orientation and every crop is returned, whatever its score.
 */
export type CropOptions = Pick<CallOptions, (typeof CROP_CALL_OPTIONS)[number] | 'signal'>;

export interface RecognizeOptions extends CallOptions {
  /** Add per-stage timings to each result. Default false. */
  timings?: boolean;
}

/** A recognised line of text. */
export interface TextLine {
  text: string;
  /** Mean character probability. */
  score: number;
  /** Four corners clockwise from the top-left, in the image's pixels as displayed (after EXIF orientation). */
  box: [Point, Point, Point, Point];
  /** Detection score of the box. */
  boxScore: number;
  /** 0, or 180 when the text-line classifier turned the line. */
  angle: number;
  /** With the `characters` option: the line's characters in reading order. */
  characters?: TextCharacter[];
  /** With the `words` option: the line's words in reading order (PaddleOCR's return_word_box grouping). */
  words?: TextWord[];
}

/** One word of a line (the `words` option). */
export type TextWord = LineWord;

/** One recognised character (a dictionary entry; attention models may also emit token names such as '<UKN>'). */
export interface TextCharacter {
  text: string;
  /** Its probability. */
  score: number;
  /**
   * CTC recognisers: the part of the line's box its time steps cover (interpolated along the box's edges), four
   * corners in the line box's order. Words: join the boxes of the characters between spaces.
   */
  box?: [Point, Point, Point, Point];
}

/** The page's orientation, when a document orientation model read it. */
export interface PageOrientation {
  /** The page as given is the upright page turned this many degrees clockwise (0, 90, 180, 270); it was read upright. */
  angle: number;
  /** The classifier's probability for that angle. */
  score: number;
}

export type OcrTimings = NativeOcrTimings;
export type OcrWork = NativeOcrWork;

export interface OcrResult {
  /** Image size after EXIF orientation. */
  width: number;
  height: number;
  /** Lines in reading order (of the upright page), boxes in the image as given. */
  lines: TextLine[];
  /** Present when document orientation ran. */
  page?: PageOrientation;
  timings?: OcrTimings;
  /** With `timings`: what the call asked of the models (detector pixels, recognition crops and input columns). */
  work?: OcrWork;
}

/** A failed image of a batch: the others are unaffected. */
export interface OcrFailure {
  error: OcrError;
}

export interface RecognizedText {
  text: string;
  score: number;
  /** With the `characters` option. */
  characters?: Array<{
    text: string;
    score: number;
    /** CTC recognisers: [begin, end) along the crop's width, as fractions of it (0 = left edge, 1 = right edge). */
    span?: [number, number];
  }>;
  /** With the `words` option: the crop's words (their spans join their characters'). */
  words?: CropWord[];
  /** With textLineOrientation: 180 when the classifier turned the crop before reading it, else 0. */
  angle?: number;
}

export interface EngineInfo {
  /** Execution providers the sessions run on, in order, CPU last. */
  providers: string[];
  runtimeVersion: string;
  runtimePath: string;
  /** Patterns ocrkit rewrote in each model when loading it (graphRewrites option): hard-swish chains, scalar affine chains folded into convolutions or made depthwise 1x1 convolutions. */
  graphRewrites: { detector: number; recognizer: number };
  /** Recognition runs at once (recognitionParallelism, as decided at creation when it was not given). */
  recognitionParallelism: number;
  sourceHash: string;
  /** Whether ocrkit tuned glibc's malloc in this process (one arena; OCRKIT_MALLOC_TUNING=0 turns it off, =lean adds a 1 MB mmap threshold). */
  allocatorTuned: boolean;
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

function quad(q: Float32Array, i: number): [Point, Point, Point, Point] {
  const o = i * 8;
  return [
    [q[o]!, q[o + 1]!],
    [q[o + 2]!, q[o + 3]!],
    [q[o + 4]!, q[o + 5]!],
    [q[o + 6]!, q[o + 7]!],
  ];
}

/** Item i's characters from the flat native arrays, or undefined when none were asked for. */
function characters(raw: NativeCharacters, i: number): Array<{ text: string; score: number; k: number }> | undefined {
  const { charOffsets, charTexts, charScores } = raw;
  if (!charOffsets || !charTexts || !charScores) return undefined;
  const out = [];
  for (let k = charOffsets[i]!; k < charOffsets[i + 1]!; k++) out.push({ text: charTexts[k]!, score: charScores[k]!, k });
  return out;
}

/** What a call asked for beyond each line's text: its characters, its words (both need the native characters). */
interface LineDetail {
  characters: boolean;
  words: boolean;
}

function inflateOcr(raw: NativeOcrResult, withTimings: boolean, detail: LineDetail, callSite: Error): OcrResult | OcrFailure {
  if (raw.error) return { error: fromNative(raw.error, callSite) };
  const lines: TextLine[] = raw.texts.map((text, i) => {
    const line: TextLine = { text, score: raw.scores[i]!, box: quad(raw.quads, i), boxScore: raw.boxScores[i]!, angle: raw.angles[i]! };
    const chars = characters(raw, i);
    if (chars) {
      const withBoxes: TextCharacter[] = chars.map(({ text: t, score, k }) => (raw.charQuads ? { text: t, score, box: quad(raw.charQuads, k) } : { text: t, score }));
      if (detail.characters) line.characters = withBoxes;
      if (detail.words) line.words = lineWords(withBoxes, line.box, raw.rotated[i] === 1);
    }
    return line;
  });
  const result: OcrResult = { width: raw.width, height: raw.height, lines };
  if (raw.page) result.page = raw.page;
  if (withTimings) {
    result.timings = raw.timings;
    result.work = raw.work;
  }
  return result;
}

/** A call's options as resolved once at its start (over the engine's defaults). */
interface ResolvedCall {
  params: NativeCallParams;
  signal: AbortSignal | undefined;
  detail: LineDetail;
  /** Per-stage timings and work asked for (recognize calls). */
  timings: boolean;
}

/** An input of recognizeBatch/recognizeStream as the addon reads it (copied now), or its own slot's failure. */
function slot(input: unknown, maxPixels: number): NativeInput | OcrFailure {
  try {
    return toNativeInput(input, maxPixels);
  } catch (error) {
    // An unusable input fails its own slot, like an undecodable image.
    return { error: error instanceof OcrError ? error : new OcrError('ERR_OCR_INTERNAL', String(error), { cause: error }) };
  }
}

const abortError = (reason?: unknown) =>
  new OcrError('ERR_OCR_ABORTED', 'the operation was aborted', reason === undefined ? undefined : { cause: reason });

/**
 * The next native call of recognizeBatch/recognizeStream: up to `batchChunkSize` inputs, and fewer once their copied
 * bytes pass CHUNK_BYTES (at least one input): copies are made on the JS thread when an input is taken, so a chunk of
 * 1024 raw 9 MB images would otherwise block the event loop for seconds and hold 9 GB before any work started.
 * Exported for its test only (not from the package index).
 */
export class Chunk {
  static readonly CHUNK_BYTES = 256 * 2 ** 20;
  #slots: Array<NativeInput | OcrFailure> = [];
  #bytes = 0;

  constructor(private readonly size: number) {}

  add(slot: NativeInput | OcrFailure): void {
    this.#slots.push(slot);
    if ('data' in slot) this.#bytes += slot.data.byteLength;
  }

  get full(): boolean {
    return this.#slots.length >= this.size || this.#bytes >= Chunk.CHUNK_BYTES;
  }

  get empty(): boolean {
    return this.#slots.length === 0;
  }

  take(): Array<NativeInput | OcrFailure> {
    const slots = this.#slots;
    this.#slots = [];
    this.#bytes = 0;
    return slots;
  }
}
const disposedError = () => new OcrError('ERR_OCR_DISPOSED', 'the engine has been disposed');

/** An OCR engine: sessions loaded once, shared by every call. Create with createOcr(). */
export class OcrEngine {
  #native: NativeEngine | undefined;
  readonly #options: ResolvedOptions;
  readonly #queue: CallQueue;
  readonly #sourceHash: string;
  #disposing: Promise<void> | undefined;

  /** @internal use createOcr() */
  readonly #allocatorTuned: boolean;

  constructor(native: NativeEngine, options: ResolvedOptions, sourceHash: string, allocatorTuned: boolean) {
    this.#native = native;
    this.#options = options;
    this.#queue = new CallQueue(options.concurrency);
    this.#sourceHash = sourceHash;
    this.#allocatorTuned = allocatorTuned;
  }

  /** Finds the text regions of an image. */
  async detect(input: ImageInput, options?: DetectCallOptions): Promise<TextRegion[]> {
    return (await this.#detect(input, options, new Error())).regions;
  }

  /** Like detect(), with image and input sizes and per-stage timings. */
  async detectWithDetails(input: ImageInput, options?: DetectCallOptions): Promise<DetectionDetails> {
    return this.#detect(input, options, new Error());
  }

  /** Reads the text of an image: lines with text, score, box and box score, in reading order. */
  async recognize(input: ImageInput, options?: RecognizeOptions): Promise<OcrResult> {
    const callSite = new Error();
    const call = this.#openCall(options);
    const [result] = await this.#recognizeChunk([toNativeInput(input, call.params.maxPixels)], call, callSite);
    if (!result || 'error' in result) throw result?.error ?? new OcrError('ERR_OCR_INTERNAL', 'no result');
    return result;
  }

  /**
   * Reads many images, pooling their text lines into shared recognition batches. Works in chunks of
   * `batchChunkSize` images, so a long list never holds more decoded images than that. A failed image
   * gives `{error}` in its slot; the others are unaffected.
   */
  async recognizeBatch(inputs: readonly ImageInput[], options?: RecognizeOptions): Promise<Array<OcrResult | OcrFailure>> {
    const callSite = new Error();
    if (!Array.isArray(inputs)) throw new OcrError('ERR_OCR_INVALID_OPTION', 'inputs: expected an array of images');
    const call = this.#openCall(options);  // an empty list too: a typo or a disposed engine is said, not passed over
    const results: Array<OcrResult | OcrFailure> = [];
    const chunk = new Chunk(this.#options.batchChunkSize);
    for (let i = 0; i < inputs.length; i++) {
      chunk.add(slot(inputs[i], call.params.maxPixels));
      if (chunk.full) results.push(...(await this.#recognizeSlots(chunk.take(), call, callSite)));
    }
    if (!chunk.empty) results.push(...(await this.#recognizeSlots(chunk.take(), call, callSite)));
    return results;
  }

  /**
   * Reads a stream of images (any iterable or async iterable), yielding results in input order. Pulls at most
   * `batchChunkSize` inputs ahead of the consumer (back-pressure).
   */
  async *recognizeStream(
    inputs: Iterable<ImageInput> | AsyncIterable<ImageInput>,
    options?: RecognizeOptions,
  ): AsyncGenerator<OcrResult | OcrFailure> {
    const callSite = new Error();
    const iterable = inputs as Partial<Iterable<ImageInput> & AsyncIterable<ImageInput>> | null | undefined;
    if (typeof iterable?.[Symbol.iterator] !== 'function' && typeof iterable?.[Symbol.asyncIterator] !== 'function') {
      throw new OcrError('ERR_OCR_INVALID_OPTION', 'inputs: expected an iterable or async iterable of images');
    }
    // The options as they are now hold for the whole stream.
    const call = this.#openCall(options);
    const chunk = new Chunk(this.#options.batchChunkSize);
    for await (const input of inputs) {
      chunk.add(slot(input, call.params.maxPixels));
      if (chunk.full) yield* await this.#recognizeSlots(chunk.take(), call, callSite);
    }
    if (!chunk.empty) yield* await this.#recognizeSlots(chunk.take(), call, callSite);
  }

  /** A recognize call's options, resolved once, after checking that the engine is open; before any input is taken. */
  #openCall(options: RecognizeOptions | undefined): ResolvedCall {
    this.#requireNative();
    return this.#params(options, 'recognize');
  }

  /** Reads a chunk's usable inputs in one native call; the failed slots keep their place. */
  async #recognizeSlots(
    slots: Array<NativeInput | OcrFailure>,
    call: ResolvedCall,
    callSite: Error,
  ): Promise<Array<OcrResult | OcrFailure>> {
    const usable = slots.filter((s): s is NativeInput => !('error' in s));
    const read = usable.length > 0 ? await this.#recognizeChunk(usable, call, callSite) : [];
    let next = 0;
    return slots.map((s) => ('error' in s ? s : read[next++]!));
  }

  /** Recognition alone, on images that each hold one pre-cut word or line. */
  async recognizeCrops(inputs: readonly ImageInput[], options?: CropOptions): Promise<RecognizedText[]> {
    return (await this.#recognizeCrops(inputs, options, new Error())).texts;
  }

  /** Like recognizeCrops(), with the call's timings (recognition preprocessing, inference and decoding) and work. */
  async recognizeCropsWithDetails(
    inputs: readonly ImageInput[],
    options?: CropOptions,
  ): Promise<{ texts: RecognizedText[]; timings: OcrTimings; work: OcrWork }> {
    return this.#recognizeCrops(inputs, options, new Error());
  }

  async #recognizeCrops(
    inputs: readonly ImageInput[],
    options: CropOptions | undefined,
    callSite: Error,
  ): Promise<{ texts: RecognizedText[]; timings: OcrTimings; work: OcrWork }> {
    if (!Array.isArray(inputs)) throw new OcrError('ERR_OCR_INVALID_OPTION', 'inputs: expected an array of images');
    const native = this.#requireNative();
    const { params, signal, detail } = this.#params(options, 'recognizeCrops');
    const nativeInputs = toNativeInputs(inputs, params.maxPixels);
    const raw = await this.#run(signal, callSite, (handle) => native.recognizeCrops(nativeInputs, params, handle));
    const texts = raw.texts.map((text, i) => {
      const out: RecognizedText = { text, score: raw.scores[i]! };
      if (raw.angles) out.angle = raw.angles[i]!;
      const chars = characters(raw, i);
      if (chars) {
        const spans = raw.charSpans;
        const withSpans = chars.map(({ text: t, score, k }): { text: string; score: number; span?: [number, number] } =>
          spans ? { text: t, score, span: [spans[2 * k]!, spans[2 * k + 1]!] } : { text: t, score });
        if (detail.characters) out.characters = withSpans;
        if (detail.words) out.words = cropWords(withSpans);
      }
      return out;
    });
    return { texts, timings: raw.timings, work: raw.work };
  }

  async #recognizeChunk(inputs: NativeInput[], call: ResolvedCall, callSite: Error): Promise<Array<OcrResult | OcrFailure>> {
    const native = this.#requireNative();
    const { params, signal, detail, timings } = call;
    const raw = await this.#run(signal, callSite, (handle) => native.recognize(inputs, params, handle));
    return raw.map((r) => inflateOcr(r, timings, detail, callSite));
  }

  #params(options: RecognizeOptions | DetectCallOptions | CropOptions | undefined, kind: CallKind): ResolvedCall {
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new OcrError('ERR_OCR_INVALID_OPTION', 'options.signal: expected an AbortSignal');
    }
    const timings = (options as RecognizeOptions | undefined)?.timings;
    if (kind === 'recognize' && timings !== undefined && typeof timings !== 'boolean') {
      throw new OcrError('ERR_OCR_INVALID_OPTION', 'options.timings: expected a boolean');
    }
    const extraKeys = kind === 'recognize' ? ['signal', 'timings'] : ['signal'];
    checkCallKeys(options, kind, 'options', extraKeys);
    const resolved = resolveDetectOptions(options, this.#options.detection, 'options', extraKeys);
    if (!this.#options.documentOrientation) {
      if ((options as RecognizeOptions | undefined)?.documentOrientation === true) {
        throw new OcrError('ERR_OCR_INVALID_OPTION', 'options.documentOrientation: the engine has no document orientation model (createOcr documentOrientation.modelPath)');
      }
      resolved.documentOrientation = false;
    }
    return {
      params: toNativeParams(resolved),
      signal,
      detail: { characters: resolved.characters, words: resolved.words },
      timings: timings === true,
    };
  }

  /** Runs a native call in a queue slot, wiring the AbortSignal to a native cancel handle. */
  async #run<T>(
    signal: AbortSignal | undefined,
    callSite: Error,
    call: (handle: import('./native.js').NativeCancelHandle | undefined) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) throw abortError(signal.reason);
    const addon = loadNative();
    return this.#queue.run(
      async () => {
        if (signal?.aborted) throw abortError(signal.reason);
        const handle = signal ? new addon.CancelHandle() : undefined;
        const onAbort = () => handle?.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return await call(handle);
        } catch (error) {
          const e = fromNative(error, callSite);
          // The signal's reason as the cause, as Node's own aborted operations give it (a timeout tells itself apart).
          throw e.code === 'ERR_OCR_ABORTED' && signal?.aborted ? abortError(signal.reason) : e;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      },
      signal,
      () => abortError(signal?.reason),
    );
  }

  /**
   * The PaddleX-shaped view of a result of this engine (see toPaddleX): its settings are this engine's defaults
   * with `options`, the options of the call that gave the result, over them.
   */
  toPaddleX(result: OcrResult, options?: RecognizeOptions): PaddleXResult {
    return paddleXView(result, options, this.#options.detection);
  }

  info(): EngineInfo {
    const native = this.#requireNative();
    return { ...native.info(), sourceHash: this.#sourceHash, allocatorTuned: this.#allocatorTuned };
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

  async #detect(input: ImageInput, options: DetectCallOptions | undefined, callSite: Error): Promise<DetectionDetails> {
    const native = this.#requireNative();
    const { params, signal } = this.#params(options, 'detect');
    const nativeInput = toNativeInput(input, params.maxPixels);
    const raw = await this.#run(signal, callSite, (handle) => native.detect(nativeInput, params, handle));
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

/** Where the native side reads the characters: ppocr_keys_v1 is the shipped file; no dictionary: the model's metadata. */
function nativeDictionary(spec: DictionarySpec | undefined, shipped: string): NativeEngineConfig['recognizer']['dictionary'] {
  if (spec === undefined) return { kind: 'metadata', value: 'character' };
  if ('file' in spec) return { kind: 'file', value: spec.file };
  if ('metadata' in spec) return { kind: 'metadata', value: spec.metadata };
  if ('characters' in spec) return { kind: 'text', value: spec.characters.join('\n') };
  return spec.builtin === 'ppocr_keys_v1' ? { kind: 'file', value: shipped } : { kind: 'builtin', value: spec.builtin };
}

/** Loads the models and resolves to an engine. Every option is validated; see the README for defaults. */
export async function createOcr(options?: OcrOptions): Promise<OcrEngine> {
  const callSite = new Error();
  const resolved = resolveOcrOptions(options);
  const addon = loadNative();
  const defaults = defaultModelPaths();
  const config = {
    runtimePath: resolved.runtimePath ?? defaultRuntimePath(),
    detector: { ...resolved.detector, modelPath: resolved.detector.modelPath ?? defaults.detector },
    recognizer: {
      modelPath: resolved.recognizer.modelPath ?? defaults.recognizer,
      definition: resolved.recognizer.definition,
      dictionary: {
        ...nativeDictionary(resolved.recognizer.dictionary, defaults.dictionary),
        // A model carrying its own dictionary knows it best, unless the caller named one.
        ...(resolved.recognizer.dictionaryGiven ? {} : { preferMetadata: 'character' }),
      },
      useSpaceChar: resolved.recognizer.useSpaceChar,
    },
    classifier: {
      ...resolved.classifier,
      modelPath: resolved.classifier.modelPath ?? defaults.classifier,
      // Loaded with the engine when its calls turn it on by default; otherwise the first call that asks for it
      // loads it (~20 ms), so an engine that never reads upside-down lines starts without it.
      loadAtCreate: resolved.detection.textLineOrientation,
    },
    ...(resolved.documentOrientation ? { documentOrientation: resolved.documentOrientation } : {}),
    recognitionParallelism: resolved.recognitionParallelism,
    session: {
      intraOpThreads: resolved.intraOpThreads,
      allowSpinning: resolved.allowSpinning,
      graphRewrites: resolved.graphRewrites,
      allowCpuFallback: resolved.allowCpuFallback,
      memoryArena: resolved.memoryArena,
      providers: resolved.providers,
    },
  };
  try {
    return new OcrEngine(await addon.createEngine(config), resolved, addon.sourceHash, addon.allocatorTuned === true);
  } catch (error) {
    throw fromNative(error, callSite);
  }
}
