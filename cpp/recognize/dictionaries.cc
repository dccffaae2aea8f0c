// Reference: MMOCR convertors/base.py BaseConvertor.dicts (0.x) and dicts/english_digits_symbols*.txt (1.x);
// MindOCR mindocr/utils/dict/en_dict.txt.
#include "recognize/dictionaries.h"

#include <algorithm>
#include <utility>

#include "core/error.h"

namespace ocr::recognize {
namespace {

constexpr char kDigitsLower[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr char kUpperSymbols[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]_`~";
constexpr char kEnDict[] =
    "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~!\"#$%&'()*+,-./";

std::vector<std::string> Characters(const std::string& chars) {
  std::vector<std::string> out;
  out.reserve(chars.size());
  for (char c : chars) out.emplace_back(1, c);
  return out;
}

struct Builtin {
  std::string name;
  std::vector<std::string> characters;
};

const std::vector<Builtin>& Builtins() {
  static const std::vector<Builtin> builtins = {
      {"DICT36", Characters(kDigitsLower)},
      {"DICT37", Characters(std::string(kDigitsLower) + " ")},
      {"DICT90", Characters(std::string(kDigitsLower) + kUpperSymbols)},
      {"DICT91", Characters(std::string(kDigitsLower) + kUpperSymbols + " ")},
      {"en_dict", Characters(kEnDict)},
  };
  return builtins;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// "<UKN> at 90, <BOS/EOS> at 91, <PAD> at 92" (start == end listed once).
std::string SpecialTokens(const AttentionCharset& charset) {
  std::vector<int> indices;
  for (int index : {charset.start_index, charset.end_index, charset.padding_index, charset.unknown_index}) {
    if (index >= 0 && std::find(indices.begin(), indices.end(), index) == indices.end()) indices.push_back(index);
  }
  std::sort(indices.begin(), indices.end());
  std::string out;
  for (int index : indices) {
    out += (out.empty() ? "" : ", ") + charset.symbols[index] + " at " + std::to_string(index);
  }
  return out.empty() ? "none" : out;
}

// Built-in dictionaries with `size` characters, also counting one appended space.
std::string BuiltinsOfSize(long size) {
  std::vector<std::string> names;
  for (const Builtin& b : Builtins()) {
    const long n = static_cast<long>(b.characters.size());
    if (n == size) names.push_back(b.name);
    const bool has_space = b.characters.back() == " ";
    if (!has_space && n + 1 == size) names.push_back(b.name + " + space");
  }
  return JoinNames(names);
}

std::string Hint(long difference, long characters_needed) {
  std::string hint;
  if (difference == 1) {
    hint = " The model has one class more: the dictionary may lack the space character (use_space_char, or "
           "DICT37/DICT91 rather than DICT36/DICT90).";
  } else if (difference == -1) {
    hint = " The model has one class fewer: the dictionary may hold a space character the model lacks, or the model "
           "omits its last class (MMOCR SAR, RobustScanner, 0.x NRTR/SATRN decoders: set omit_last_class).";
  }
  const std::string fits = characters_needed > 0 ? BuiltinsOfSize(characters_needed) : "";
  if (!fits.empty()) {
    hint += " The model's count fits " + std::to_string(characters_needed) + " characters: built-in " + fits + ".";
  }
  return hint + " Otherwise the dictionary is not the one the model was trained with.";
}

}  // namespace

const std::vector<std::string>& BuiltinDictionaryNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Builtin& b : Builtins()) out.push_back(b.name);
    return out;
  }();
  return names;
}

const std::vector<std::string>& BuiltinDictionary(const std::string& name) {
  for (const Builtin& b : Builtins()) {
    if (b.name == name) return b.characters;
  }
  throw Error(ErrorCode::kInvalidOption, "dictionary: unknown built-in dictionary '" + name + "', expected one of " +
                                             JoinNames(BuiltinDictionaryNames()) + " (names are case-sensitive)");
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void CheckAttentionClassCount(AttentionScheme scheme, const std::vector<std::string>& characters,
                              const AttentionCharsetOptions& options, int model_classes,
                              const std::string& dictionary_name) {
  const AttentionCharset charset = MakeAttentionCharset(scheme, characters, options);
  const long expected = static_cast<long>(charset.size());
  if (model_classes == expected) return;
  const long chars = static_cast<long>(characters.size());
  const long specials = expected - chars;
  throw Error(ErrorCode::kModelShape,
              "dictionary " + dictionary_name + " does not match the recognition model (" +
                  AttentionSchemeName(scheme) + "): expected classes = " + std::to_string(chars) + " characters + " +
                  std::to_string(specials) + " special tokens (" + SpecialTokens(charset) +
                  ") = " + std::to_string(expected) + ", but the model outputs " + std::to_string(model_classes) +
                  "." + Hint(model_classes - expected, model_classes - specials));
}

}  // namespace ocr::recognize
