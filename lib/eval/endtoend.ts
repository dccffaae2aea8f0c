// End-to-end (detection + recognition) metrics.
// Matching as the ICDAR2015 end-to-end script and MMOCR 1.x E2EHmeanIOUMetric ('vanilla'): predictions are matched to
// ground truths by the detection rule alone (ignore filtering, IoU > 0.5, greedy one-to-one, see detection.ts), and a
// matched pair counts as a hit only when the two texts are equal under the chosen rule. P = hits / kept predictions,
// R = hits / care ground truths; zero-denominator conventions as detection.ts.
// Text rules: 'exact' compares the strings as they are; 'normalized' applies Unicode NFKC (full-width forms to ASCII,
// as PaddleOCR's strQ2B, and the ideographic space to a space), lower-cases and removes all whitespace (PaddleOCR's
// end-to-end ignore_blank). MMOCR's upper-casing and stripping of one leading/trailing punctuation mark is not applied.
import {
  datasetScores,
  imageScores,
  matchGreedy,
  prepareImage,
  type DetectionOptions,
  type DetectionSample,
  type PrecisionRecall,
} from './detection.js';

export type TextMatchRule = 'exact' | 'normalized';

export interface EndToEndOptions extends Omit<DetectionOptions, 'scoreThresholds'> {
  /** How texts are compared. Default 'exact'. */
  textMatch?: TextMatchRule;
}

export interface EndToEndImageResult extends PrecisionRecall {
  groundTruths: number;
  predictions: number;
  /** Geometric matches (the detection score's numerator). */
  matched: number;
  /** Geometric matches whose texts are equal. */
  hits: number;
}

export interface EndToEndResult extends PrecisionRecall {
  images: number;
  groundTruths: number;
  predictions: number;
  matched: number;
  hits: number;
  perImage: EndToEndImageResult[];
}

/** The text as compared under `rule`. */
export function normalizeText(text: string, rule: TextMatchRule): string {
  return rule === 'exact' ? text : text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** End-to-end precision/recall/hmean over images (counts summed). */
export function evaluateEndToEnd(samples: readonly DetectionSample[], options: EndToEndOptions = {}): EndToEndResult {
  const rule = options.textMatch ?? 'exact';
  const iouThreshold = options.iouThreshold ?? 0.5;
  const perImage = samples.map((sample) => {
    const prepared = prepareImage(sample, { ...options, scoreThresholds: false });
    const pairs = matchGreedy(prepared, iouThreshold);
    const hits = pairs.filter(
      (p) =>
        normalizeText(sample.groundTruth[p.groundTruth]!.text ?? '', rule) ===
        normalizeText(sample.predictions[p.prediction]!.text ?? '', rule),
    ).length;
    const groundTruths = prepared.careGroundTruths.length;
    const predictions = prepared.keptPredictions.length;
    return { ...imageScores(hits, groundTruths, predictions), groundTruths, predictions, matched: pairs.length, hits };
  });
  const sum = (key: 'groundTruths' | 'predictions' | 'matched' | 'hits') => perImage.reduce((s, r) => s + r[key], 0);
  const groundTruths = sum('groundTruths');
  const predictions = sum('predictions');
  const hits = sum('hits');
  return {
    ...datasetScores(hits, groundTruths, predictions),
    images: samples.length,
    groundTruths,
    predictions,
    matched: sum('matched'),
    hits,
    perImage,
  };
}

/** One document for bag-of-words: the ground-truth texts and the predicted texts (any split into lines). */
export interface TextSample {
  groundTruth: readonly string[];
  predictions: readonly string[];
}

export interface BagOfWordsResult extends PrecisionRecall {
  documents: number;
  groundTruthWords: number;
  predictedWords: number;
  /** Size of the multiset intersection of the two bags, summed over documents. */
  matchedWords: number;
}

/** Words of the texts: split on whitespace, after the rule's normalisation (NFKC and lower case for 'normalized'). */
export function wordsOf(texts: readonly string[], rule: TextMatchRule = 'exact'): string[] {
  const words: string[] = [];
  for (const text of texts) {
    const t = rule === 'exact' ? text : text.normalize('NFKC').toLowerCase();
    for (const w of t.split(/\s+/u)) if (w !== '') words.push(w);
  }
  return words;
}

/**
 * Bag-of-words precision and recall, position-free: per document, matched = Σ_w min(count_gt(w), count_pred(w));
 * P = matched / predicted words, R = matched / ground-truth words, summed over documents (0 for a zero denominator).
 * Meant for word-level labelled documents; text without spaces (Chinese, Japanese) is one "word" per line.
 */
export function evaluateBagOfWords(samples: readonly TextSample[], options: { textMatch?: TextMatchRule } = {}): BagOfWordsResult {
  const rule = options.textMatch ?? 'exact';
  let gtWords = 0;
  let predWords = 0;
  let matched = 0;
  for (const sample of samples) {
    const counts = new Map<string, number>();
    const gt = wordsOf(sample.groundTruth, rule);
    for (const w of gt) counts.set(w, (counts.get(w) ?? 0) + 1);
    const pred = wordsOf(sample.predictions, rule);
    for (const w of pred) {
      const left = counts.get(w) ?? 0;
      if (left > 0) {
        counts.set(w, left - 1);
        matched++;
      }
    }
    gtWords += gt.length;
    predWords += pred.length;
  }
  return {
    ...datasetScores(matched, gtWords, predWords),
    documents: samples.length,
    groundTruthWords: gtWords,
    predictedWords: predWords,
    matchedWords: matched,
  };
}
