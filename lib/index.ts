export { createOcr, OcrEngine } from './engine.js';
export type {
  TextRegion,
  Point,
  DetectionDetails,
  StageTimings,
  CallOptions,
  CropOptions,
  DetectCallOptions,
  EngineInfo,
  RecognizeOptions,
  TextLine,
  TextCharacter,
  TextWord,
  PageOrientation,
  OcrResult,
  OcrFailure,
  OcrTimings,
  OcrWork,
  RecognizedText,
} from './engine.js';
export type { CropWord } from './words.js';
export { groupWords } from './words.js';
export { toPaddleX } from './paddlex.js';
export type { PaddleXResult } from './paddlex.js';
export { OcrError, ERROR_CODES } from './errors.js';
export type { OcrErrorCode } from './errors.js';
export type { ImageInput, RawImage } from './input.js';
export type {
  OcrOptions,
  DetectOptions,
  DetectorModelOptions,
  RecognizerModelOptions,
  ClassifierModelOptions,
  DocumentOrientationOptions,
  ProviderName,
  ProviderOptions,
  Preset,
} from './options.js';
export { DEFAULT_DETECT_OPTIONS, PRESETS } from './options.js';
export * from './models/detector-definitions.js';
export * from './models/recognizer-definitions.js';
export { readPaddleXRecConfig, paddleXRecDefinition, paddleXDetDefinition } from './models/paddlex-config.js';
export { parseYamlSubset } from './models/yaml.js';
export type { PaddleXRecConfig } from './models/paddlex-config.js';
export { nativeSourceHash, treeSourceHash } from './source-hash.js';
export * from './eval/index.js';
export * from './folder.js';
export * from './visualize.js';
