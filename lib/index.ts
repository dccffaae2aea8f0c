export { createOcr, OcrEngine } from './engine.js';
export type { TextRegion, Point, DetectionDetails, StageTimings, CallOptions, EngineInfo } from './engine.js';
export { OcrError, ERROR_CODES } from './errors.js';
export type { OcrErrorCode } from './errors.js';
export type { ImageInput, RawImage } from './input.js';
export type { OcrOptions, DetectOptions, DetectorModelOptions, ProviderName, ProviderOptions } from './options.js';
export { DEFAULT_DETECT_OPTIONS } from './options.js';
export { nativeSourceHash, treeSourceHash } from './source-hash.js';
