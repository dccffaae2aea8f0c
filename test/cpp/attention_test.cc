// Attention greedy decoding and the token conventions of the PaddleOCR and MMOCR label decoders.
#include "recognize/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "recognize/dictionaries.h"

namespace ocr::recognize {
namespace {

using Symbols = std::vector<std::string>;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

const Symbols kAbc = {"a", "b", "C", "中"};

// T x classes probabilities: step t puts `p[t]` (0.9 by default) on class
// `argmax[t]` and spreads the rest evenly over the other classes.
std::vector<float> Steps(int classes, const std::vector<int>& argmax, const std::vector<float>& p = {}) {
  std::vector<float> probs(argmax.size() * classes);
  for (size_t t = 0; t < argmax.size(); ++t) {
    const float top = p.empty() ? 0.9f : p[t];
    for (int c = 0; c < classes; ++c) probs[t * classes + c] = (1.0f - top) / (classes - 1);
    probs[t * classes + argmax[t]] = top;
  }
  return probs;
}

DecodedText Decode(const AttentionCharset& charset, const std::vector<float>& probs, const AttentionParams& params = {}) {
  const int classes = static_cast<int>(charset.size());
  return AttentionGreedyDecode(probs.data(), static_cast<int>(probs.size() / classes), classes, charset, params);
}

// The ocr::Error (expected code) message that `fn` throws.
template <typename Fn>
std::string ErrorMessage(Fn fn, ErrorCode code) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no ocr::Error thrown";
  return "";
}

// --- token conventions ------------------------------------------------------

TEST(MakeAttentionCharset, PaddleAttnIsSosCharsEos) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleAttn, kAbc);
  EXPECT_EQ(c.symbols, (Symbols{"sos", "a", "b", "C", "中", "eos"}));
  EXPECT_EQ(c.start_index, 0);
  EXPECT_EQ(c.end_index, 5);
  EXPECT_EQ(c.padding_index, -1);
  EXPECT_EQ(c.unknown_index, -1);
  EXPECT_FALSE(c.stop_at_end);  // PaddleOCR skips eos (its ignored-token test comes first)
  EXPECT_FALSE(c.lowercase);
}

TEST(MakeAttentionCharset, PaddleSarAppendsUnknownBosEosPad) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleSar, kAbc);
  EXPECT_EQ(c.symbols, (Symbols{"a", "b", "C", "中", "<UKN>", "<BOS/EOS>", "<PAD>"}));
  EXPECT_EQ(c.unknown_index, 4);
  EXPECT_EQ(c.start_index, 5);
  EXPECT_EQ(c.end_index, 5);
  EXPECT_EQ(c.padding_index, 6);
  EXPECT_TRUE(c.stop_at_end);
  EXPECT_FALSE(c.lowercase);
}

TEST(MakeAttentionCharset, PaddleNrtrPrependsFourTokensAndLowerCases) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleNrtr, kAbc);
  EXPECT_EQ(c.symbols, (Symbols{"blank", "<unk>", "<s>", "</s>", "a", "b", "C", "中"}));
  EXPECT_EQ(c.padding_index, 0);
  EXPECT_EQ(c.unknown_index, 1);
  EXPECT_EQ(c.start_index, 2);
  EXPECT_EQ(c.end_index, 3);
  EXPECT_TRUE(c.lowercase);
}

TEST(MakeAttentionCharset, PaddleAbinetPrependsEndOnly) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleAbinet, kAbc);
  EXPECT_EQ(c.symbols, (Symbols{"</s>", "a", "b", "C", "中"}));
  EXPECT_EQ(c.end_index, 0);
  EXPECT_EQ(c.start_index, -1);
  EXPECT_EQ(c.padding_index, -1);
  EXPECT_EQ(c.unknown_index, -1);
  EXPECT_TRUE(c.lowercase);
}

TEST(MakeAttentionCharset, Mmocr1DictionaryOrderIsBosEosPadUnknown) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, BuiltinDictionary("DICT90"));
  ASSERT_EQ(c.size(), 93u);
  EXPECT_EQ(c.start_index, 90);
  EXPECT_EQ(c.end_index, 90);
  EXPECT_EQ(c.padding_index, 91);
  EXPECT_EQ(c.unknown_index, 92);
  EXPECT_EQ(c.symbols[90], "<BOS/EOS>");
  EXPECT_EQ(c.symbols[91], "<PAD>");
  EXPECT_EQ(c.symbols[92], "<UKN>");
  EXPECT_EQ(c.symbols[89], "~");
}

TEST(MakeAttentionCharset, Mmocr1DictionaryFlags) {
  AttentionCharsetOptions o;
  o.same_start_end = false;
  AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, kAbc, o);
  EXPECT_EQ(c.symbols, (Symbols{"a", "b", "C", "中", "<BOS>", "<EOS>", "<PAD>", "<UKN>"}));
  EXPECT_EQ(c.start_index, 4);
  EXPECT_EQ(c.end_index, 5);
  EXPECT_EQ(c.padding_index, 6);
  EXPECT_EQ(c.unknown_index, 7);

  // The ABINet config: start/end shared, no padding, no unknown.
  o = {};
  o.with_padding = false;
  o.with_unknown = false;
  c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, kAbc, o);
  EXPECT_EQ(c.symbols, (Symbols{"a", "b", "C", "中", "<BOS/EOS>"}));
  EXPECT_EQ(c.end_index, 4);
  EXPECT_EQ(c.padding_index, -1);
  EXPECT_EQ(c.unknown_index, -1);

  // End only.
  o = {};
  o.with_start = false;
  o.with_padding = false;
  o.with_unknown = false;
  c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, kAbc, o);
  EXPECT_EQ(c.symbols, (Symbols{"a", "b", "C", "中", "<EOS>"}));
  EXPECT_EQ(c.start_index, -1);
  EXPECT_EQ(c.end_index, 4);
}

TEST(MakeAttentionCharset, Mmocr0AttnConvertorWithDict90) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocr0Attn, BuiltinDictionary("DICT90"));
  ASSERT_EQ(c.size(), 93u);
  EXPECT_EQ(c.unknown_index, 90);
  EXPECT_EQ(c.start_index, 91);
  EXPECT_EQ(c.end_index, 91);
  EXPECT_EQ(c.padding_index, 92);  // the SAR configs' padding_idx=92
  EXPECT_EQ(c.symbols[90], "<UKN>");
  EXPECT_EQ(c.symbols[91], "<BOS/EOS>");
  EXPECT_EQ(c.symbols[92], "<PAD>");

  AttentionCharsetOptions o;
  o.with_unknown = false;
  o.same_start_end = false;
  const AttentionCharset d = MakeAttentionCharset(AttentionScheme::kMmocr0Attn, kAbc, o);
  EXPECT_EQ(d.symbols, (Symbols{"a", "b", "C", "中", "<BOS/EOS>", "<BOS/EOS>", "<PAD>"}));
  EXPECT_EQ(d.unknown_index, -1);
  EXPECT_EQ(d.start_index, 4);
  EXPECT_EQ(d.end_index, 5);
  EXPECT_EQ(d.padding_index, 6);
}

TEST(MakeAttentionCharset, OmitLastClassGivesTheSatrnExportShape) {
  AttentionCharsetOptions o;
  o.omit_last_class = true;
  // MMOCR 0.x SATRN/SAR with DICT90: [1, 25, 92], <PAD> not predicted.
  const AttentionCharset c0 = MakeAttentionCharset(AttentionScheme::kMmocr0Attn, BuiltinDictionary("DICT90"), o);
  EXPECT_EQ(c0.size(), 92u);
  EXPECT_EQ(c0.padding_index, -1);
  EXPECT_EQ(c0.end_index, 91);
  EXPECT_EQ(c0.unknown_index, 90);
  // MMOCR 1.x order: the dropped class is <UKN>.
  const AttentionCharset c1 = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, BuiltinDictionary("DICT90"), o);
  EXPECT_EQ(c1.size(), 92u);
  EXPECT_EQ(c1.unknown_index, -1);
  EXPECT_EQ(c1.padding_index, 91);
  EXPECT_EQ(c1.end_index, 90);
}

TEST(MakeAttentionCharset, EmptyCharacterListIsAnError) {
  const std::string message =
      ErrorMessage([] { MakeAttentionCharset(AttentionScheme::kPaddleSar, {}); }, ErrorCode::kInvalidOption);
  EXPECT_NE(message.find("SARLabelDecode"), std::string::npos) << message;
}

// --- decoding, one test per convention ---------------------------------------

TEST(AttentionGreedyDecode, PaddleSarStopsAtBosEosAndSkipsPadding) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleSar, kAbc);  // UKN 4, BOS/EOS 5, PAD 6
  // a PAD b 中 EOS a a
  const DecodedText d = Decode(c, Steps(7, {0, 6, 1, 3, 5, 0, 0}, {0.8f, 0.9f, 0.6f, 0.7f, 0.9f, 0.9f, 0.9f}));
  EXPECT_EQ(d.text, "ab中");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(d.char_scores, (std::vector<float>{0.8f, 0.6f, 0.7f}));
  EXPECT_NEAR(d.score, (0.8f + 0.6f + 0.7f) / 3, 1e-6);
}

TEST(AttentionGreedyDecode, PaddleNrtrSkipsStartAndLowerCases) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleNrtr, kAbc);  // blank <unk> <s> </s> a b C 中
  // <s> C a blank C </s> b
  const DecodedText d = Decode(c, Steps(8, {2, 6, 4, 0, 6, 3, 5}));
  EXPECT_EQ(d.text, "cac");
  EXPECT_EQ(d.char_steps, (std::vector<int>{1, 2, 4}));
}

TEST(AttentionGreedyDecode, PaddleAbinetStopsAtIndexZero) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleAbinet, kAbc);  // </s> a b C 中
  const DecodedText d = Decode(c, Steps(5, {3, 4, 1, 0, 2}));
  EXPECT_EQ(d.text, "c中a");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2}));
}

TEST(AttentionGreedyDecode, PaddleAttnSkipsSosAndEosLikePaddleOcr) {
  AttentionCharset c = MakeAttentionCharset(AttentionScheme::kPaddleAttn, kAbc);  // sos a b C 中 eos
  const std::vector<float> probs = Steps(6, {0, 1, 5, 2, 0, 4});
  // PaddleOCR AttnLabelDecode: eos is an ignored token, so decoding goes on.
  DecodedText d = Decode(c, probs);
  EXPECT_EQ(d.text, "ab中");
  EXPECT_EQ(d.char_steps, (std::vector<int>{1, 3, 5}));
  // Stopping at eos instead.
  c.stop_at_end = true;
  d = Decode(c, probs);
  EXPECT_EQ(d.text, "a");
  EXPECT_EQ(d.char_steps, (std::vector<int>{1}));
}

TEST(AttentionGreedyDecode, Mmocr1DictionaryDecodesDict90Text) {
  const Symbols& dict90 = BuiltinDictionary("DICT90");
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, dict90);  // BOS/EOS 90, PAD 91
  // H e l l o ! PAD EOS x
  const DecodedText d = Decode(c, Steps(93, {43, 14, 21, 21, 24, 62, 91, 90, 33}));
  EXPECT_EQ(d.text, "Hello!");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(AttentionGreedyDecode, Mmocr0AttnDecodesTheSatrnExportShape) {
  AttentionCharsetOptions o;
  o.omit_last_class = true;
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocr0Attn, BuiltinDictionary("DICT90"), o);
  ASSERT_EQ(c.size(), 92u);
  // 2 0 2 4 EOS
  const DecodedText d = Decode(c, Steps(92, {2, 0, 2, 4, 91, 5}));
  EXPECT_EQ(d.text, "2024");
}

// --- decoding behaviour ---------------------------------------------------------

AttentionCharset Sar() { return MakeAttentionCharset(AttentionScheme::kPaddleSar, kAbc); }  // UKN 4, EOS 5, PAD 6
constexpr int kSarClasses = 7;

TEST(AttentionGreedyDecode, KeepsRepeatedCharactersUnlikeCtc) {
  const DecodedText d = Decode(Sar(), Steps(kSarClasses, {0, 0, 0, 1, 1, 5}));
  EXPECT_EQ(d.text, "aaabb");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(d.char_scores.size(), 5u);
}

TEST(AttentionGreedyDecode, EndAtTheFirstStepGivesEmptyText) {
  const DecodedText d = Decode(Sar(), Steps(kSarClasses, {5, 0, 1}));
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.score, 0.0f);
  EXPECT_TRUE(d.char_scores.empty());
  EXPECT_TRUE(d.char_steps.empty());
}

TEST(AttentionGreedyDecode, ZeroStepsGiveEmptyText) {
  const DecodedText d = AttentionGreedyDecode(nullptr, 0, kSarClasses, Sar(), {});
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.score, 0.0f);
  EXPECT_EQ(AttentionGreedyDecode(nullptr, -2, kSarClasses, Sar(), {}).text, "");
}

TEST(AttentionGreedyDecode, WithoutAnEndTokenEveryStepIsDecoded) {
  // Maximum length: 25 steps, none of them the end token.
  std::vector<int> argmax(25);
  std::string expected;
  for (int t = 0; t < 25; ++t) {
    argmax[t] = t % 4;
    expected += kAbc[t % 4];
  }
  const DecodedText d = Decode(Sar(), Steps(kSarClasses, argmax));
  EXPECT_EQ(d.text, expected);
  EXPECT_EQ(d.char_steps.size(), 25u);
  EXPECT_EQ(d.char_steps.back(), 24);
  EXPECT_FLOAT_EQ(d.score, 0.9f);
}

TEST(AttentionGreedyDecode, StartAndPaddingTokensAreSkippedWithoutScore) {
  AttentionCharsetOptions o;
  o.same_start_end = false;  // <BOS> 4, <EOS> 5, <PAD> 6, <UKN> 7
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, kAbc, o);
  const DecodedText d = Decode(c, Steps(8, {4, 0, 6, 6, 1, 4, 5, 2}, {0.3f, 0.5f, 0.4f, 0.4f, 0.7f, 0.3f, 0.9f, 0.9f}));
  EXPECT_EQ(d.text, "ab");
  EXPECT_EQ(d.char_steps, (std::vector<int>{1, 4}));
  EXPECT_NEAR(d.score, 0.6f, 1e-6);  // 0.3 and 0.4 of the skipped tokens do not count
}

TEST(AttentionGreedyDecode, UnknownTokenPolicies) {
  const std::vector<float> probs = Steps(kSarClasses, {0, 4, 1, 5}, {0.8f, 0.2f, 0.6f, 0.9f});  // a UKN b EOS
  AttentionParams params;
  DecodedText d = Decode(Sar(), probs, params);  // default: the token's own name, as the references do
  EXPECT_EQ(d.text, "a<UKN>b");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2}));
  EXPECT_NEAR(d.score, (0.8f + 0.2f + 0.6f) / 3, 1e-6);

  params.unknown = UnknownPolicy::kSkip;
  d = Decode(Sar(), probs, params);
  EXPECT_EQ(d.text, "ab");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 2}));
  EXPECT_NEAR(d.score, 0.7f, 1e-6);

  params.unknown = UnknownPolicy::kReplace;
  params.unknown_replacement = "\xEF\xBF\xBD";  // U+FFFD
  d = Decode(Sar(), probs, params);
  EXPECT_EQ(d.text, "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 2}));

  // PaddleOCR NRTR: "<unk>", and lower-casing applies to the whole text.
  const AttentionCharset nrtr = MakeAttentionCharset(AttentionScheme::kPaddleNrtr, kAbc);
  EXPECT_EQ(Decode(nrtr, Steps(8, {6, 1, 3})).text, "c<unk>");
}

TEST(AttentionGreedyDecode, LogitsWithSoftmaxDecodeLikeProbabilities) {
  std::mt19937 rng(11);
  std::normal_distribution<float> noise(0.0f, 2.0f);
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMmocrDictionary, BuiltinDictionary("DICT36"));
  const int classes = static_cast<int>(c.size());  // 39
  const int steps = 30;
  std::vector<float> logits(size_t(steps) * classes), probs(logits.size());
  for (int t = 0; t < steps; ++t) {
    float* row = &logits[size_t(t) * classes];
    for (int k = 0; k < classes; ++k) row[k] = noise(rng);
    row[c.end_index] = -10.0f;  // never the end: every step counts
    float max_value = row[0];
    for (int k = 1; k < classes; ++k) max_value = std::max(max_value, row[k]);
    double sum = 0;
    for (int k = 0; k < classes; ++k) sum += std::exp(double(row[k]) - max_value);
    for (int k = 0; k < classes; ++k) probs[size_t(t) * classes + k] = float(std::exp(double(row[k]) - max_value) / sum);
  }
  AttentionParams softmax;
  softmax.apply_softmax = true;
  const DecodedText from_logits = Decode(c, logits, softmax);
  const DecodedText from_probs = Decode(c, probs);
  ASSERT_GT(from_probs.text.size(), 20u);
  EXPECT_EQ(from_logits.text, from_probs.text);
  EXPECT_EQ(from_logits.char_steps, from_probs.char_steps);
  ASSERT_EQ(from_logits.char_scores.size(), from_probs.char_scores.size());
  for (size_t i = 0; i < from_probs.char_scores.size(); ++i) {
    EXPECT_NEAR(from_logits.char_scores[i], from_probs.char_scores[i], 1e-5);
  }
  EXPECT_NEAR(from_logits.score, from_probs.score, 1e-5);
}

TEST(AttentionGreedyDecode, SoftmaxIsStableForLargeLogits) {
  std::vector<float> logits(kSarClasses, 1000.0f);  // exp(1000) overflows without the max shift
  logits[1] = 1001.0f;
  logits.resize(2 * kSarClasses, 0.0f);
  logits[kSarClasses + 5] = 50.0f;  // second step: the end token
  AttentionParams softmax;
  softmax.apply_softmax = true;
  const DecodedText d = Decode(Sar(), logits, softmax);
  EXPECT_EQ(d.text, "b");
  EXPECT_NEAR(d.score, std::exp(1.0) / (std::exp(1.0) + 6), 1e-6);
}

TEST(AttentionGreedyDecode, NaNNeverWinsAndAnAllNaNStepIsSkipped) {
  std::vector<float> probs = Steps(kSarClasses, {0, 1, 2, 1, 5});
  probs[0 * kSarClasses + 3] = kNaN;  // step 0: NaN beside the "a"
  probs[1 * kSarClasses + 1] = kNaN;  // step 1: the "b" itself is NaN: the next best wins
  probs[1 * kSarClasses + 3] = 0.5f;  // ... 中
  for (int k = 0; k < kSarClasses; ++k) probs[2 * kSarClasses + k] = kNaN;  // step 2: all NaN
  probs[3 * kSarClasses + 0] = kNaN;  // step 3: NaN in the first class
  const DecodedText d = Decode(Sar(), probs);
  EXPECT_EQ(d.text, "a中b");
  EXPECT_EQ(d.char_steps, (std::vector<int>{0, 1, 3}));
  EXPECT_FLOAT_EQ(d.char_scores[1], 0.5f);
  EXPECT_TRUE(std::isfinite(d.score));

  // Softmax over logits leaves NaN terms out of the sum.
  const std::vector<float> logits = {0.0f, 2.0f, kNaN, 0.0f, -kInf, 0.0f, 0.0f};
  AttentionParams softmax;
  softmax.apply_softmax = true;
  const DecodedText s = Decode(Sar(), logits, softmax);
  EXPECT_EQ(s.text, "b");
  EXPECT_NEAR(s.score, std::exp(2.0) / (std::exp(2.0) + 4), 1e-6);

  // A row of NaN only: nothing at all.
  const std::vector<float> nan_row(kSarClasses, kNaN);
  EXPECT_EQ(Decode(Sar(), nan_row).text, "");
  EXPECT_EQ(Decode(Sar(), nan_row, softmax).score, 0.0f);
}

TEST(AttentionGreedyDecode, InfinitiesDoNotPoisonTheScore) {
  std::vector<float> probs = Steps(kSarClasses, {0, 1, 5});
  probs[1 * kSarClasses + 2] = kInf;  // step 1: +inf on "C"
  DecodedText d = Decode(Sar(), probs);
  EXPECT_EQ(d.text, "aC");
  EXPECT_EQ(d.char_scores[1], 0.0f);
  EXPECT_TRUE(std::isfinite(d.score));

  AttentionParams softmax;
  softmax.apply_softmax = true;
  d = Decode(Sar(), probs, softmax);
  EXPECT_EQ(d.text, "aC");
  EXPECT_FLOAT_EQ(d.char_scores[1], 1.0f);  // the limit of softmax at +inf

  // A row of -inf only: the first class, probability 1/C after softmax.
  const std::vector<float> all_neg_inf(kSarClasses, -kInf);
  d = Decode(Sar(), all_neg_inf, softmax);
  EXPECT_EQ(d.text, "a");
  EXPECT_NEAR(d.score, 1.0f / kSarClasses, 1e-6);
}

TEST(AttentionGreedyDecode, FirstMaximumWinsTies) {
  std::vector<float> probs(kSarClasses, 0.0f);
  probs[1] = 0.4f;
  probs[5] = 0.4f;  // tie between "b" and the end token: "b" comes first
  EXPECT_EQ(Decode(Sar(), probs).text, "b");
  probs[0] = 0.4f;
  EXPECT_EQ(Decode(Sar(), probs).text, "a");
}

TEST(AttentionGreedyDecode, ClassCountMismatchIsAModelShapeError) {
  const std::vector<float> probs(2 * 8, 0.1f);
  const std::string message = ErrorMessage(
      [&] { AttentionGreedyDecode(probs.data(), 2, 8, Sar(), {}); }, ErrorCode::kModelShape);
  EXPECT_NE(message.find("8 classes"), std::string::npos) << message;
  EXPECT_NE(message.find("gives 7"), std::string::npos) << message;
  ErrorMessage([&] { AttentionGreedyDecode(probs.data(), 0, 0, Sar(), {}); }, ErrorCode::kModelShape);
}

TEST(AttentionGreedyDecode, SpecialIndexOutsideTheClassesIsAnError) {
  const std::vector<float> probs = Steps(kSarClasses, {0});
  AttentionCharset c = Sar();
  c.end_index = kSarClasses;
  std::string message = ErrorMessage([&] { Decode(c, probs); }, ErrorCode::kInvalidOption);
  EXPECT_NE(message.find("end index 7"), std::string::npos) << message;
  c = Sar();
  c.unknown_index = -2;
  message = ErrorMessage([&] { Decode(c, probs); }, ErrorCode::kInvalidOption);
  EXPECT_NE(message.find("unknown index -2"), std::string::npos) << message;
}


TEST(MakeAttentionCharset, MindocrAttnIsGoStopChars) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMindocrAttn, kAbc);
  EXPECT_EQ(c.symbols, (Symbols{"<GO>", "<STOP>", "a", "b", "C", "中"}));
  EXPECT_EQ(c.start_index, 0);
  EXPECT_EQ(c.end_index, 1);
  EXPECT_EQ(c.padding_index, -1);
  EXPECT_EQ(c.unknown_index, -1);
  EXPECT_TRUE(c.require_end);
}

TEST(MakeAttentionCharset, MindocrMasterIsGoStopPadCharsUnknown) {
  // MindOCR master_resnet31: 90 characters -> 94 classes (GO 0, STOP 1, PAD 2, chars 3..92, UNKNOWN 93).
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMindocrMaster, BuiltinDictionary("DICT90"));
  ASSERT_EQ(c.size(), 94u);
  EXPECT_EQ(c.start_index, 0);
  EXPECT_EQ(c.end_index, 1);
  EXPECT_EQ(c.padding_index, 2);
  EXPECT_EQ(c.unknown_index, 93);
  EXPECT_EQ(c.symbols[3], "0");
  EXPECT_FALSE(c.require_end);
  AttentionCharsetOptions no_unknown;
  no_unknown.with_unknown = false;
  EXPECT_EQ(MakeAttentionCharset(AttentionScheme::kMindocrMaster, kAbc, no_unknown).size(), 7u);
}

TEST(AttentionGreedyDecode, MindocrAttnNeedsAStop) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMindocrAttn, kAbc);
  // a b STOP a -> "ab"
  EXPECT_EQ(Decode(c, Steps(6, {2, 3, 1, 2})).text, "ab");
  // no STOP within the steps: MindOCR's RecAttnLabelDecode gives "" and score 0
  const DecodedText none = Decode(c, Steps(6, {2, 3, 3, 2}));
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(none.score, 0.0f);
  EXPECT_TRUE(none.char_scores.empty());
}

TEST(AttentionGreedyDecode, MindocrMasterSkipsPaddingAndStops) {
  const AttentionCharset c = MakeAttentionCharset(AttentionScheme::kMindocrMaster, kAbc);
  // GO a PAD C UNKNOWN STOP b -> "aC<UNKNOWN>"
  EXPECT_EQ(Decode(c, Steps(8, {0, 3, 2, 5, 7, 1, 4})).text, "aC<UNKNOWN>");
}

}  // namespace
}  // namespace ocr::recognize
