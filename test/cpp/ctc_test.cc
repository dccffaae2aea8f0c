// CTC greedy decoding (PaddleOCR CTCLabelDecode: argmax, collapse repeats, drop blank, mean score).
#include "recognize/ctc.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace ocr::recognize {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// blank, a, b, c, 中, space
Charset SmallCharset() { return Charset{{"", "a", "b", "c", "中", " "}}; }
constexpr int kClasses = 6;

// T x kClasses probabilities: step t puts `p[t]` on class `argmax[t]` and
// spreads the rest evenly over the other classes.
std::vector<float> Steps(const std::vector<int>& argmax, const std::vector<float>& p = {}) {
  std::vector<float> probs(argmax.size() * kClasses);
  for (size_t t = 0; t < argmax.size(); ++t) {
    const float top = p.empty() ? 0.9f : p[t];
    for (int c = 0; c < kClasses; ++c) probs[t * kClasses + c] = (1.0f - top) / (kClasses - 1);
    probs[t * kClasses + argmax[t]] = top;
  }
  return probs;
}

DecodedText Decode(const std::vector<float>& probs, int valid_steps = -1, CtcParams params = {}) {
  const int steps = static_cast<int>(probs.size() / kClasses);
  return CtcGreedyDecode(probs.data(), steps, kClasses, valid_steps < 0 ? steps : valid_steps, SmallCharset(), params);
}

TEST(CtcGreedyDecode, CollapsesRepeatsAndDropsBlanks) {
  // a a _ b b b _ _ c
  const DecodedText d = Decode(Steps({1, 1, 0, 2, 2, 2, 0, 0, 3}));
  EXPECT_EQ(d.text, "abc");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 3, 8}));
  EXPECT_EQ(d.char_end_steps, (std::vector<int>{1, 5, 8}));  // each character's run of equal steps
  ASSERT_EQ(d.char_scores.size(), 3u);
  EXPECT_FLOAT_EQ(d.score, 0.9f);
}

TEST(CtcGreedyDecode, RepeatedCharacterNeedsABlankBetween) {
  EXPECT_EQ(Decode(Steps({1, 1})).text, "a");
  EXPECT_EQ(Decode(Steps({1, 0, 1})).text, "aa");
  EXPECT_EQ(Decode(Steps({1, 0, 1})).char_steps, (std::vector<int>{0, 2}));
  EXPECT_EQ(Decode(Steps({0, 1, 1, 0, 0, 1, 0})).text, "aa");
}

TEST(CtcGreedyDecode, ConcatenatesMultiByteSymbolsAndSpace) {
  EXPECT_EQ(Decode(Steps({4, 5, 1, 0, 4})).text, "中 a中");
}

TEST(CtcGreedyDecode, ScoreIsTheMeanOfKeptStepsOnly) {
  // Repeats and blanks do not count: kept steps are 0 (0.8) and 2 (0.6).
  const DecodedText d = Decode(Steps({1, 1, 2, 0}, {0.8f, 0.99f, 0.6f, 0.3f}));
  EXPECT_EQ(d.text, "ab");
  EXPECT_EQ(d.char_scores, (std::vector<float>{0.8f, 0.6f}));
  EXPECT_NEAR(d.score, 0.7f, 1e-6);
}

TEST(CtcGreedyDecode, AllBlanksGiveEmptyTextAndZeroScore) {
  const DecodedText d = Decode(Steps({0, 0, 0, 0}));
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.score, 0.0f);
  EXPECT_TRUE(d.char_scores.empty());
  EXPECT_TRUE(d.char_steps.empty());
}

TEST(CtcGreedyDecode, ZeroStepsGiveEmptyText) {
  const DecodedText d = CtcGreedyDecode(nullptr, 0, kClasses, 0, SmallCharset(), {});
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.score, 0.0f);
}

TEST(CtcGreedyDecode, ValidStepsMaskThePaddedSteps) {
  const std::vector<float> probs = Steps({1, 0, 2, 0, 3, 3});
  EXPECT_EQ(Decode(probs, 6).text, "abc");
  EXPECT_EQ(Decode(probs, 4).text, "ab");  // the "c" lies in the padding
  EXPECT_EQ(Decode(probs, 1).text, "a");
  EXPECT_EQ(Decode(probs, 0).text, "");
  // Clamped to [0, steps].
  EXPECT_EQ(CtcGreedyDecode(probs.data(), 6, kClasses, 100, SmallCharset(), {}).text, "abc");
  EXPECT_EQ(CtcGreedyDecode(probs.data(), 6, kClasses, -3, SmallCharset(), {}).text, "");
}

TEST(CtcGreedyDecode, FirstMaximumWinsTies) {
  std::vector<float> probs(kClasses, 0.0f);
  probs[2] = 0.4f;
  probs[3] = 0.4f;
  EXPECT_EQ(Decode(probs).text, "b");
  // A tie with the blank: blank (index 0) wins.
  probs[0] = 0.4f;
  EXPECT_EQ(Decode(probs).text, "");
}

TEST(CtcGreedyDecode, NaNNeverWinsAndAllNaNIsBlank) {
  std::vector<float> probs = Steps({1, 0, 2});
  probs[0 * kClasses + 3] = kNaN;  // step 0: NaN beside the "a"
  probs[2 * kClasses + 2] = kNaN;  // step 2: the "b" itself is NaN: next best wins
  probs[2 * kClasses + 4] = 0.5f;  // ... which is 中
  DecodedText d = Decode(probs);
  EXPECT_EQ(d.text, "a中");
  EXPECT_FLOAT_EQ(d.char_scores[0], 0.9f);
  EXPECT_FLOAT_EQ(d.char_scores[1], 0.5f);
  EXPECT_TRUE(std::isfinite(d.score));

  // With softmax over logits, NaN terms are left out of the sum.
  std::vector<float> logits = {0.0f, 2.0f, kNaN, 0.0f, -kInf, 0.0f};
  CtcParams softmax;
  softmax.apply_softmax = true;
  d = Decode(logits, -1, softmax);
  EXPECT_EQ(d.text, "a");
  EXPECT_NEAR(d.score, std::exp(2.0) / (std::exp(2.0) + 3), 1e-6);

  // A step of NaN only reads as blank: it separates two "a" into "aa".
  std::vector<float> nan_step = Steps({1, 1, 1});
  for (int c = 0; c < kClasses; ++c) nan_step[kClasses + c] = kNaN;
  d = Decode(nan_step);
  EXPECT_EQ(d.text, "aa");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 2}));

  // NaN in the first class (where a naive "start at row[0]" argmax would stick).
  std::vector<float> first = Steps({2});
  first[0] = kNaN;
  EXPECT_EQ(Decode(first).text, "b");
}

TEST(CtcGreedyDecode, InfinitiesDoNotPoisonTheScore) {
  std::vector<float> probs = Steps({1, 0, 2});
  probs[2 * kClasses + 3] = kInf;  // step 2: +inf on "c"
  DecodedText d = Decode(probs);
  EXPECT_EQ(d.text, "ac");
  EXPECT_EQ(d.char_scores[1], 0.0f);  // not a probability: counted as 0
  EXPECT_TRUE(std::isfinite(d.score));

  CtcParams softmax;
  softmax.apply_softmax = true;
  d = Decode(probs, -1, softmax);
  EXPECT_EQ(d.text, "ac");
  EXPECT_FLOAT_EQ(d.char_scores[1], 1.0f);  // the limit of softmax at +inf
  EXPECT_TRUE(std::isfinite(d.score));
}

TEST(CtcGreedyDecode, LogitsWithSoftmaxDecodeLikeProbabilities) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 2.0f);
  const int steps = 30;
  std::vector<float> logits(steps * kClasses), probs(steps * kClasses);
  for (int t = 0; t < steps; ++t) {
    const float* row = &logits[t * kClasses];
    for (int c = 0; c < kClasses; ++c) logits[t * kClasses + c] = noise(rng);
    float max_value = row[0];
    for (int c = 1; c < kClasses; ++c) max_value = std::max(max_value, row[c]);
    double sum = 0;
    for (int c = 0; c < kClasses; ++c) sum += std::exp(double(row[c]) - max_value);
    for (int c = 0; c < kClasses; ++c) probs[t * kClasses + c] = float(std::exp(double(row[c]) - max_value) / sum);
  }
  CtcParams softmax;
  softmax.apply_softmax = true;
  const DecodedText from_logits = Decode(logits, -1, softmax);
  const DecodedText from_probs = Decode(probs);
  ASSERT_FALSE(from_probs.text.empty());
  EXPECT_EQ(from_logits.text, from_probs.text);
  EXPECT_EQ(from_logits.char_steps, from_probs.char_steps);
  ASSERT_EQ(from_logits.char_scores.size(), from_probs.char_scores.size());
  for (size_t i = 0; i < from_probs.char_scores.size(); ++i) {
    EXPECT_NEAR(from_logits.char_scores[i], from_probs.char_scores[i], 1e-5);
  }
  EXPECT_NEAR(from_logits.score, from_probs.score, 1e-5);
}

TEST(CtcGreedyDecode, SoftmaxIsStableForLargeLogits) {
  std::vector<float> logits(kClasses, 1000.0f);
  logits[2] = 1001.0f;  // exp(1000) overflows without the max shift
  CtcParams softmax;
  softmax.apply_softmax = true;
  const DecodedText d = Decode(logits, -1, softmax);
  EXPECT_EQ(d.text, "b");
  EXPECT_NEAR(d.score, std::exp(1.0) / (std::exp(1.0) + 5), 1e-6);
}

// a _ b where the blank step gives the space class `space` (blank 0.9 - space, the rest 0.1 / 4 each).
std::vector<float> WithSpaceBetween(float space) {
  std::vector<float> probs = Steps({1, 0, 2});
  probs[1 * kClasses + 0] = 0.9f - space;
  probs[1 * kClasses + 5] = space + 0.1f / (kClasses - 1);
  return probs;
}

TEST(CtcGreedyDecode, SpaceThresholdWritesASpaceTheBlankHid) {
  CtcParams params;
  params.space_index = 5;
  // Off (PaddleOCR): the blank wins, no space.
  EXPECT_EQ(Decode(WithSpaceBetween(0.3f), -1, params).text, "ab");
  params.space_threshold = 0.2f;
  const DecodedText d = Decode(WithSpaceBetween(0.3f), -1, params);
  EXPECT_EQ(d.text, "a b");
  EXPECT_EQ(d.char_texts, (std::vector<std::string>{"a", " ", "b"}));
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(d.char_end_steps, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(d.char_scores.size(), 3u);
  EXPECT_NEAR(d.char_scores[1], 0.3f + 0.1f / (kClasses - 1), 1e-6);
  EXPECT_FLOAT_EQ(d.score, 0.9f);  // the inserted space is not part of the line score
  // Under the threshold: nothing inserted.
  EXPECT_EQ(Decode(WithSpaceBetween(0.1f), -1, params).text, "ab");
  // No space class (space_index -1): nothing inserted.
  params.space_index = -1;
  EXPECT_EQ(Decode(WithSpaceBetween(0.3f), -1, params).text, "ab");
  // A raw +inf for the space on a blank step (the blank +inf too, and first): no space with an infinite score
  // (found by test/fuzz/decode_text_fuzz.cc).
  params.space_index = 5;
  std::vector<float> inf = WithSpaceBetween(0.3f);
  inf[1 * kClasses + 0] = inf[1 * kClasses + 5] = std::numeric_limits<float>::infinity();
  const DecodedText e = Decode(inf, -1, params);
  EXPECT_EQ(e.text, "ab");
  for (float score : e.char_scores) EXPECT_TRUE(std::isfinite(score));
}

TEST(CtcGreedyDecode, SpaceThresholdOnlyBetweenCharactersAndNeverTwice) {
  CtcParams params;
  params.space_index = 5;
  params.space_threshold = 0.05f;
  // Leading and trailing blanks with a likely space: no space at either end.
  std::vector<float> ends = Steps({0, 1, 0});
  ends[0 * kClasses + 5] = 0.3f;
  ends[2 * kClasses + 5] = 0.3f;
  EXPECT_EQ(Decode(ends, -1, params).text, "a");
  // The model's own space is kept once: a _ space _ b (blank steps with a likely space around it).
  std::vector<float> own = Steps({1, 0, 5, 0, 2});
  own[1 * kClasses + 5] = 0.3f;
  own[3 * kClasses + 5] = 0.3f;
  const DecodedText d = Decode(own, -1, params);
  EXPECT_EQ(d.text, "a b");
  EXPECT_FLOAT_EQ(d.score, 0.9f);  // a, its space, b: all argmax characters
  // Adjacent characters with no blank between them: no space.
  EXPECT_EQ(Decode(Steps({1, 2}), -1, params).text, "ab");
  // A repeated character split by a blank: the space decides between "a a" and "aa".
  std::vector<float> repeat = Steps({1, 0, 1});
  EXPECT_EQ(Decode(repeat, -1, params).text, "aa");
  repeat[1 * kClasses + 5] = 0.2f;
  EXPECT_EQ(Decode(repeat, -1, params).text, "a a");
  // Padded steps are not read.
  EXPECT_EQ(Decode(WithSpaceBetween(0.3f), 1, params).text, "a");
}

TEST(CtcGreedyDecode, SpaceThresholdWithLogitsUsesTheSpaceProbability) {
  CtcParams params;
  params.apply_softmax = true;
  params.space_index = 5;
  // Logits: a, then blank 3 / space 2 / others 0, then b. P(space) = e^2 / (e^3 + e^2 + 4).
  std::vector<float> logits(3 * kClasses, 0.0f);
  logits[0 * kClasses + 1] = 5;
  logits[1 * kClasses + 0] = 3;
  logits[1 * kClasses + 5] = 2;
  logits[2 * kClasses + 2] = 5;
  const float p_space = std::exp(2.0f) / (std::exp(3.0f) + std::exp(2.0f) + 4);
  params.space_threshold = p_space - 1e-3f;
  const DecodedText d = Decode(logits, -1, params);
  EXPECT_EQ(d.text, "a b");
  EXPECT_NEAR(d.char_scores[1], p_space, 1e-5);
  params.space_threshold = p_space + 1e-3f;
  EXPECT_EQ(Decode(logits, -1, params).text, "ab");
}

TEST(CtcGreedyDecode, TrimSpacesDropsTheModelsSpacesAtBothEndsAndOutOfTheScore) {
  CtcParams params;
  params.space_index = 5;
  // space(0.5) a _ space(0.8) _ b space(0.6) space(0.6)->(run) _ : " a b " with an inner space of its own.
  const std::vector<float> probs = Steps({5, 1, 0, 5, 0, 2, 5, 5, 0}, {0.5f, 0.9f, 0.9f, 0.8f, 0.9f, 0.7f, 0.6f, 0.6f, 0.9f});
  const DecodedText kept = Decode(probs, -1, params);
  EXPECT_EQ(kept.text, " a b ");  // PaddleOCR's decoding keeps them
  params.trim_spaces = true;
  const DecodedText d = Decode(probs, -1, params);
  EXPECT_EQ(d.text, "a b");
  EXPECT_EQ(d.char_texts, (std::vector<std::string>{"a", " ", "b"}));
  EXPECT_EQ(d.char_steps, (std::vector<int>{1, 3, 5}));
  EXPECT_EQ(d.char_end_steps, (std::vector<int>{1, 3, 5}));
  ASSERT_EQ(d.char_scores.size(), 3u);
  EXPECT_FLOAT_EQ(d.score, (0.9f + 0.8f + 0.7f) / 3);  // the dropped spaces are out of the mean
  // Only spaces: empty, score 0. No space at the ends: unchanged.
  const DecodedText spaces = Decode(Steps({5, 5, 0, 5}), -1, params);
  EXPECT_EQ(spaces.text, "");
  EXPECT_TRUE(spaces.char_texts.empty());
  EXPECT_FLOAT_EQ(spaces.score, 0.0f);
  EXPECT_EQ(Decode(Steps({1, 0, 2}), -1, params).text, "ab");
  // With spaceThreshold too: an inserted space is always inside, and stays out of the score.
  params.space_threshold = 0.05f;
  std::vector<float> inserted = WithSpaceBetween(0.3f);  // a _ b with a likely space on the blank
  std::vector<float> edged = Steps({5});
  edged.insert(edged.end(), inserted.begin(), inserted.end());
  const DecodedText both = Decode(edged, -1, params);
  EXPECT_EQ(both.text, "a b");
  EXPECT_FLOAT_EQ(both.score, 0.9f);
}

TEST(CtcGreedyDecode, ClassCountMismatchIsAModelShapeError) {
  const std::vector<float> probs(2 * 7, 0.0f);
  try {
    CtcGreedyDecode(probs.data(), 2, 7, 2, SmallCharset(), {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModelShape);
    const std::string message = e.what();
    EXPECT_NE(message.find('7'), std::string::npos) << message;
    EXPECT_NE(message.find('6'), std::string::npos) << message;
    EXPECT_NE(message.find("dictionary"), std::string::npos) << message;
  }
  try {
    CtcGreedyDecode(probs.data(), 0, 0, 0, SmallCharset(), {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModelShape);
  }
}

TEST(CtcGreedyDecode, BlankIndexOutsideTheClassesIsAnError) {
  const std::vector<float> probs = Steps({1});
  CtcParams params;
  params.blank_index = kClasses;
  EXPECT_THROW(Decode(probs, -1, params), Error);
}

TEST(CtcGreedyDecode, OtherBlankIndex) {
  CtcParams params;
  params.blank_index = 5;  // " " plays the blank here; index 0 is then an ordinary class whose symbol is ""
  EXPECT_EQ(Decode(Steps({1, 5, 1, 0, 2}), -1, params).text, "aab");
}

// Plain reference: first maximum, NaN skipped, -1 when all NaN.
int NaiveArgMax(const float* row, int classes) {
  int best = -1;
  for (int c = 0; c < classes; ++c) {
    if (std::isnan(row[c])) continue;
    if (best < 0 || row[c] > row[best]) best = c;
  }
  return best;
}

TEST(CtcGreedyDecode, MatchesANaiveDecoderOnRandomRowsOfManyWidths) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> level(0, 7);  // few distinct values: many ties
  for (int classes : {1, 2, 7, 8, 9, 63, 64, 65, 127, 129, 200, 6625}) {
    SCOPED_TRACE(testing::Message() << classes << " classes");
    Charset charset;
    charset.symbols.resize(classes);
    for (int c = 1; c < classes; ++c) charset.symbols[c] = std::string(1, char('!' + c % 90));
    const int steps = 50;
    std::vector<float> probs(size_t(steps) * classes);
    for (float& p : probs) {
      const int r = level(rng);
      p = r == 7 ? kNaN : (r == 6 ? -kInf : float(r));
    }
    for (int c = 0; c < classes; ++c) probs[size_t(5) * classes + c] = kNaN;   // an all-NaN step
    for (int c = 0; c < classes; ++c) probs[size_t(6) * classes + c] = -kInf;  // an all -inf step
    probs[size_t(7) * classes + classes - 1] = 100.0f;                         // maximum in the last class
    std::string text;
    std::vector<int> kept;
    int previous = -1;
    for (int t = 0; t < steps; ++t) {
      int index = NaiveArgMax(&probs[size_t(t) * classes], classes);
      if (index < 0) index = 0;
      if (index != 0 && index != previous) {
        text += charset.symbols[index];
        kept.push_back(t);
      }
      previous = index;
    }
    const DecodedText d = CtcGreedyDecode(probs.data(), steps, classes, steps, charset, {});
    EXPECT_EQ(d.text, text);
    EXPECT_EQ(d.char_steps, kept);
  }
}

// Timing of a PP-OCRv4 batch (32 lines x 40 steps x 6625 classes); reported, and
// bounded loosely so that only a gross regression fails (sanitizer builds are slow).
TEST(CtcGreedyDecode, DecodesAPaddleOcrSizedBatchQuickly) {
  constexpr int kLines = 32, kSteps = 40, kBig = 6625;
  Charset charset;
  charset.symbols.resize(kBig);
  for (int c = 1; c < kBig; ++c) charset.symbols[c] = "x";
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(0.0f, 1e-4f);
  std::vector<float> probs(size_t(kLines) * kSteps * kBig);
  for (float& p : probs) p = uniform(rng);
  for (size_t row = 0; row < size_t(kLines) * kSteps; ++row) {
    probs[row * kBig + (row % 3 == 0 ? 0 : rng() % kBig)] = 0.9f;  // a third blanks, the rest characters
  }
  for (bool softmax : {false, true}) {
    CtcParams params;
    params.apply_softmax = softmax;
    double best_ms = 1e9;
    for (int repeat = 0; repeat < 5; ++repeat) {
      const auto start = std::chrono::steady_clock::now();
      size_t chars = 0;
      for (int line = 0; line < kLines; ++line) {
        chars += CtcGreedyDecode(probs.data() + size_t(line) * kSteps * kBig, kSteps, kBig, kSteps, charset, params)
                     .char_steps.size();
      }
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      best_ms = std::min(best_ms, ms);
      EXPECT_GT(chars, 0u);
    }
    std::printf("CtcGreedyDecode%s: %d lines x %d steps x %d classes in %.3f ms (%.1f us per line)\n",
                softmax ? " + softmax" : "", kLines, kSteps, kBig, best_ms, best_ms * 1000 / kLines);
    EXPECT_LT(best_ms, 2000.0);
  }
}

DecodedText Runs(std::vector<std::string> texts, std::vector<int> begins, std::vector<int> ends) {
  DecodedText d;
  d.char_texts = std::move(texts);
  d.char_steps = std::move(begins);
  d.char_end_steps = std::move(ends);
  return d;
}

TEST(CtcCharacterExtents, RunsWidenedUpToTheMidpointToTheNextCharacterThatIsNotASpace) {
  // "ab cd" over 20 steps: a at 2, b at 5-6, a space at 9, c at 12, d at 13 (adjacent runs).
  const auto d = Runs({"a", "b", " ", "c", "d"}, {2, 5, 9, 12, 13}, {2, 6, 9, 12, 13});
  const auto e = CtcCharacterExtents(d, 20, 0.75, 0.0);  // steps only (the pitch's share below)
  ASSERT_EQ(e.size(), 5u);
  EXPECT_DOUBLE_EQ(e[0].first, 1.25);   // nothing before: the full reach
  EXPECT_DOUBLE_EQ(e[0].second, 3.75);  // b starts at 5: the midpoint 4 is further
  EXPECT_DOUBLE_EQ(e[1].first, 4.25);
  EXPECT_DOUBLE_EQ(e[1].second, 7.75);  // the space does not bound b; c (at 12) is far
  EXPECT_DOUBLE_EQ(e[2].first, 9.0);    // the space keeps its run
  EXPECT_DOUBLE_EQ(e[2].second, 10.0);
  EXPECT_DOUBLE_EQ(e[3].first, 11.25);
  EXPECT_DOUBLE_EQ(e[3].second, 13.0);  // c and d abut at their runs' meeting point
  EXPECT_DOUBLE_EQ(e[4].first, 13.0);
  EXPECT_DOUBLE_EQ(e[4].second, 14.75);
  // Never outside the sequence; no reach: the bare runs.
  const auto edge = CtcCharacterExtents(Runs({"x"}, {0}, {3}), 4, 0.75, 0.0);
  EXPECT_DOUBLE_EQ(edge[0].first, 0.0);
  EXPECT_DOUBLE_EQ(edge[0].second, 4.0);
  const auto bare = CtcCharacterExtents(d, 20, 0.0, 0.0);
  for (size_t c = 0; c < bare.size(); ++c) {
    EXPECT_DOUBLE_EQ(bare[c].first, d.char_steps[c]);
    EXPECT_DOUBLE_EQ(bare[c].second, d.char_end_steps[c] + 1.0);
  }
  EXPECT_TRUE(CtcCharacterExtents(DecodedText{}, 10).empty());
}

TEST(CtcCharacterPitch, MedianStepDistanceBetweenCharactersReadInARow) {
  // a-b 3 steps, c-d 1 (the space's neighbours are not counted): the median of {3, 1} is 2.
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(Runs({"a", "b", " ", "c", "d"}, {2, 5, 9, 12, 13}, {2, 6, 9, 12, 13})), 2.0);
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(Runs({"a", "b", "c", "d"}, {0, 4, 9, 12}, {1, 4, 9, 13})), 4.0);  // {4, 5, 3}
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(Runs({"a", " ", "b"}, {1, 4, 8}, {1, 4, 8})), 0.0);  // no two in a row
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(Runs({"x"}, {3}, {4})), 0.0);
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(DecodedText{}), 0.0);
}

// A crop that hugs its text (a detector's, on a whole page) gives the recogniser more steps per glyph than a crop
// with margins: a reach of 0.75 steps alone then fell ~0.05 text heights short of a word's ink at both ends
// (bench/word-boxes.mjs --pages). The default reach is at least 0.4 of the line's character pitch.
TEST(CtcCharacterExtents, ReachScalesWithTheCharacterPitch) {
  // "Ab Cd" read with a pitch of 5 steps (a tight crop): 0.4 * 5 = 2 steps of reach, not 0.75.
  const auto d = Runs({"A", "b", " ", "C", "d"}, {4, 9, 14, 19, 24}, {4, 9, 14, 19, 24});
  EXPECT_DOUBLE_EQ(CtcCharacterPitch(d), 5.0);
  const auto e = CtcCharacterExtents(d, 40);
  ASSERT_EQ(e.size(), 5u);
  EXPECT_DOUBLE_EQ(e[0].first, 2.0);    // the line's first character: its run 4 less 2 steps
  EXPECT_DOUBLE_EQ(e[0].second, 7.0);   // A and b abut at the midpoint of their runs (5 and 9)
  EXPECT_DOUBLE_EQ(e[1].second, 12.0);  // b ends 2 steps past its run (C, at 19, is further)
  EXPECT_DOUBLE_EQ(e[3].first, 17.0);   // C starts 2 steps before its run
  EXPECT_DOUBLE_EQ(e[4].second, 27.0);
  // The same runs with the reach in steps only: the old extents.
  const auto steps_only = CtcCharacterExtents(d, 40, kCtcCharacterReach, 0.0);
  EXPECT_DOUBLE_EQ(steps_only[0].first, 3.25);
  EXPECT_DOUBLE_EQ(steps_only[4].second, 25.75);
  // A loose crop (a pitch of 1.5 steps: 0.6 < 0.75): the steps' reach stays.
  const auto loose = CtcCharacterExtents(Runs({"a", "b", "c"}, {2, 3, 5}, {2, 4, 5}), 10);
  EXPECT_DOUBLE_EQ(loose[0].first, 1.25);
  EXPECT_DOUBLE_EQ(loose[2].second, 6.75);
  // One character: no pitch, the steps' reach; never outside the sequence.
  const auto one = CtcCharacterExtents(Runs({"x"}, {1}, {2}), 4);
  EXPECT_DOUBLE_EQ(one[0].first, 0.25);
  EXPECT_DOUBLE_EQ(one[0].second, 3.75);
  const auto edge = CtcCharacterExtents(Runs({"a", "b"}, {1, 6}, {1, 6}), 8);  // pitch 5: reach 2
  EXPECT_DOUBLE_EQ(edge[0].first, 0.0);
  EXPECT_DOUBLE_EQ(edge[1].second, 8.0);
}

}  // namespace
}  // namespace ocr::recognize
