// Evaluation metrics compatible with MindOCR, PaddleOCR and MMOCR (pure TypeScript).
export { polygonArea, polygonIntersectionArea, polygonIou, isConvexPolygon, isSimplePolygon } from './polygon.js';
export type { Polygon } from './polygon.js';
export {
  evaluateDetection,
  evaluateDetectionImage,
  isIgnoredRegion,
  hmean,
  DEFAULT_SCORE_THRESHOLDS,
} from './detection.js';
export type {
  GroundTruthRegion,
  PredictedRegion,
  DetectionSample,
  DetectionOptions,
  PrecisionRecall,
  DetectionPair,
  DetectionImageResult,
  DetectionResult,
  ScoreThresholdResult,
} from './detection.js';
export {
  evaluateRecognition,
  editDistance,
  normalizedEditDistance,
  matchingCharacters,
  normalizeIgnoreCaseSymbol,
  MMOCR_SYMBOL_PATTERN,
} from './recognition.js';
export type { RecognitionSample, RecognitionResult } from './recognition.js';
export { evaluateEndToEnd, evaluateBagOfWords, normalizeText, wordsOf } from './endtoend.js';
export type {
  TextMatchRule,
  EndToEndOptions,
  EndToEndImageResult,
  EndToEndResult,
  TextSample,
  BagOfWordsResult,
} from './endtoend.js';
export {
  parseDetectionLabels,
  parseIcdarGroundTruth,
  parseRecognitionLabels,
  parseRecognitionResults,
  parseDetectionResults,
  parseSystemResults,
  imageKey,
  imagePathKey,
  imageFileKey,
  icdarGroundTruthKey,
} from './labels.js';
export type { ImageRegions, ImageText } from './labels.js';
