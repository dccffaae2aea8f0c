// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py BaseRecLabelDecode + CTCLabelDecode (2.7).
#include "recognize/charset.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/error.h"

namespace ocr::recognize {
namespace {

constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// Lines of `text` split at "\n", each without a trailing "\r". A text ending
// in a line break yields no empty last line (that line is not an entry).
std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = text.compare(0, 3, kUtf8Bom) == 0 ? 3 : 0;  // an editor's BOM is not part of a character
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    begin = end + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// Byte offset of the first ill-formed UTF-8 sequence in `s` (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF), or npos when there is none.
size_t InvalidUtf8At(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string::npos;
}

std::string LineError(const std::string& source_name, size_t line, const std::string& what) {
  return "dictionary " + source_name + ": line " + std::to_string(line) + " " + what;
}

}  // namespace

std::vector<std::string> ParseDictionaryLines(const std::string& text, const std::string& source_name) {
  std::vector<std::string> lines = SplitLines(text);
  if (lines.empty()) throw Error(ErrorCode::kModelLoad, "dictionary " + source_name + " has no characters");
  std::unordered_map<std::string, size_t> first_line;
  first_line.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& entry = lines[i];
    if (entry.empty()) throw Error(ErrorCode::kModelLoad, LineError(source_name, i + 1, "is empty"));
    // Another encoding (GB18030, Latin-1) would come out as U+FFFD or wrong characters in every text read.
    if (const size_t bad = InvalidUtf8At(entry); bad != std::string::npos) {
      throw Error(ErrorCode::kModelLoad, LineError(source_name, i + 1, "is not UTF-8 (byte " + std::to_string(bad + 1) +
                                                                          "): save the dictionary as UTF-8"));
    }
    if (entry.find('\0') != std::string::npos) {
      throw Error(ErrorCode::kModelLoad, LineError(source_name, i + 1, "holds a NUL character"));
    }
    auto [it, inserted] = first_line.emplace(entry, i + 1);
    if (!inserted) {
      throw Error(ErrorCode::kModelLoad,
                  LineError(source_name, i + 1, "repeats line " + std::to_string(it->second) + " ('" + entry + "')"));
    }
  }
  return lines;
}

Charset MakeCtcCharset(const std::vector<std::string>& characters, bool use_space_char, bool blank_last,
                       int* blank_index) {
  Charset charset;
  charset.symbols.reserve(characters.size() + 2);
  if (!blank_last) charset.symbols.emplace_back("");  // CTC blank
  charset.symbols.insert(charset.symbols.end(), characters.begin(), characters.end());
  if (use_space_char) charset.symbols.emplace_back(" ");
  if (blank_last) charset.symbols.emplace_back("");
  if (blank_index) *blank_index = blank_last ? static_cast<int>(charset.symbols.size()) - 1 : 0;
  return charset;
}

std::vector<std::string> LoadDictionaryLines(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) throw Error(ErrorCode::kModelLoad, "dictionary file not found: " + path);
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorCode::kModelLoad, "dictionary path is not a regular file: " + path);
  }
  // The largest dictionaries in use hold tens of thousands of characters (under 1 MB): a bigger file is not one,
  // and would be read whole into memory first.
  constexpr std::uintmax_t kMaxBytes = 64u << 20;
  if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes) {
    throw Error(ErrorCode::kModelLoad, "dictionary file " + path + " is " + std::to_string(size) +
                                           " bytes, more than the limit of " + std::to_string(kMaxBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw Error(ErrorCode::kModelLoad, "cannot read dictionary file: " + path);
  return ParseDictionaryLines(text.str(), path);
}

}  // namespace ocr::recognize
