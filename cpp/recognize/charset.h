// Character sets of CTC recognisers (index 0 is the CTC blank).
#pragma once

#include <string>
#include <vector>

namespace ocr::recognize {

// PaddleOCR CTCLabelDecode (ppocr/postprocess/rec_postprocess.py, 2.7):
// classes = ["blank"] + dictionary lines (+ " " when use_space_char).
struct Charset {
  std::vector<std::string> symbols;  // UTF-8; symbols[0] is the blank ("")
  size_t size() const { return symbols.size(); }
};

// The entries of a dictionary text: one entry (UTF-8; usually one character,
// several code points allowed) per line, "\n" or "\r\n" line ends; one empty
// final line (a final line break) is ignored, as is a leading UTF-8 BOM. No
// blank or space is added. Throws ocr::Error(kModelLoad) naming `source_name`
// when there are no entries, an empty line, or a duplicate entry (messages
// name the 1-based line numbers). PaddleOCR's ppocr_keys_v1.txt has 6623
// distinct lines.
std::vector<std::string> ParseDictionaryLines(const std::string& text, const std::string& source_name);

// Reads a dictionary file's entries (rules as ParseDictionaryLines). Throws
// ocr::Error(kModelLoad) when the file is missing or unreadable.
std::vector<std::string> LoadDictionaryLines(const std::string& path);

// A CTC class table: `characters` (+ " " when use_space_char) with the blank
// ("") first (PaddleOCR, MindOCR: index 0) or last (MMOCR 1.x CTC
// dictionaries, blank = number of characters). `blank_index` gets its index.
Charset MakeCtcCharset(const std::vector<std::string>& characters, bool use_space_char, bool blank_last,
                       int* blank_index);

}  // namespace ocr::recognize
