// Built-in dictionaries (MMOCR DICT36/37/90/91, MindOCR en_dict) and the class-count check.
#include "recognize/dictionaries.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace ocr::recognize {
namespace {

using Symbols = std::vector<std::string>;

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

std::string Joined(const Symbols& symbols) {
  std::string out;
  for (const std::string& s : symbols) out += s;
  return out;
}

TEST(BuiltinDictionary, ExactSizes) {
  EXPECT_EQ(BuiltinDictionary("DICT36").size(), 36u);
  EXPECT_EQ(BuiltinDictionary("DICT37").size(), 37u);
  EXPECT_EQ(BuiltinDictionary("DICT90").size(), 90u);
  EXPECT_EQ(BuiltinDictionary("DICT91").size(), 91u);
  EXPECT_EQ(BuiltinDictionary("en_dict").size(), 94u);
}

TEST(BuiltinDictionary, MmocrOrder) {
  EXPECT_EQ(Joined(BuiltinDictionary("DICT36")), "0123456789abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(Joined(BuiltinDictionary("DICT37")), "0123456789abcdefghijklmnopqrstuvwxyz ");
  EXPECT_EQ(Joined(BuiltinDictionary("DICT90")),
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]_`~");
  EXPECT_EQ(Joined(BuiltinDictionary("DICT91")), Joined(BuiltinDictionary("DICT90")) + " ");
  const Symbols& d90 = BuiltinDictionary("DICT90");
  EXPECT_EQ(d90[0], "0");
  EXPECT_EQ(d90[10], "a");
  EXPECT_EQ(d90[36], "A");
  EXPECT_EQ(d90[61], "Z");
  EXPECT_EQ(d90[62], "!");
  EXPECT_EQ(d90[76], "/");
  EXPECT_EQ(d90[84], "[");
  EXPECT_EQ(d90[85], "\\");
  EXPECT_EQ(d90[89], "~");
  EXPECT_EQ(BuiltinDictionary("DICT91")[90], " ");
  EXPECT_EQ(BuiltinDictionary("DICT37")[36], " ");
  // DICT90 has 28 symbols, none of ^ { | } (nor space).
  for (const char* absent : {"^", "{", "|", "}", " "}) {
    EXPECT_EQ(std::set<std::string>(d90.begin(), d90.end()).count(absent), 0u) << absent;
  }
}

TEST(BuiltinDictionary, MindOcrEnDictOrder) {
  const Symbols& en = BuiltinDictionary("en_dict");
  EXPECT_EQ(en[0], "0");
  EXPECT_EQ(en[9], "9");
  EXPECT_EQ(en[10], ":");
  EXPECT_EQ(en[17], "A");
  EXPECT_EQ(en[42], "Z");
  EXPECT_EQ(en[49], "a");
  EXPECT_EQ(en[78], "~");
  EXPECT_EQ(en[79], "!");
  EXPECT_EQ(en[93], "/");
  // Printable ASCII without space: 0x30-0x7E, then 0x21-0x2F.
  std::string expected;
  for (char c = 0x30; c <= 0x7E; ++c) expected += c;
  for (char c = 0x21; c <= 0x2F; ++c) expected += c;
  EXPECT_EQ(Joined(en), expected);
}

TEST(BuiltinDictionary, EntriesAreSingleDistinctCharacters) {
  for (const std::string& name : BuiltinDictionaryNames()) {
    const Symbols& d = BuiltinDictionary(name);
    EXPECT_EQ(std::set<std::string>(d.begin(), d.end()).size(), d.size()) << name;
    for (const std::string& s : d) EXPECT_EQ(s.size(), 1u) << name;
  }
}

TEST(BuiltinDictionary, ReturnsTheSameListEachTime) {
  EXPECT_EQ(&BuiltinDictionary("DICT90"), &BuiltinDictionary("DICT90"));
}

TEST(BuiltinDictionary, NamesInOrder) {
  EXPECT_EQ(BuiltinDictionaryNames(), (Symbols{"DICT36", "DICT37", "DICT90", "DICT91", "en_dict"}));
}

TEST(BuiltinDictionary, UnknownNameListsTheKnownNames) {
  for (const char* name : {"DICT92", "dict36", "EN_DICT", ""}) {
    const std::string message = ErrorMessage([&] { BuiltinDictionary(name); }, ErrorCode::kInvalidOption);
    EXPECT_NE(message.find(std::string("'") + name + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("DICT36, DICT37, DICT90, DICT91, en_dict"), std::string::npos) << message;
  }
}

TEST(AsciiLower, LowersOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Hello, WORLD 09@[`{"), "hello, world 09@[`{");
  EXPECT_EQ(AsciiLower("ÀB中Z"), "Àb中z");  // multi-byte UTF-8 untouched
  EXPECT_EQ(AsciiLower(""), "");
}

// --- class-count check ------------------------------------------------------

TEST(CheckAttentionClassCount, MatchingCountsPass) {
  const Symbols& d90 = BuiltinDictionary("DICT90");
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kMmocr0Attn, d90, {}, 93, "DICT90"));
  AttentionCharsetOptions omit;
  omit.omit_last_class = true;
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kMmocr0Attn, d90, omit, 92, "DICT90"));
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kPaddleAttn, d90, {}, 92, "DICT90"));
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kPaddleNrtr, d90, {}, 94, "DICT90"));
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kPaddleAbinet, d90, {}, 91, "DICT90"));
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kPaddleSar, d90, {}, 93, "DICT90"));
  EXPECT_NO_THROW(CheckAttentionClassCount(AttentionScheme::kMmocrDictionary, d90, {}, 93, "DICT90"));
}

TEST(CheckAttentionClassCount, OneFewerNamesTheTokensAndOmitLastClass) {
  // An MMOCR 0.x SATRN export ([1, 25, 92]) checked without omit_last_class.
  const std::string message = ErrorMessage(
      [] { CheckAttentionClassCount(AttentionScheme::kMmocr0Attn, BuiltinDictionary("DICT90"), {}, 92, "DICT90"); },
      ErrorCode::kModelShape);
  EXPECT_NE(message.find("dictionary DICT90"), std::string::npos) << message;
  EXPECT_NE(message.find("MMOCR 0.x AttnConvertor"), std::string::npos) << message;
  EXPECT_NE(message.find("90 characters + 3 special tokens"), std::string::npos) << message;
  EXPECT_NE(message.find("<UKN> at 90, <BOS/EOS> at 91, <PAD> at 92"), std::string::npos) << message;
  EXPECT_NE(message.find("= 93"), std::string::npos) << message;
  EXPECT_NE(message.find("the model outputs 92"), std::string::npos) << message;
  EXPECT_NE(message.find("omit_last_class"), std::string::npos) << message;
}

TEST(CheckAttentionClassCount, OneMoreHintsAtTheMissingSpace) {
  // A PaddleOCR SAR model trained with use_space_char (DICT90 + space) given DICT90.
  const std::string message = ErrorMessage(
      [] { CheckAttentionClassCount(AttentionScheme::kPaddleSar, BuiltinDictionary("DICT90"), {}, 94, "DICT90"); },
      ErrorCode::kModelShape);
  EXPECT_NE(message.find("expected classes = 90 characters + 3 special tokens"), std::string::npos) << message;
  EXPECT_NE(message.find("the model outputs 94"), std::string::npos) << message;
  EXPECT_NE(message.find("space character"), std::string::npos) << message;
  EXPECT_NE(message.find("built-in DICT90 + space, DICT91"), std::string::npos) << message;
}

TEST(CheckAttentionClassCount, SuggestsABuiltinDictionaryOfTheRightSize) {
  // An NRTR model over DICT36 given DICT90: 36 + 4 = 40 classes.
  const std::string message = ErrorMessage(
      [] { CheckAttentionClassCount(AttentionScheme::kPaddleNrtr, BuiltinDictionary("DICT90"), {}, 40, "my.txt"); },
      ErrorCode::kModelShape);
  EXPECT_NE(message.find("dictionary my.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("blank at 0, <unk> at 1, <s> at 2, </s> at 3"), std::string::npos) << message;
  EXPECT_NE(message.find("fits 36 characters: built-in DICT36"), std::string::npos) << message;
  EXPECT_NE(message.find("not the one the model was trained with"), std::string::npos) << message;
  EXPECT_EQ(message.find("space character"), std::string::npos) << message;  // not off by one

  // en_dict + space (MindOCR use_space_char): 95 characters + ABINet's 1 token.
  const std::string en = ErrorMessage(
      [] { CheckAttentionClassCount(AttentionScheme::kPaddleAbinet, BuiltinDictionary("DICT36"), {}, 96, "DICT36"); },
      ErrorCode::kModelShape);
  EXPECT_NE(en.find("en_dict + space"), std::string::npos) << en;
}

}  // namespace
}  // namespace ocr::recognize
