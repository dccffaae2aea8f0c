// ICDAR2015 hmean-iou (the "DetectionIoUEvaluator" rule).
// Matches PaddleOCR ppocr/metrics/eval_det_iou.py (from MhLiao/DB's icdar2015_eval, 2020) as used by PaddleOCR's
// DetMetric (and MindOCR's early versions, which copied it), and MMOCR 1.x HmeanIOUMetric with its default
// strategy='vanilla' (mmocr/evaluation/metrics/hmean_iou_metric.py, 2023), except as listed below:
//   1. ground truths with ignore=true (or text '###') are "don't care"; polygons that are not simple are skipped;
//   2. a prediction whose intersection with any don't-care ground truth, divided by the prediction's own area, is
//      > ignorePrecisionThreshold (0.5) is discarded before matching (neither a hit nor a false positive);
//   3. greedy one-to-one matching in order: for each care ground truth (input order), the first still-unmatched kept
//      prediction (input order) with IoU > iouThreshold (0.5, strict) is its match. One prediction covering two ground
//      truths therefore matches only the first of them. (MMOCR's optional 'max_matching' is not implemented.)
//   4. precision = matched / kept predictions, recall = matched / care ground truths, hmean = 2PR / (P + R).
// Zero-denominator conventions: per image as PaddleOCR evaluate_image and MMOCR compute_hmean (no care ground truth:
// recall 1, precision 1 if no kept prediction else 0); accumulated over images as PaddleOCR combine_results (a zero
// denominator gives 0; hmean 0 when P + R = 0). MMOCR applies the per-image rule to the whole data set instead, which
// differs only when the data set has no care ground truth at all.
// Other differences from MMOCR (checked against an emulation in the seventeenth session's audit): MMOCR repairs a
// polygon that is not simple (buffer(0), else its convex hull) where this skips it as PaddleOCR does; MMOCR adds 1e-5
// to a prediction's area in the don't-care test (a prediction of near-zero area inside '###' is a false positive
// there, discarded here); MMOCR's score thresholds come from np.arange (0.7000000000000002, ...), which under NumPy 2
// leaves a float32 score of exactly 0.7 below its 0.7 threshold. Current MindOCR (mindocr/metrics/det_metrics.py)
// matches prediction by prediction without marking a ground truth as taken, so two predictions on one ground truth
// are both hits there; here, as in PaddleOCR and MMOCR, the second is a false positive.
// Polygons are in float64 as given; coordinates near 1e7 and beyond lose precision in the area formulas (the
// audit measured IoU off by 1.7e-5 at 1e6, 6.5e-3 at 1e7).
import { OcrError } from '../errors.js';
import { isSimplePolygon, polygonArea, polygonIntersectionArea, polygonIou, type Polygon } from './polygon.js';

/** A ground-truth text region. `ignore` (or the text '###') marks a don't-care region. */
export interface GroundTruthRegion {
  points: Polygon;
  text?: string;
  ignore?: boolean;
}

/** A predicted text region; `score` is the box score, `text` the recognized text (end-to-end only). */
export interface PredictedRegion {
  points: Polygon;
  score?: number;
  text?: string;
}

/** One image: its ground truth and its predictions. */
export interface DetectionSample {
  groundTruth: readonly GroundTruthRegion[];
  predictions: readonly PredictedRegion[];
}

export interface DetectionOptions {
  /** A prediction and a ground truth match when IoU > this. Default 0.5. */
  iouThreshold?: number;
  /** Discard a prediction when intersection(prediction, ignored gt) / area(prediction) > this. Default 0.5. */
  ignorePrecisionThreshold?: number;
  /** Drop predictions whose score is below this before evaluating (predictions without a score are kept). */
  scoreThreshold?: number;
  /**
   * Box-score thresholds for the best-hmean search (MMOCR: 0.3, 0.4, ..., 0.9; a prediction with score < threshold is
   * dropped). Used only when every prediction has a score; `false` turns the search off.
   */
  scoreThresholds?: readonly number[] | false;
}

/** Precision, recall and their harmonic mean. */
export interface PrecisionRecall {
  precision: number;
  recall: number;
  hmean: number;
}

export interface DetectionPair {
  /** Index into the sample's groundTruth. */
  groundTruth: number;
  /** Index into the sample's predictions. */
  prediction: number;
  iou: number;
}

export interface DetectionImageResult extends PrecisionRecall {
  /** Care ground truths (not ignored, simple polygon). */
  groundTruths: number;
  /** Kept predictions (simple polygon, score not under scoreThreshold, not discarded by an ignored region). */
  predictions: number;
  matched: number;
  pairs: DetectionPair[];
  /** Indices of the care ground truths and kept predictions. */
  careGroundTruths: number[];
  keptPredictions: number[];
  /** Predictions discarded because they lie mostly inside an ignored ground truth. */
  discardedPredictions: number[];
  /** Polygons skipped because they are not simple (fewer than 3 points, no area, or self-intersecting). */
  invalidGroundTruths: number[];
  invalidPredictions: number[];
}

export interface ScoreThresholdResult extends PrecisionRecall {
  threshold: number;
  groundTruths: number;
  predictions: number;
  matched: number;
}

export interface DetectionResult extends PrecisionRecall {
  images: number;
  groundTruths: number;
  predictions: number;
  matched: number;
  perImage: DetectionImageResult[];
  /** Present when every prediction has a score and the search is on. */
  scoreThresholds?: ScoreThresholdResult[];
  /** The threshold with the highest hmean (the lowest such threshold on ties, as MMOCR). */
  best?: ScoreThresholdResult;
}

/** MMOCR's default pred_score_thrs (np.arange(0.3, 0.9, 0.1) yields 0.3 ... 0.9, seven values). */
export const DEFAULT_SCORE_THRESHOLDS: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Harmonic mean of precision and recall; 0 when both are 0. */
export function hmean(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** True for a ground truth that does not count: `ignore: true` or the text '###'. */
export function isIgnoredRegion(region: GroundTruthRegion): boolean {
  return region.ignore === true || region.text === '###';
}

interface ResolvedOptions {
  iouThreshold: number;
  ignorePrecisionThreshold: number;
  scoreThreshold: number | undefined;
  scoreThresholds: readonly number[] | false;
}

function checkFraction(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new OcrError('ERR_OCR_INVALID_OPTION', `options.${name}: expected a number in [0, 1], received ${String(value)}`);
  }
  return value;
}

function resolveOptions(options: DetectionOptions): ResolvedOptions {
  const thresholds = options.scoreThresholds ?? DEFAULT_SCORE_THRESHOLDS;
  if (thresholds !== false && !Array.isArray(thresholds)) {
    throw new OcrError('ERR_OCR_INVALID_OPTION', `options.scoreThresholds: expected an array of numbers in [0, 1] or false, received ${String(thresholds)}`);
  }
  if (thresholds !== false) thresholds.forEach((t, i) => checkFraction(t, `scoreThresholds[${i}]`, 0));
  return {
    iouThreshold: checkFraction(options.iouThreshold, 'iouThreshold', 0.5),
    ignorePrecisionThreshold: checkFraction(options.ignorePrecisionThreshold, 'ignorePrecisionThreshold', 0.5),
    scoreThreshold: options.scoreThreshold === undefined ? undefined : checkFraction(options.scoreThreshold, 'scoreThreshold', 0),
    scoreThresholds: thresholds,
  };
}

/** Per-image scores with the PaddleOCR/MMOCR per-image convention for empty ground truth. */
export function imageScores(matched: number, groundTruths: number, predictions: number): PrecisionRecall {
  let precision: number;
  let recall: number;
  if (groundTruths === 0) {
    recall = 1;
    precision = predictions > 0 ? 0 : 1;
  } else {
    recall = matched / groundTruths;
    precision = predictions === 0 ? 0 : matched / predictions;
  }
  return { precision, recall, hmean: hmean(precision, recall) };
}

/** Accumulated scores with PaddleOCR's combine_results convention (a zero denominator gives 0). */
export function datasetScores(matched: number, groundTruths: number, predictions: number): PrecisionRecall {
  const recall = groundTruths === 0 ? 0 : matched / groundTruths;
  const precision = predictions === 0 ? 0 : matched / predictions;
  return { precision, recall, hmean: hmean(precision, recall) };
}

/** Care ground truths, kept predictions and their IoU matrix for one image: everything before matching. */
export interface PreparedImage {
  careGroundTruths: number[];
  keptPredictions: number[];
  discardedPredictions: number[];
  invalidGroundTruths: number[];
  invalidPredictions: number[];
  /** iou[g][p] for care ground truth g and kept prediction p (positions in the two lists above). */
  iou: number[][];
}

export function prepareImage(sample: DetectionSample, options: DetectionOptions = {}): PreparedImage {
  const o = resolveOptions(options);
  const invalidGroundTruths: number[] = [];
  const careGroundTruths: number[] = [];
  const ignored: number[] = [];
  sample.groundTruth.forEach((g, i) => {
    if (!isSimplePolygon(g.points)) invalidGroundTruths.push(i);
    else if (isIgnoredRegion(g)) ignored.push(i);
    else careGroundTruths.push(i);
  });
  const invalidPredictions: number[] = [];
  const discardedPredictions: number[] = [];
  const keptPredictions: number[] = [];
  sample.predictions.forEach((p, i) => {
    if (!isSimplePolygon(p.points)) {
      invalidPredictions.push(i);
      return;
    }
    if (o.scoreThreshold !== undefined && typeof p.score === 'number' && p.score < o.scoreThreshold) return;
    const area = polygonArea(p.points);
    const insideIgnored = ignored.some((g) => {
      const overlap = area === 0 ? 0 : polygonIntersectionArea(sample.groundTruth[g]!.points, p.points) / area;
      return overlap > o.ignorePrecisionThreshold;
    });
    if (insideIgnored) discardedPredictions.push(i);
    else keptPredictions.push(i);
  });
  const iou = careGroundTruths.map((g) =>
    keptPredictions.map((p) => polygonIou(sample.groundTruth[g]!.points, sample.predictions[p]!.points)),
  );
  return { careGroundTruths, keptPredictions, discardedPredictions, invalidGroundTruths, invalidPredictions, iou };
}

/**
 * Greedy one-to-one matching in input order (PaddleOCR gtRectMat/detRectMat; MMOCR 'vanilla').
 * `usable[p]` false removes kept prediction p (position in keptPredictions) from this matching.
 */
export function matchGreedy(prepared: PreparedImage, iouThreshold = 0.5, usable?: readonly boolean[]): DetectionPair[] {
  const pairs: DetectionPair[] = [];
  const taken = new Array<boolean>(prepared.keptPredictions.length).fill(false);
  prepared.careGroundTruths.forEach((g, gi) => {
    const row = prepared.iou[gi]!;
    for (let pi = 0; pi < row.length; pi++) {
      if (taken[pi] || (usable && !usable[pi])) continue;
      if (row[pi]! > iouThreshold) {
        taken[pi] = true;
        pairs.push({ groundTruth: g, prediction: prepared.keptPredictions[pi]!, iou: row[pi]! });
        break;
      }
    }
  });
  return pairs;
}

function toImageResult(prepared: PreparedImage, pairs: DetectionPair[]): DetectionImageResult {
  const { careGroundTruths, keptPredictions } = prepared;
  return {
    ...imageScores(pairs.length, careGroundTruths.length, keptPredictions.length),
    groundTruths: careGroundTruths.length,
    predictions: keptPredictions.length,
    matched: pairs.length,
    pairs,
    careGroundTruths,
    keptPredictions,
    discardedPredictions: prepared.discardedPredictions,
    invalidGroundTruths: prepared.invalidGroundTruths,
    invalidPredictions: prepared.invalidPredictions,
  };
}

/** hmean-iou of one image. */
export function evaluateDetectionImage(sample: DetectionSample, options: DetectionOptions = {}): DetectionImageResult {
  const prepared = prepareImage(sample, options);
  return toImageResult(prepared, matchGreedy(prepared, resolveOptions(options).iouThreshold));
}

/** hmean-iou over a data set (counts summed over images), plus the best hmean over box-score thresholds. */
export function evaluateDetection(samples: readonly DetectionSample[], options: DetectionOptions = {}): DetectionResult {
  const o = resolveOptions(options);
  const prepared = samples.map((s) => prepareImage(s, options));
  const perImage = prepared.map((p) => toImageResult(p, matchGreedy(p, o.iouThreshold)));
  const sum = (key: 'groundTruths' | 'predictions' | 'matched') => perImage.reduce((s, r) => s + r[key], 0);
  const groundTruths = sum('groundTruths');
  const predictions = sum('predictions');
  const matched = sum('matched');
  const result: DetectionResult = {
    ...datasetScores(matched, groundTruths, predictions),
    images: samples.length,
    groundTruths,
    predictions,
    matched,
    perImage,
  };
  const scored = samples.every((s) => s.predictions.every((p) => typeof p.score === 'number' && Number.isFinite(p.score)));
  const anyPrediction = samples.some((s) => s.predictions.length > 0);
  if (o.scoreThresholds !== false && o.scoreThresholds.length > 0 && scored && anyPrediction) {
    const sweep = o.scoreThresholds.map((threshold) => {
      let hits = 0;
      let kept = 0;
      samples.forEach((s, i) => {
        const p = prepared[i]!;
        const usable = p.keptPredictions.map((k) => s.predictions[k]!.score! >= threshold);
        hits += matchGreedy(p, o.iouThreshold, usable).length;
        kept += usable.filter(Boolean).length;
      });
      return { threshold, ...datasetScores(hits, groundTruths, kept), groundTruths, predictions: kept, matched: hits };
    });
    result.scoreThresholds = sweep;
    result.best = sweep.reduce((best, r) => (r.hmean > best.hmean ? r : best));
  }
  return result;
}
