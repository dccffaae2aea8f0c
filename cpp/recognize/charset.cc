// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py BaseRecLabelDecode (2.7): dictionary
// lines, " " appended when use_space_char, CTCLabelDecode puts "blank" first.
#include "recognize/charset.h"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/error.h"

namespace ocr::recognize {

Charset ParseCharset(const std::string& text, bool use_space_char, const std::string& source_name) {
  Charset charset;
  charset.symbols.emplace_back("");  // CTC blank
  std::unordered_map<std::string, size_t> seen;
  std::istringstream lines(text);
  std::string line;
  size_t number = 0;
  std::vector<std::string> entries;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    entries.push_back(line);
  }
  // A final empty line (text ending in a line break) is not an entry.
  if (!entries.empty() && entries.back().empty()) entries.pop_back();
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    if (entry.empty()) {
      throw Error(ErrorCode::kModelLoad,
                  "dictionary " + source_name + ": line " + std::to_string(i + 1) + " is empty");
    }
    auto [it, inserted] = seen.emplace(entry, i + 1);
    if (!inserted) {
      throw Error(ErrorCode::kModelLoad, "dictionary " + source_name + ": line " + std::to_string(i + 1) +
                                             " repeats line " + std::to_string(it->second) + " ('" + entry + "')");
    }
    charset.symbols.push_back(entry);
  }
  if (entries.empty()) throw Error(ErrorCode::kModelLoad, "dictionary " + source_name + " has no characters");
  if (use_space_char) charset.symbols.emplace_back(" ");
  return charset;
}

Charset LoadCharset(const std::string& path, bool use_space_char) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kModelLoad, "dictionary file not found: '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCharset(text.str(), use_space_char, "'" + path + "'");
}

}  // namespace ocr::recognize
