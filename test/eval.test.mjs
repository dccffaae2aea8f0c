// Evaluation metrics (pure TypeScript, no model): polygons, hmean-iou, recognition, end-to-end, label parsers, CLI.
// Every expected value below is computed by hand in the comment beside it.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OcrError,
  polygonArea,
  polygonIntersectionArea,
  polygonIou,
  isConvexPolygon,
  isSimplePolygon,
  evaluateDetection,
  evaluateDetectionImage,
  evaluateRecognition,
  editDistance,
  normalizedEditDistance,
  matchingCharacters,
  normalizeIgnoreCaseSymbol,
  evaluateEndToEnd,
  evaluateBagOfWords,
  normalizeText,
  parseDetectionLabels,
  parseIcdarGroundTruth,
  parseRecognitionLabels,
  parseRecognitionResults,
  parseDetectionResults,
  parseSystemResults,
  imageKey,
  icdarGroundTruthKey,
  DEFAULT_SCORE_THRESHOLDS,
} from '../dist/index.mjs';

const close = (t, actual, expected, message) => t.true(Math.abs(actual - expected) < 1e-9, `${message ?? ''} ${actual} != ${expected}`);
const sq = (x, y, w, h) => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
// L: [0,20]x[0,10] ∪ [0,10]x[10,20], area 300. U: [0,30]x[0,10] plus legs [0,10]x[10,20], [20,30]x[10,20], area 500.
const L = [[0, 0], [20, 0], [20, 10], [10, 10], [10, 20], [0, 20]];
const U = [[0, 0], [30, 0], [30, 20], [20, 20], [20, 10], [10, 10], [10, 20], [0, 20]];

// ---------------------------------------------------------------- polygons

test('polygon area by the shoelace formula, either orientation', (t) => {
  t.is(polygonArea(sq(0, 0, 10, 10)), 100);
  t.is(polygonArea([...sq(0, 0, 10, 10)].reverse()), 100);
  t.is(polygonArea([[0, 0], [4, 0], [0, 3]]), 6);
  t.is(polygonArea(L), 300);
  t.is(polygonArea(U), 500);
});

test('convex quads: intersection and IoU', (t) => {
  t.is(polygonIntersectionArea(sq(0, 0, 10, 10), sq(5, 0, 10, 10)), 50);
  close(t, polygonIou(sq(0, 0, 10, 10), sq(5, 0, 10, 10)), 50 / 150);
  t.is(polygonIou(sq(0, 0, 10, 10), sq(20, 0, 10, 10)), 0);
  t.is(polygonIou(sq(0, 0, 10, 10), sq(0, 0, 10, 10)), 1);
  // A diamond inside a square: |x-5| + |y-5| <= 5 has area 50.
  close(t, polygonIntersectionArea(sq(0, 0, 10, 10), [[5, 0], [10, 5], [5, 10], [0, 5]]), 50);
  // Rotated square (45°) of side 10√2 centred on a 10x10 square: the square's corners are on its edges -> 100.
  close(t, polygonIntersectionArea(sq(0, 0, 10, 10), [[5, -5], [15, 5], [5, 15], [-5, 5]]), 100);
});

test('non-convex polygons: L with a square, U with a bar (two pieces), L with a rotated L', (t) => {
  // Square [5,15]²: 10x5 in the L's foot + 5x5 in its leg = 75.
  t.is(polygonIntersectionArea(L, sq(5, 5, 10, 10)), 75);
  t.is(polygonIntersectionArea(sq(5, 5, 10, 10), L), 75);
  // Bar y in [15,18] crosses both legs of the U: 2 x (10 x 3) = 60, in both argument orders and orientations.
  t.is(polygonIntersectionArea(U, sq(-5, 15, 40, 3)), 60);
  t.is(polygonIntersectionArea(sq(-5, 15, 40, 3), [...U].reverse()), 60);
  // L rotated 180° about (10,10) is [0,20]x[10,20] ∪ [10,20]x[0,10]; neither is convex: overlap 100 + 100.
  const L2 = L.map(([x, y]) => [20 - x, 20 - y]);
  t.false(isConvexPolygon(L));
  t.false(isConvexPolygon(L2));
  t.is(polygonIntersectionArea(L, L2), 200);
  close(t, polygonIou(L, L2), 200 / 400);
  t.is(polygonIntersectionArea(U, L), 300);
});

test('simple and convex checks', (t) => {
  t.true(isSimplePolygon(sq(0, 0, 1, 1)));
  t.true(isSimplePolygon([[0, 0], [0, 0], [1, 0], [1, 1], [0, 1]])); // a repeated point is fine
  t.false(isSimplePolygon([[0, 0], [10, 10], [10, 0], [0, 10]])); // bow tie
  t.false(isSimplePolygon([[0, 0], [10, 0], [20, 0]])); // no area
  t.false(isSimplePolygon([[0, 0], [1, 0]]));
  t.false(isSimplePolygon([[0, 0], [NaN, 0], [1, 1]]));
  t.true(isConvexPolygon(sq(0, 0, 1, 1)));
  t.true(isConvexPolygon([[0, 0], [5, 0], [10, 0], [10, 10], [0, 10]])); // a collinear point
  const pentagram = [0, 2, 4, 1, 3].map((k) => [Math.cos((2 * Math.PI * k) / 5), Math.sin((2 * Math.PI * k) / 5)]);
  t.false(isConvexPolygon(pentagram));
  t.false(isSimplePolygon(pentagram));
});

// ---------------------------------------------------------------- detection (hmean-iou)

test('perfect match: P = R = hmean = 1', (t) => {
  const gt = [{ points: sq(0, 0, 10, 10), text: 'a' }, { points: sq(20, 0, 10, 10), text: 'b' }];
  const r = evaluateDetection([{ groundTruth: gt, predictions: gt.map((g) => ({ points: g.points })) }]);
  t.like(r, { precision: 1, recall: 1, hmean: 1, matched: 2, predictions: 2, groundTruths: 2, images: 1 });
  t.deepEqual(r.perImage[0].pairs.map((p) => [p.groundTruth, p.prediction, p.iou]), [[0, 0, 1], [1, 1, 1]]);
});

test('one prediction overlapping two ground truths matches only the first', (t) => {
  // IoU with each: overlap 9.5x10 = 95, union 105 -> 0.905 > 0.5 for both.
  const gt = [{ points: sq(0, 0, 10, 10) }, { points: sq(1, 0, 10, 10) }];
  const r = evaluateDetectionImage({ groundTruth: gt, predictions: [{ points: sq(0.5, 0, 10, 10) }] });
  t.is(r.matched, 1);
  t.is(r.pairs[0].groundTruth, 0);
  close(t, r.pairs[0].iou, 95 / 105);
  close(t, r.precision, 1);
  close(t, r.recall, 0.5);
  close(t, r.hmean, 2 / 3);
});

test("a prediction mostly inside a '###' region is discarded, one half inside is a false positive", (t) => {
  const gt = [{ points: sq(0, 0, 10, 10), text: 'x' }, { points: sq(100, 0, 20, 10), text: '###' }];
  const predictions = [
    { points: sq(0, 0, 10, 10) }, // hit
    { points: sq(102, 0, 10, 10) }, // inside the ignored region: discarded
    { points: sq(115, 0, 10, 10) }, // overlap 5x10 / 100 = 0.5, not > 0.5: kept, false positive
  ];
  const r = evaluateDetectionImage({ groundTruth: gt, predictions });
  t.deepEqual(r.discardedPredictions, [1]);
  t.deepEqual(r.keptPredictions, [0, 2]);
  t.like(r, { groundTruths: 1, predictions: 2, matched: 1 });
  close(t, r.precision, 0.5);
  close(t, r.recall, 1);
  close(t, r.hmean, 2 / 3);
  // The explicit ignore flag works the same way.
  const flagged = evaluateDetectionImage({ groundTruth: [gt[0], { points: gt[1].points, ignore: true }], predictions });
  t.deepEqual(flagged.discardedPredictions, [1]);
});

test('IoU must be strictly greater than 0.5', (t) => {
  const groundTruth = [{ points: sq(0, 0, 10, 10) }];
  // 100 / 200 = 0.5 exactly: no match.
  const at = evaluateDetectionImage({ groundTruth, predictions: [{ points: sq(0, 0, 20, 10) }] });
  t.is(at.matched, 0);
  t.is(at.hmean, 0);
  // 100 / 190 = 0.526: a match.
  const above = evaluateDetectionImage({ groundTruth, predictions: [{ points: sq(0, 0, 19, 10) }] });
  t.is(above.matched, 1);
  close(t, above.pairs[0].iou, 100 / 190);
  // A stricter threshold turns it down.
  t.is(evaluateDetectionImage({ groundTruth, predictions: [{ points: sq(0, 0, 19, 10) }] }, { iouThreshold: 0.7 }).matched, 0);
});

test('empty ground truth / predictions: per-image and accumulated conventions', (t) => {
  const box = { points: sq(0, 0, 10, 10) };
  // Per image (PaddleOCR evaluate_image, MMOCR compute_hmean): no care gt -> recall 1, precision 1 only without predictions.
  t.like(evaluateDetectionImage({ groundTruth: [], predictions: [] }), { precision: 1, recall: 1, hmean: 1 });
  t.like(evaluateDetectionImage({ groundTruth: [], predictions: [box] }), { precision: 0, recall: 1, hmean: 0 });
  t.like(evaluateDetectionImage({ groundTruth: [box], predictions: [] }), { precision: 0, recall: 0, hmean: 0 });
  // Accumulated (PaddleOCR combine_results): zero denominators give 0.
  t.like(evaluateDetection([{ groundTruth: [], predictions: [] }]), { precision: 0, recall: 0, hmean: 0, images: 1 });
  t.like(evaluateDetection([]), { precision: 0, recall: 0, hmean: 0, images: 0 });
  // Counts are summed over images: 2 hits of 2 gts, 3 predictions -> P 2/3, R 1, hmean 0.8.
  const two = [{ points: sq(0, 0, 10, 10) }, { points: sq(20, 0, 10, 10) }];
  const r = evaluateDetection([{ groundTruth: two, predictions: two }, { groundTruth: [], predictions: [box] }]);
  close(t, r.precision, 2 / 3);
  close(t, r.recall, 1);
  close(t, r.hmean, 0.8);
});

test('non-simple polygons are skipped, as PaddleOCR does', (t) => {
  const r = evaluateDetectionImage({
    groundTruth: [{ points: sq(0, 0, 10, 10) }, { points: [[0, 0], [10, 10], [10, 0], [0, 10]] }],
    predictions: [{ points: [[0, 0], [10, 10], [10, 0], [0, 10]] }, { points: sq(0, 0, 10, 10) }],
  });
  t.deepEqual(r.invalidGroundTruths, [1]);
  t.deepEqual(r.invalidPredictions, [0]);
  t.like(r, { groundTruths: 1, predictions: 1, matched: 1, hmean: 1 });
});

test('best hmean over box-score thresholds 0.3..0.9, and a fixed threshold', (t) => {
  t.deepEqual(DEFAULT_SCORE_THRESHOLDS, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  const groundTruth = [{ points: sq(0, 0, 10, 10) }, { points: sq(20, 0, 10, 10) }];
  const predictions = [
    { points: sq(0, 0, 10, 10), score: 0.95 },
    { points: sq(20, 0, 10, 10), score: 0.35 },
    { points: sq(50, 0, 10, 10), score: 0.5 },
    { points: sq(70, 0, 10, 10), score: 0.85 },
  ];
  const r = evaluateDetection([{ groundTruth, predictions }]);
  // All kept: 2 hits / 4 -> P 0.5, R 1, hmean 2/3.
  close(t, r.hmean, 2 / 3);
  // >= 0.3: 2/4, R 1 -> 0.6667; 0.4 and 0.5: 1/3, 1/2 -> 0.4; 0.6..0.8: 1/2, 1/2 -> 0.5; 0.9: 1/1, 1/2 -> 0.6667.
  const expected = [2 / 3, 0.4, 0.4, 0.5, 0.5, 0.5, 2 / 3];
  r.scoreThresholds.forEach((s, i) => close(t, s.hmean, expected[i], `threshold ${s.threshold}`));
  t.deepEqual(r.scoreThresholds.map((s) => s.predictions), [4, 3, 3, 2, 2, 2, 1]);
  // Ties keep the lowest threshold (MMOCR keeps the first strictly better one).
  t.is(r.best.threshold, 0.3);
  const fixed = evaluateDetection([{ groundTruth, predictions }], { scoreThreshold: 0.9 });
  t.like(fixed, { precision: 1, recall: 0.5, predictions: 1 });
  // Without a score on every prediction there is no search.
  const unscored = evaluateDetection([{ groundTruth, predictions: [{ points: sq(0, 0, 10, 10) }] }]);
  t.is(unscored.best, undefined);
  t.is(unscored.scoreThresholds, undefined);
});

test('detection options are validated', (t) => {
  const error = t.throws(() => evaluateDetection([], { iouThreshold: 2 }), { instanceOf: OcrError });
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  t.true(error.message.startsWith('options.iouThreshold'), error.message);
});

// ---------------------------------------------------------------- recognition

test('word accuracy: exact, ignore case, ignore case and symbols (Chinese kept)', (t) => {
  const r = evaluateRecognition([
    { groundTruth: 'Hello', prediction: 'Hello' }, // all three
    { groundTruth: 'World', prediction: 'world' }, // ignore case, ignore case+symbols
    { groundTruth: 'U.S.A.', prediction: 'usa' }, // ignore case+symbols only
    { groundTruth: '中文识别', prediction: '中文字别' }, // none
  ]);
  t.is(r.samples, 4);
  t.is(r.wordAccuracy, 0.25);
  t.is(r.wordAccuracyIgnoreCase, 0.5);
  t.is(r.wordAccuracyIgnoreCaseSymbol, 0.75);
  // Characters after normalisation: 5+5+3+4 = 17 on each side; matched 5+5+3+3 ('中文', '别') = 16.
  close(t, r.charPrecision, 16 / 17);
  close(t, r.charRecall, 16 / 17);
  // N.E.D.: 0, 0, 0, 1/4 -> mean 1/16.
  close(t, r.oneMinusNed, 15 / 16);
});

test('MMOCR symbol pattern keeps letters, digits, CJK U+4E00-U+9FA5 and (a quirk) ^', (t) => {
  t.is(normalizeIgnoreCaseSymbol('A^b-C d!'), 'a^bcd');
  t.is(normalizeIgnoreCaseSymbol('北京，2024年！'), '北京2024年');
  t.is(normalizeIgnoreCaseSymbol('café'), 'caf'); // é is outside the kept ranges, as in MMOCR
});

test('char precision/recall and 1-N.E.D. by hand', (t) => {
  // 'abcd!' -> 'abcd': 3 of 4 predicted characters match; all 3 ground-truth characters are found. N.E.D. 1/4.
  const r = evaluateRecognition([{ groundTruth: 'abc', prediction: 'ABCD!' }]);
  close(t, r.charPrecision, 3 / 4);
  close(t, r.charRecall, 1);
  close(t, r.oneMinusNed, 3 / 4);
  // SequenceMatcher blocks keep order: 'ba' against 'ab' matches 1 character, not 2.
  t.is(matchingCharacters('ba', 'ab'), 1);
  t.is(matchingCharacters('abcd', 'bcda'), 3);
  t.is(editDistance('kitten', 'sitting'), 3);
  close(t, normalizedEditDistance('kitten', 'sitting'), 3 / 7);
  t.is(editDistance('😀a', 'a'), 1); // code points, not UTF-16 units
  t.is(normalizedEditDistance('', ''), 0);
  // No samples: accuracies 0, 1 - N.E.D. = 1 (MMOCR divides by max(1, n)).
  t.like(evaluateRecognition([]), { samples: 0, wordAccuracy: 0, charRecall: 0, oneMinusNed: 1 });
});

// ---------------------------------------------------------------- end-to-end and bag of words

test('end-to-end: a geometric match also needs equal text (exact / normalized)', (t) => {
  const groundTruth = [
    { points: sq(0, 0, 10, 10), text: 'Hello' },
    { points: sq(20, 0, 10, 10), text: 'World' },
    { points: sq(40, 0, 10, 10), text: '###' },
  ];
  const predictions = [
    { points: sq(0, 0, 10, 10), text: 'hello' },
    { points: sq(20, 0, 10, 10), text: 'World' },
    { points: sq(41, 0, 8, 10), text: 'x' }, // inside the ignored region: discarded
    { points: sq(80, 0, 10, 10), text: 'foo' }, // false positive
  ];
  const exact = evaluateEndToEnd([{ groundTruth, predictions }]);
  // Hits 1 of 3 kept predictions and 2 care gts: P 1/3, R 1/2, hmean 0.4.
  t.like(exact, { hits: 1, matched: 2, predictions: 3, groundTruths: 2 });
  close(t, exact.precision, 1 / 3);
  close(t, exact.recall, 1 / 2);
  close(t, exact.hmean, 0.4);
  const normalized = evaluateEndToEnd([{ groundTruth, predictions }], { textMatch: 'normalized' });
  // Hits 2: P 2/3, R 1, hmean 0.8.
  t.is(normalized.hits, 2);
  close(t, normalized.hmean, 0.8);
  t.is(normalizeText('ＡＢＣ　New York', 'normalized'), 'abcnewyork');
  t.is(normalizeText('New York', 'exact'), 'New York');
});

test('bag of words: multiset precision and recall', (t) => {
  // gt words: the cat sat on the mat (6); predicted: the cat sat on a mat mat (7); matched: the cat sat on mat = 5.
  const r = evaluateBagOfWords([{ groundTruth: ['the cat sat', 'on the mat'], predictions: ['the cat', 'sat on a mat mat'] }]);
  t.like(r, { documents: 1, groundTruthWords: 6, predictedWords: 7, matchedWords: 5 });
  close(t, r.precision, 5 / 7);
  close(t, r.recall, 5 / 6);
  close(t, r.hmean, 10 / 13);
  const cased = evaluateBagOfWords([{ groundTruth: ['The CAT'], predictions: ['the cat'] }]);
  t.is(cased.matchedWords, 0);
  t.is(evaluateBagOfWords([{ groundTruth: ['The CAT'], predictions: ['the cat'] }], { textMatch: 'normalized' }).matchedWords, 2);
  t.like(evaluateBagOfWords([]), { precision: 0, recall: 0, hmean: 0 });
});

// ---------------------------------------------------------------- parsers

function parseError(t, fn, pattern) {
  const error = t.throws(fn, { instanceOf: OcrError });
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(error.message, pattern);
  t.false(error.message.includes('\n'));
  return error;
}

test('MindOCR/PaddleOCR det/system labels, with ### and * as ignore', (t) => {
  const text =
    'img_1.jpg\t[{"transcription": "Hi", "points": [[0,0],[10,0],[10,5],[0,5]]}, {"transcription": "###", "points": [[1,1],[2,1],[2,2]]}]\r\n' +
    '\n' +
    'dir/img_2.png\t[{"transcription": "*", "points": [[0,0],[1,0],[1,1],[0,1]]}, {"transcription": "x", "points": [[0,0],[1,0],[1,1]], "ignore": true}]\n';
  const r = parseDetectionLabels(text, 'labels.txt');
  t.is(r.length, 2);
  t.deepEqual(r[0], {
    image: 'img_1.jpg',
    line: 1,
    regions: [
      { points: [[0, 0], [10, 0], [10, 5], [0, 5]], text: 'Hi', ignore: false },
      { points: [[1, 1], [2, 1], [2, 2]], text: '###', ignore: true },
    ],
  });
  t.is(r[1].line, 3);
  t.deepEqual(r[1].regions.map((g) => g.ignore), [true, true]);
});

test('label parser errors name the file and the 1-based line', (t) => {
  const good = 'a.jpg\t[]\n';
  parseError(t, () => parseDetectionLabels(`${good}\nb.jpg [] no tab\n`, 'labels.txt'), /^labels\.txt:3: expected "<image name><TAB>\.\.\.", found no tab/);
  parseError(t, () => parseDetectionLabels(`${good}b.jpg\t[{]\n`, 'labels.txt'), /^labels\.txt:2: invalid JSON after the tab/);
  parseError(t, () => parseDetectionLabels(`b.jpg\t{"points": []}\n`, 'l.txt'), /^l\.txt:1: expected a JSON array of regions/);
  parseError(
    t,
    () => parseDetectionLabels(`${good}b.jpg\t[{"transcription": "a", "points": [[0,0],[1,1]]}]\n`, 'l.txt'),
    /^l\.txt:2: region 1: "points" must be an array of at least 3 \[x, y\] number pairs$/,
  );
  parseError(t, () => parseDetectionLabels(`\tx\n`, 'l.txt'), /^l\.txt:1: the image name before the tab is empty$/);
  parseError(t, () => parseDetectionLabels(`${good}./a.jpg\t[]\n`, 'l.txt'), /^l\.txt:2: image "\.\/a\.jpg" is listed again \(first on line 1\)$/);
  // Another extension is another image (a folder run writes a.jpg and a.png).
  t.is(parseDetectionLabels(`${good}./a.png\t[]\n`, 'l.txt').length, 2);
});

test('ICDAR2015 gt_img_*.txt: BOM, CRLF, commas inside the transcription, ### ignore', (t) => {
  const text = '\ufeff377,117,463,117,465,130,378,130,Genaxis Theatre\r\n493,115,519,115,519,131,493,131,[06]\r\n' +
    '374,155,409,155,409,170,374,170,###\r\n1,2,3,2,3,4,1,4,Hello, world\r\n';
  const r = parseIcdarGroundTruth(text, 'gt_img_1.txt');
  t.is(r.length, 4);
  t.deepEqual(r[0], { points: [[377, 117], [463, 117], [465, 130], [378, 130]], text: 'Genaxis Theatre', ignore: false });
  t.true(r[2].ignore);
  t.is(r[3].text, 'Hello, world');
  // Quoted as the RRC script reads them: quotes (and spaces around them) removed, \\ and \" unescaped.
  const q = parseIcdarGroundTruth('1,2,3,2,3,4,1,4,"###"\n1,2,3,2,3,4,1,4, "say \\"hi\\", a\\\\b" \n1,2,3,2,3,4,1,4,"half\n', 'q.txt');
  t.true(q[0].ignore);
  t.is(q[1].text, 'say "hi", a\\b');
  t.is(q[2].text, '"half');
  parseError(t, () => parseIcdarGroundTruth('1,2,3,4,5,6,7,8,ok\n1,2,3\n', 'gt_img_7.txt'), /^gt_img_7\.txt:2: expected "x1,y1,x2,y2,x3,y3,x4,y4,transcription", found 3 comma-separated fields$/);
  parseError(t, () => parseIcdarGroundTruth('1,2,3,x,5,6,7,8,ok\n', 'gt_img_7.txt'), /^gt_img_7\.txt:1: field 4 \("x"\) is not a number$/);
  t.is(icdarGroundTruthKey('gt_img_12.txt'), 'img_12');
  t.is(imageKey('ch4_test_images/img_12.jpg'), 'img_12');
  t.is(imageKey('C:\\data\\word_1.png'), 'word_1');
});

test('recognition labels and rec_results.txt', (t) => {
  const labels = parseRecognitionLabels('word_1.png\tHello\nword_2.png\tA\tB\nword_3.png\t\n', 'rec_gt.txt');
  t.deepEqual(labels.map((l) => [l.image, l.text, l.line]), [['word_1.png', 'Hello', 1], ['word_2.png', 'A\tB', 2], ['word_3.png', '', 3]]);
  parseError(t, () => parseRecognitionLabels('word_1.png\tok\nword_2.png Hello\n', 'rec_gt.txt'), /^rec_gt\.txt:2: expected "<image name><TAB>\.\.\.", found no tab/);
  const results = parseRecognitionResults('word_1.png\tcoffee\nword_2.png\tclub\t0.987\n', 'rec_results.txt');
  t.deepEqual(results[0], { image: 'word_1.png', line: 1, text: 'coffee' });
  t.deepEqual(results[1], { image: 'word_2.png', line: 2, text: 'club', score: 0.987 });
});

test('det_results.txt and system_results.txt', (t) => {
  const det = parseDetectionResults('img_1.jpg\t[[[0,0],[10,0],[10,10],[0,10]], {"points": [[1,1],[2,1],[2,2]], "score": 0.8}]\nimg_2.jpg\t[]\n', 'det_results.txt');
  t.deepEqual(det[0].regions, [{ points: [[0, 0], [10, 0], [10, 10], [0, 10]] }, { points: [[1, 1], [2, 1], [2, 2]], score: 0.8 }]);
  t.deepEqual(det[1].regions, []);
  parseError(t, () => parseDetectionResults('img_1.jpg\t[[[0,0],[1,"a"],[1,1]]]\n', 'det_results.txt'), /^det_results\.txt:1: region 1: "points" must be/);
  const sys = parseSystemResults('img_1.jpg\t[{"transcription": "中文", "points": [[0,0],[10,0],[10,10],[0,10]], "score": 0.9}]\n', 'system_results.txt');
  t.deepEqual(sys[0].regions, [{ points: [[0, 0], [10, 0], [10, 10], [0, 10]], text: '中文', score: 0.9 }]);
  parseError(t, () => parseSystemResults('img_1.jpg\t[]\nimg_2.jpg\t[{"points": [[0,0],[1,0],[1,1]]}]\n', 'system_results.txt'), /^system_results\.txt:2: region 1: "transcription" is missing$/);
});

// ---------------------------------------------------------------- CLI

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const run = (...args) => spawnSync(process.execPath, [cli, 'eval', ...args], { encoding: 'utf8' });

function tempDir(t, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-eval-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
const quad = (x, y, w, h) => sq(x, y, w, h).flat().join(',');
const json = (regions) => JSON.stringify(regions);

test('cli: det mode with an ICDAR gt folder prints the table and --json', (t) => {
  const dir = tempDir(t, {
    // img_1: two care gts and one ignored; img_2: one gt.
    'gt/gt_img_1.txt': `\ufeff${quad(0, 0, 10, 10)},Hello\r\n${quad(20, 0, 10, 10)},a,b\r\n${quad(100, 0, 20, 10)},###\r\n`,
    'gt/gt_img_2.txt': `${quad(0, 0, 10, 10)},x\n`,
    // img_1: a hit, one discarded (inside ###), one false positive; img_2: a miss (IoU 0.5) -> matched 1, preds 3, gts 3.
    'det_results.txt': `img_1.jpg\t${json([sq(0, 0, 10, 10), sq(102, 0, 10, 10), sq(50, 0, 10, 10)])}\nimg_2.jpg\t${json([sq(0, 0, 20, 10)])}\n`,
  });
  const r = run('--gt_path', path.join(dir, 'gt'), '--pred_path', path.join(dir, 'det_results.txt'));
  t.is(r.status, 0, r.stderr);
  // P = 1/3, R = 1/3, hmean 1/3.
  t.regex(r.stdout, /^ocrkit eval det: 2 images\n/);
  t.regex(r.stdout, /\ndetection\s+0\.3333\s+0\.3333\s+0\.3333\s+1\s+3\s+3\n/);
  const j = run('--gt-path', path.join(dir, 'gt'), `--pred-path=${path.join(dir, 'det_results.txt')}`, '--json', '--mode', 'det');
  t.is(j.status, 0, j.stderr);
  const report = JSON.parse(j.stdout);
  t.is(report.mode, 'det');
  t.is(report.images, 2);
  t.like(report.detection, { matched: 1, predictions: 3, groundTruths: 3 });
  close(t, report.detection.hmean, 1 / 3);
});

test('cli: system mode with a PaddleOCR label file reports detection, end-to-end and bag of words', (t) => {
  const dir = tempDir(t, {
    'label.txt': `img_1.jpg\t${json([
      { transcription: 'Hello', points: sq(0, 0, 10, 10) },
      { transcription: 'New York', points: sq(20, 0, 10, 10) },
    ])}\n`,
    'system_results.txt': `img_1.jpg\t${json([
      { transcription: 'hello', points: sq(0, 0, 10, 10), score: 0.9 },
      { transcription: 'New York', points: sq(20, 0, 10, 10), score: 0.9 },
    ])}\n`,
  });
  const r = run('--gt_path', path.join(dir, 'label.txt'), '--pred_path', path.join(dir, 'system_results.txt'), '--json');
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  t.is(report.mode, 'system');
  t.like(report.detection, { precision: 1, recall: 1, hmean: 1 });
  // Exact: 'hello' != 'Hello' -> 1 hit of 2: P = R = hmean = 0.5. Normalized: 2 hits.
  t.like(report.endToEnd.exact, { hits: 1, precision: 0.5, recall: 0.5, hmean: 0.5 });
  t.like(report.endToEnd.normalized, { hits: 2, hmean: 1 });
  // Words: gt Hello New York, predicted hello New York -> exact 2 of 3.
  t.like(report.bagOfWords.exact, { matchedWords: 2, groundTruthWords: 3, predictedWords: 3 });
  t.like(report.bagOfWords.normalized, { matchedWords: 3 });
  const table = run('--gt_path', path.join(dir, 'label.txt'), '--pred_path', path.join(dir, 'system_results.txt'));
  t.regex(table.stdout, /\nend-to-end \(exact\)\s+0\.5000\s+0\.5000\s+0\.5000\s+1\s+2\s+2\n/);
  t.regex(table.stdout, /\nbag of words \(exact\)\s+0\.6667\s+0\.6667\s+0\.6667\s+2\s+3\s+3\n/);
});

test('cli: rec mode prints word accuracy, char P/R and 1-N.E.D.', (t) => {
  const dir = tempDir(t, {
    'rec_gt.txt': 'word_1.png\tHello\nword_2.png\tWorld\nword_3.png\tU.S.A.\nword_4.png\t中文识别\n',
    'rec_results.txt': 'word_1.png\tHello\nword_2.png\tworld\nword_3.png\tusa\nword_4.png\t中文字别\n',
  });
  const r = run('--gt_path', path.join(dir, 'rec_gt.txt'), '--pred_path', path.join(dir, 'rec_results.txt'));
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /\nword accuracy\s+0\.2500\n/);
  t.regex(r.stdout, /\nword accuracy, ignore case\s+0\.5000\n/);
  t.regex(r.stdout, /\nword accuracy, ignore case and symbols\s+0\.7500\n/);
  t.regex(r.stdout, /\nchar precision\s+0\.9412\n/); // 16/17
  t.regex(r.stdout, /\n1 - N\.E\.D\.\s+0\.9375\n/);
  const j = JSON.parse(run('--gt_path', path.join(dir, 'rec_gt.txt'), '--pred_path', path.join(dir, 'rec_results.txt'), '--json').stdout);
  t.like(j, { mode: 'rec', samples: 4, wordAccuracy: 0.25, wordAccuracyIgnoreCaseSymbol: 0.75, oneMinusNed: 0.9375 });
});

test('cli: errors are one line naming the file (and line); exit 1 for bad data, 2 for usage', (t) => {
  const dir = tempDir(t, {
    'label.txt': `img_1.jpg\t${json([{ transcription: 'a', points: sq(0, 0, 10, 10) }])}\n`,
    'det_results.txt': `img_1.jpg\t${json([sq(0, 0, 10, 10)])}\nimg_2.jpg\t[[[0,0],[1,1]]]\n`,
    'empty/readme.md': 'no txt here',
  });
  const bad = run('--gt_path', path.join(dir, 'label.txt'), '--pred_path', path.join(dir, 'det_results.txt'));
  t.is(bad.status, 1);
  t.is(bad.stderr, `ocrkit eval: ERR_OCR_INVALID_OPTION: ${path.join(dir, 'det_results.txt')}:2: region 1: "points" must be an array of at least 3 [x, y] number pairs\n`);
  const missing = run('--gt_path', path.join(dir, 'nope.txt'), '--pred_path', path.join(dir, 'det_results.txt'));
  t.is(missing.status, 2);
  t.is(missing.stderr, `ocrkit eval: --gt_path: no such file or directory: ${path.join(dir, 'nope.txt')}\n`);
  const empty = run('--gt_path', path.join(dir, 'empty'), '--pred_path', path.join(dir, 'det_results.txt'), '--mode', 'det');
  t.is(empty.status, 1);
  t.is(empty.stderr, `ocrkit eval: ERR_OCR_FILE_NOT_FOUND: ${path.join(dir, 'empty')}: the folder has no ground-truth .txt files\n`);
  const unknown = run('--gt_path', 'x', '--frobnicate');
  t.is(unknown.status, 2);
  t.regex(unknown.stderr, /^ocrkit eval: unknown option --frobnicate\nUsage: ocrkit eval/);
  t.is(run('--pred_path', 'x').status, 2);
  t.is(run('--gt_path', 'x', '--pred_path', 'y', '--mode', 'ocr').status, 2);
  // An option where a value belongs is a missing value, not a file named "--pred_path".
  const swallowed = run('--gt_path', '--pred_path', 'x');
  t.is(swallowed.status, 2);
  t.regex(swallowed.stderr, /^ocrkit eval: --gt_path needs a value\n/);
  const help = run('--help');
  t.is(help.status, 0);
  t.regex(help.stdout, /^Usage: ocrkit eval --gt_path <file\|dir> --pred_path <file>/);
});

test('pairing: same-named images in different folders stay apart; base names pair with folder-less results', async (t) => {
  const { imagePathKey } = await import('../dist/index.mjs');
  t.is(imagePathKey('./a/doc.jpg'), 'a/doc');
  t.is(imagePathKey('b\\doc.png'), 'b/doc');
  t.is(imagePathKey('.hidden'), '.hidden');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-eval-pair-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const box = (x) => `[[${x},0],[${x + 10},0],[${x + 10},10],[${x},10]]`;
  fs.writeFileSync(path.join(dir, 'gt.txt'),
    `a/doc.jpg\t[{"transcription": "A", "points": ${box(0)}}]\nb/doc.jpg\t[{"transcription": "B", "points": ${box(50)}}]\n` +
    `set/img_1.jpg\t[{"transcription": "C", "points": ${box(0)}}]\n`);
  fs.writeFileSync(path.join(dir, 'system_results.txt'),
    `b/doc.jpg\t[{"transcription": "B", "points": ${box(50)}}]\na/doc.jpg\t[{"transcription": "A", "points": ${box(0)}}]\n` +
    `img_1.jpg\t[{"transcription": "C", "points": ${box(0)}}]\n`);
  const r = run('--gt_path', path.join(dir, 'gt.txt'), '--pred_path', path.join(dir, 'system_results.txt'), '--json');
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  t.is(report.detection.matched, 3);
  t.is(report.endToEnd.exact.hits, 3);
  t.is(report.skippedPredictionImages, 0);
});

// Label files are read only when they are regular files (a FIFO blocked, /dev/zero was read until memory ran out:
// 14.6 GB), and an empty ground truth is an error, not a report of zeros.
test('eval refuses a device as a file and an empty ground truth', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-eval-dev-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const gt = path.join(dir, 'gt.txt');
  fs.writeFileSync(gt, 'img_1.jpg\t[{"transcription": "A", "points": [[0,0],[10,0],[10,10],[0,10]]}]\n');
  const zero = run('--gt_path', gt, '--pred_path', '/dev/zero', '--mode', 'system');
  t.is(zero.status, 1);
  t.regex(zero.stderr, /ERR_OCR_FILE_READ: \/dev\/zero: cannot read \(not a regular file\)/);
  const empty = path.join(dir, 'empty.txt');
  fs.writeFileSync(empty, '');
  for (const mode of ['det', 'system']) {
    const r = run('--gt_path', empty, '--pred_path', gt, '--mode', mode);
    t.is(r.status, 1, mode);
    t.regex(r.stderr, /no labelled images to score/);
  }
});

// The evaluation audit (seventeenth session): pairing by a guess, ICDAR files overwriting each other, a folder run's
// own a.jpg + a.png refused as duplicates, quoted ICDAR transcriptions, option and mode inference slips.
test('pairing: an ambiguous base name is not paired by guess; a.jpg and a.png are two images; ICDAR duplicates refused', (t) => {
  const box = (x) => `[[${x},0],[${x + 10},0],[${x + 10},10],[${x},10]]`;
  const region = (text, x) => `[{"transcription": "${text}", "points": ${box(x)}}]`;
  const dir = tempDir(t, {
    // doc.jpg's boxes are b/doc.jpg's: pairing it with a/doc.jpg scored P = R = 0.
    'gt.txt': `a/doc.jpg\t${region('A', 0)}\nb/doc.jpg\t${region('B', 50)}\n`,
    'system_results.txt': `doc.jpg\t${region('B', 50)}\n`,
    // A folder run over p.jpg and p.png: two images, one line each.
    'pgt.txt': `p.jpg\t${region('J', 0)}\np.png\t${region('P', 50)}\n`,
    'p/system_results.txt': `p.png\t${region('P', 50)}\np.jpg\t${region('J', 0)}\n`,
    'icdar/gt_img_1.txt': `0,0,10,0,10,10,0,10,A\n`,
    'icdar/img_1.txt': `50,0,60,0,60,10,50,10,B\n`,
    'quoted/gt_img_1.txt': `0,0,10,0,10,10,0,10,"###"\n50,0,60,0,60,10,50,10,"a,b"\n`,
    'quoted_det_results.txt': `img_1.jpg\t[${box(0)}, ${box(50)}]\n`,
    'empty_first.txt': `img_1.jpg\t[]\nimg_2.jpg\t${region('x', 0)}\n`,
  });
  const r = run('--gt_path', path.join(dir, 'gt.txt'), '--pred_path', path.join(dir, 'system_results.txt'), '--json');
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /2 ground-truth image\(s\) could pair with more than one image by base name and were not paired \(first: a\/doc\.jpg\)/);
  const report = JSON.parse(r.stdout);
  t.like(report, { ambiguousImages: 2, imagesWithoutPredictions: 2, skippedPredictionImages: 1 });
  t.is(report.detection.matched, 0);
  const own = run('--gt_path', path.join(dir, 'pgt.txt'), '--pred_path', path.join(dir, 'p', 'system_results.txt'), '--json');
  t.is(own.status, 0, own.stderr);
  t.like(JSON.parse(own.stdout).endToEnd.exact, { hits: 2, precision: 1, recall: 1 });
  const twice = run('--gt_path', path.join(dir, 'icdar'), '--pred_path', path.join(dir, 'quoted_det_results.txt'));
  t.is(twice.status, 1);
  t.regex(twice.stderr, /ERR_OCR_INVALID_OPTION: .*gt_img_1\.txt and img_1\.txt are both the ground truth of image "img_1"/);
  // "###" quoted as the official script writes it is a don't-care region; "a,b" keeps its comma.
  const quoted = run('--gt_path', path.join(dir, 'quoted'), '--pred_path', path.join(dir, 'quoted_det_results.txt'), '--json');
  t.is(quoted.status, 0, quoted.stderr);
  t.like(JSON.parse(quoted.stdout).detection, { matched: 1, predictions: 1, groundTruths: 1 });
  // An image without regions first does not make a system file det.
  const first = run('--gt_path', path.join(dir, 'empty_first.txt'), '--pred_path', path.join(dir, 'empty_first.txt'), '--json');
  t.is(first.status, 0, first.stderr);
  t.is(JSON.parse(first.stdout).mode, 'system');
});

test('evaluateDetection: scoreThresholds must be an array or false', (t) => {
  const error = t.throws(() => evaluateDetection([], { scoreThresholds: 0.5 }), { instanceOf: OcrError });
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(error.message, /scoreThresholds: expected an array/);
});

test('polygon IoU keeps its precision far from the origin', (t) => {
  const a = [[0, 0], [30, 2], [29, 12], [-1, 10]];
  const b = [[1.5, 0.5], [31, 2.5], [30, 13], [0, 10.5]];
  const near = polygonIou(a, b);
  for (const offset of [1e6, 1e7, 1e9]) {
    const shift = (p) => p.map(([x, y]) => [x + offset, y - offset]);
    // The plain shoelace formula was off by 1.7e-5 at 1e6, 6.5e-3 at 1e7 and wrong at 1e9.
    // At 1e9 the shifted points themselves are rounded (float64 steps of 1.2e-7).
    const error = Math.abs(polygonIou(shift(a), shift(b)) - near);
    t.true(error < (offset < 1e9 ? 1e-9 : 1e-6), `offset ${offset}: off by ${error}`);
    t.true(isSimplePolygon(shift(a)));
  }
});
