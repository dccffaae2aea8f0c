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
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(ErrorCode::kModelLoad, "dictionary file not found: " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw Error(ErrorCode::kModelLoad, "cannot read dictionary file: " + path);
  return ParseDictionaryLines(text.str(), path);
}

}  // namespace ocr::recognize
