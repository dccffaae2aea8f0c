// Built-in character lists of the English recognisers, and the check of a
// dictionary against a model's class count.
//
//   name     size  entries (in order)                                     source
//   DICT36   36    0-9 a-z                                                MMOCR mmocr/models/textrecog/convertors/
//   DICT37   37    DICT36 + " "                                           base.py BaseConvertor.dicts (0.x);
//   DICT90   90    0-9 a-z A-Z !"#$%&'()*+,-./:;<=>?@[\]_`~               1.x dicts/english_digits_symbols.txt
//   DICT91   91    DICT90 + " "                                           (and _space.txt), same order
//   en_dict  94    0-9 :;<=>?@ A-Z [\]^_` a-z {|}~ !"#$%&'()*+,-./         MindOCR mindocr/utils/dict/en_dict.txt
//                  (printable ASCII 0x30-0x7E, then 0x21-0x2F; no space)
// Checked at: MMOCR convertors/base.py 23458f8, dicts/english_digits_symbols_
// space.txt d43c62b; MindOCR en_dict.txt 17a03bf.
//
// MindOCR's ch_dict.txt is PaddleOCR's ppocr_keys_v1.txt (6623 lines; MindOCR's
// dict/READMD.md: "The dictionaries are adopted from ppocr"): not built in;
// read it with LoadDictionaryLines (charset.h).
// The space character is appended by the caller when the model has it
// (PaddleOCR/MindOCR use_space_char), except in DICT37/DICT91 which hold it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "recognize/attention.h"

namespace ocr::recognize {

// The built-in list `name` ("DICT36", "DICT37", "DICT90", "DICT91", "en_dict";
// case-sensitive), one ASCII character per entry. Throws
// ocr::Error(kInvalidOption) naming the known dictionaries for any other name.
const std::vector<std::string>& BuiltinDictionary(const std::string& name);

// The names BuiltinDictionary accepts, in the order above.
const std::vector<std::string>& BuiltinDictionaryNames();

// `text` with ASCII A-Z lowered; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

// Checks that `scheme`'s classes for `characters` (see MakeAttentionCharset)
// number `model_classes`. Throws ocr::Error(kModelShape) otherwise, with a
// message naming `dictionary_name`, the expected count as characters +
// special tokens (each named with its index), the model's count and the likely
// cause (a missing or extra space character, a model that omits its last
// class, or a built-in dictionary whose size would fit).
void CheckAttentionClassCount(AttentionScheme scheme, const std::vector<std::string>& characters,
                              const AttentionCharsetOptions& options, int model_classes,
                              const std::string& dictionary_name);

}  // namespace ocr::recognize
