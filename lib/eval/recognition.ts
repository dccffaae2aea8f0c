// Text recognition metrics, as MMOCR 1.x WordMetric, CharMetric and OneMinusNEDMetric
// (mmocr/evaluation/metrics/recog_metric.py, 2023). Strings are compared as Unicode code points (as Python str).
// Differences from MMOCR: values are not rounded to 4 decimals, and eps (1e-8) is not added to denominators
// (an empty denominator gives 0 instead).

/**
 * MMOCR's valid_symbol pattern '[^A-Z^a-z^0-9^\u4e00-\u9fa5]': removes every character except ASCII letters, digits,
 * CJK unified ideographs U+4E00–U+9FA5 and, as a quirk of the pattern, '^'.
 */
export const MMOCR_SYMBOL_PATTERN = /[^A-Z^a-z^0-9^\u4e00-\u9fa5]/gu;

/** A recognition sample: the label and the recognized text. */
export interface RecognitionSample {
  groundTruth: string;
  prediction: string;
}

export interface RecognitionResult {
  samples: number;
  /** Exact word accuracy (MMOCR word_acc). */
  wordAccuracy: number;
  /** Word accuracy ignoring case (word_acc_ignore_case). */
  wordAccuracyIgnoreCase: number;
  /** Word accuracy ignoring case and symbols (word_acc_ignore_case_symbol, the academic default). */
  wordAccuracyIgnoreCaseSymbol: number;
  /** Matched characters / predicted characters, after lower-casing and removing symbols (char_precision). */
  charPrecision: number;
  /** Matched characters / ground-truth characters, after lower-casing and removing symbols (char_recall). */
  charRecall: number;
  /** 1 - mean normalized edit distance, after lower-casing and removing symbols (1-N.E.D). */
  oneMinusNed: number;
}

/** Lower case and MMOCR's symbol removal (the ignore_case_symbol normalisation). */
export function normalizeIgnoreCaseSymbol(text: string): string {
  return text.toLowerCase().replace(MMOCR_SYMBOL_PATTERN, '');
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length]!;
}

/** Edit distance / the longer length (rapidfuzz Levenshtein.normalized_distance); 0 for two empty strings. */
export function normalizedEditDistance(a: string, b: string): number {
  const longest = Math.max(Array.from(a).length, Array.from(b).length);
  return longest === 0 ? 0 : editDistance(a, b) / longest;
}

/**
 * Characters in matching blocks of Python's difflib.SequenceMatcher(None, prediction, groundTruth) (MMOCR
 * CharMetric._cal_true_positive_char: the size of its 'equal' opcodes): longest common block first, then recursively
 * left and right of it; with difflib's autojunk rule (ground truth of 200+ characters: characters occurring more than
 * 1% + 1 times are not used to start a block). Order-preserving, so it is not a plain multiset intersection.
 */
export function matchingCharacters(prediction: string, groundTruth: string): number {
  const a = Array.from(prediction);
  const b = Array.from(groundTruth);
  const b2j = new Map<string, number[]>();
  b.forEach((ch, j) => {
    const list = b2j.get(ch);
    if (list) list.push(j);
    else b2j.set(ch, [j]);
  });
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [ch, list] of b2j) if (list.length > limit) b2j.delete(ch);
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of b2j.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = next;
    }
    // Extend through equal characters that autojunk left out of b2j (difflib does the same).
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  };
  let total = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k === 0) continue;
    total += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return total;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

/** Word accuracy (three modes), character precision/recall and 1 - N.E.D. over samples. */
export function evaluateRecognition(samples: readonly RecognitionSample[]): RecognitionResult {
  let exact = 0;
  let ignoreCase = 0;
  let ignoreCaseSymbol = 0;
  let gtChars = 0;
  let predChars = 0;
  let matchedChars = 0;
  let nedSum = 0;
  for (const { groundTruth, prediction } of samples) {
    if (prediction === groundTruth) exact++;
    if (prediction.toLowerCase() === groundTruth.toLowerCase()) ignoreCase++;
    const gt = normalizeIgnoreCaseSymbol(groundTruth);
    const pred = normalizeIgnoreCaseSymbol(prediction);
    if (gt === pred) ignoreCaseSymbol++;
    gtChars += Array.from(gt).length;
    predChars += Array.from(pred).length;
    matchedChars += matchingCharacters(pred, gt);
    nedSum += normalizedEditDistance(pred, gt);
  }
  const n = samples.length;
  return {
    samples: n,
    wordAccuracy: ratio(exact, n),
    wordAccuracyIgnoreCase: ratio(ignoreCase, n),
    wordAccuracyIgnoreCaseSymbol: ratio(ignoreCaseSymbol, n),
    charPrecision: ratio(matchedChars, predChars),
    charRecall: ratio(matchedChars, gtChars),
    // MMOCR: 1 - sum / max(1, n), so no samples gives 1.
    oneMinusNed: 1 - nedSum / Math.max(1, n),
  };
}
