import { createRequire } from 'node:module';
import path from 'node:path';
import { OcrError } from './errors.js';
import type { DetectorDefinition } from './models/detector-definitions.js';
import type { RecognizerDefinition } from './models/recognizer-definitions.js';

/** What the compiled addon exports (binding/addon.cc). */
export interface NativeEngine {
  detect(input: NativeInput, params: NativeCallParams, cancel: NativeCancelHandle | undefined): Promise<NativeDetection>;
  recognize(inputs: NativeInput[], params: NativeCallParams, cancel: NativeCancelHandle | undefined): Promise<NativeOcrResult[]>;
  recognizeCrops(
    inputs: NativeInput[],
    params: NativeCallParams,
    cancel: NativeCancelHandle | undefined,
  ): Promise<{ texts: string[]; scores: Float32Array; angles?: Int32Array; timings: NativeOcrTimings; work: NativeOcrWork } & NativeCharacters>;
  info(): {
    providers: string[];
    runtimeVersion: string;
    runtimePath: string;
    graphRewrites: { detector: number; recognizer: number };
    recognitionParallelism: number;
  };
  dispose(): void;
}

export interface NativeCancelHandle {
  cancel(): void;
}

export interface NativeAddon {
  createEngine(config: NativeEngineConfig): Promise<NativeEngine>;
  CancelHandle: new () => NativeCancelHandle;
  visualize(input: NativeInput, lines: NativeVisLines, options: NativeVisualizeOptions): Promise<Buffer>;
  sourceHash: string;
  errorCodes: string[];
  allocatorTuned: boolean;
}

/** Lines to draw, flat: polygon i is points[2 * offsets[i] .. 2 * offsets[i + 1]) as x, y pairs. */
export interface NativeVisLines {
  points: Float32Array;
  offsets: Uint32Array;
  texts: string[];
}

export interface NativeVisualizeOptions {
  fontPaths: string[];
  format: 'png' | 'jpg';
  applyExifOrientation: boolean;
  maxPixels: number;
}

export type NativeInput =
  | { kind: 'path'; path: string }
  | { kind: 'encoded'; data: Uint8Array }
  | {
      kind: 'pixels';
      data: Uint8Array;
      width: number;
      height: number;
      channels: number;
      stride: number;
      colorOrder: 'rgb' | 'bgr';
    };

export interface NativeEngineConfig {
  runtimePath: string;
  detector: { modelPath: string; definition: DetectorDefinition };
  recognizer: {
    modelPath: string;
    definition: RecognizerDefinition;
    dictionary: { kind: 'file' | 'builtin' | 'metadata' | 'text'; value: string; preferMetadata?: string };
    useSpaceChar: boolean;
  };
  classifier: {
    modelPath: string;
    resize: 'pad' | 'stretch';
    size: [number, number];
    colorOrder: 'bgr' | 'rgb';
    mean: [number, number, number];
    std: [number, number, number];
    scale: number;
    labels: [number, number];
    loadAtCreate: boolean;
  };
  documentOrientation?: {
    modelPath: string;
    labels: number[];
    resize: 'short-then-crop' | 'stretch';
    resizeShort: number;
    size: [number, number];
    colorOrder: 'bgr' | 'rgb';
    mean: [number, number, number];
    std: [number, number, number];
    scale: number;
    values: 'probabilities' | 'logits';
  };
  recognitionParallelism: number;
  session: {
    intraOpThreads: number;
    allowSpinning: boolean;
    graphRewrites: boolean;
    allowCpuFallback: boolean;
    memoryArena: boolean;
    providers: Array<{ name: string; options: Record<string, string> }>;
  };
}

export interface NativeCallParams {
  limitSideLength: number;
  limitType: 'max' | 'min';
  maxSideLength: number;
  threshold: number;
  boxThreshold: number;
  unclipRatio: number;
  boxEndPadding: number;
  mergeGap: number;
  spaceThreshold: number;
  maxCandidates: number;
  minSize: number;
  useDilation: boolean;
  scoreMode: 'fast' | 'slow';
  boxType: 'quad' | 'polygon';
  applyExifOrientation: boolean;
  maxPixels: number;
  textLineOrientation: boolean;
  textLineOrientationThreshold: number;
  documentOrientation: boolean;
  documentOrientationThreshold: number;
  characters: boolean;
  classifierBatchSize: number;
  recognitionBatchSize: number;
  textLineOrientationMode: 'paddle' | 'windows';
  recognitionMaxRunWidth: number;
  maskPadding: boolean;
  textScoreThreshold: number;
  rowTolerance: number;
}

export interface NativeOcrTimings {
  decodeMs: number;
  detectionPreprocessMs: number;
  detectionInferenceMs: number;
  detectionPostprocessMs: number;
  cropMs: number;
  pageClassifierMs: number;
  classifierMs: number;
  /** Summed over the threads that run recognition (recognitionParallelism). */
  recognitionPreprocessMs: number;
  /** Wall time during which at least one recognition run was in progress. */
  recognitionInferenceMs: number;
  /** Summed over the threads that run recognition (recognitionParallelism). */
  recognitionDecodeMs: number;
}

/**
 * What a call asked of the models (exact; an image's own also when recognizeBatch pooled its crops with others'):
 * to compare settings and systems by the work done rather than by time alone.
 */
export interface NativeOcrWork {
  /** Detector input pixels (width x height after resizing; 0 for recognizeCrops). */
  detectionPixels: number;
  /** Crops read by the recogniser, before the text score threshold drops any line. */
  recognitionCrops: number;
  /** Recognition input columns those crops occupied: each crop its batch's padded width. */
  recognitionColumns: number;
  /** Of those, the columns the crops' resized text filled (the rest is padding). */
  recognitionTextColumns: number;
}

/** Per-character results, flat (with the `characters` option): item i's are [charOffsets[i], charOffsets[i + 1]). */
export interface NativeCharacters {
  charOffsets?: Uint32Array;
  charTexts?: string[];
  charScores?: Float32Array;
  /** 8 per character (full pipeline, CTC). */
  charQuads?: Float32Array;
  /** 2 per character, fractions of the crop width (recognizeCrops, CTC). */
  charSpans?: Float32Array;
}

export type NativeOcrResult =
  | { error: { code: string; message: string } }
  | ({
      error?: undefined;
      width: number;
      height: number;
      quads: Float32Array;
      boxScores: Float32Array;
      texts: string[];
      scores: Float32Array;
      angles: Int32Array;
      /** 1 where the line's crop was turned 90 degrees (a tall box): its characters run from corner 0 towards 3. */
      rotated: Uint8Array;
      page?: { angle: number; score: number };
      timings: NativeOcrTimings;
      work: NativeOcrWork;
    } & NativeCharacters);

export interface NativeDetection {
  quads: Float32Array;
  scores: Float32Array;
  polygons?: Float32Array;
  polygonOffsets?: Uint32Array;
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
  timings: { decodeMs: number; preprocessMs: number; inferenceMs: number; postprocessMs: number };
}

/** Platforms a prebuilt binary ships for. */
export const PREBUILT_PLATFORMS = ['linux-x64'];

/** The package root (where package.json, prebuilds/ and build/ live). */
export const packageRoot = path.resolve(__dirname, '..');

let addon: NativeAddon | undefined;

/**
 * ONNX Runtime's Linux builds (1.2x and later) start a usage-telemetry client when a process creates its
 * environment: a SQLite event store under ~/.cache/Microsoft/DeveloperTools/.onnxruntime (fsync'd at every start),
 * an empty /tmp/mat-debug-<pid>.log left behind by every process, and 20-25 ms of a start. An OCR library should
 * not do that on its users' behalf: unless the environment already says otherwise (any value of
 * ORT_DISABLE_TELEMETRY, which ONNX Runtime reads when the environment is created, is left as it is), ocrkit turns
 * it off for its process before it loads the runtime. Set here, on the JS thread that loads the addon, before any
 * runtime thread exists; child processes inherit it, as they would if the user had set it. In a worker thread
 * started without SHARE_ENV, process.env is the worker's copy and ONNX Runtime does not see this (README,
 * Telemetry): setting the process's environment from native code there would race the main thread's reads of it.
 */
function optOutOfRuntimeTelemetry(): void {
  if (process.env['ORT_DISABLE_TELEMETRY'] === undefined) process.env['ORT_DISABLE_TELEMETRY'] = '1';
}

/** Loads the addon once; an unsupported platform fails at once with a clear error. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  optOutOfRuntimeTelemetry();
  // node-gyp-build honours these variables when choosing a binary; so do our messages.
  const platform = `${process.env['npm_config_platform'] ?? process.platform}-${process.env['npm_config_arch'] ?? process.arch}`;
  try {
    const localRequire = createRequire(__filename);
    const nodeGypBuild = localRequire('node-gyp-build') as (dir: string) => NativeAddon;
    addon = nodeGypBuild(packageRoot);
    return addon;
  } catch (error) {
    const known = PREBUILT_PLATFORMS.includes(platform);
    const reason = error instanceof Error ? error.message : String(error);
    throw new OcrError(
      'ERR_OCR_BINARY_LOAD',
      known
        ? `could not load ocrkit's native binary for ${platform}: ${reason}`
        : `ocrkit has no prebuilt binary for ${platform} (prebuilt: ${PREBUILT_PLATFORMS.join(', ')}). ` +
            'Build it from source: see "Building from source" in the README ' +
            '(bash scripts/build-deps.sh && npm run build:native).',
      { cause: error },
    );
  }
}
