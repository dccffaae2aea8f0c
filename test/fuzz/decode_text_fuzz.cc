// Recognition decoding (recognize/ctc.h, attention.h) on arbitrary score
// tensors, NaN and infinities included (a recogniser model a user brings can
// write anything), and dictionary text (recognize/charset.h: a file a user
// names). The result must hang together: one entry per kept character in
// every per-character list, the text their concatenation, steps inside the
// sequence, every score finite; a dictionary gives entries or a typed error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "map_values.h"
#include "recognize/attention.h"
#include "recognize/charset.h"
#include "recognize/ctc.h"

namespace {

// Class names, multi-byte UTF-8 and a space among them.
const char* const kSymbols[] = {"a", "b", " ", "\xe4\xb8\xad", "1", "\xc3\xa9", "-", "Z", "\xf0\x9f\x98\x80", "."};

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckDecoded(const ocr::recognize::DecodedText& out, int valid_steps) {
  const size_t n = out.char_texts.size();
  Check(out.char_scores.size() == n && out.char_steps.size() == n);
  Check(out.char_end_steps.empty() || out.char_end_steps.size() == n);
  std::string text;
  for (const std::string& c : out.char_texts) text += c;
  Check(text == out.text);
  Check(std::isfinite(out.score));
  for (size_t k = 0; k < n; ++k) {
    Check(std::isfinite(out.char_scores[k]));
    Check(out.char_steps[k] >= 0 && out.char_steps[k] < valid_steps);
    if (!out.char_end_steps.empty()) {
      Check(out.char_end_steps[k] >= out.char_steps[k] && out.char_end_steps[k] < valid_steps);
    }
  }
}

void FuzzCtc(const uint8_t* data, size_t size) {
  if (size < 4) return;
  const int classes = 2 + data[0] % 10, steps = data[1] % 40, valid = data[2] % 48;
  const uint8_t flags = data[3];
  data += 4;
  size -= 4;
  ocr::recognize::Charset charset;
  charset.symbols.push_back("");
  for (int c = 1; c < classes; ++c) charset.symbols.push_back(kSymbols[(c + flags) % 10]);
  ocr::recognize::CtcParams params;
  params.blank_index = flags & 1 ? classes - 1 : 0;
  params.apply_softmax = flags & 2;
  params.trim_spaces = flags & 4;
  params.space_threshold = flags & 8 ? 0.02f : 0.0f;
  params.space_index = flags & 16 ? classes - 2 : -1;
  std::vector<float> scores(size_t(steps) * classes, 0.0f);
  for (size_t k = 0; k < scores.size() && k < size; ++k) scores[k] = ocr::fuzz::MapValue(data[k], 2.0f, -0.5f);
  const auto out = ocr::recognize::CtcGreedyDecode(scores.data(), steps, classes, valid, charset, params);
  CheckDecoded(out, std::min(valid, steps));
}

void FuzzAttention(const uint8_t* data, size_t size) {
  if (size < 4) return;
  const int characters = 1 + data[0] % 8, steps = data[1] % 30;
  const uint8_t flags = data[2];
  const auto scheme = static_cast<ocr::recognize::AttentionScheme>(data[3] % 8);
  data += 4;
  size -= 4;
  std::vector<std::string> dictionary;
  for (int c = 0; c < characters; ++c) dictionary.push_back(kSymbols[c]);
  ocr::recognize::AttentionCharsetOptions options;
  options.with_start = flags & 1;
  options.with_end = flags & 2;
  options.same_start_end = flags & 4;
  options.with_padding = flags & 8;
  options.with_unknown = flags & 16;
  options.omit_last_class = flags & 32;
  const auto charset = ocr::recognize::MakeAttentionCharset(scheme, dictionary, options);
  ocr::recognize::AttentionParams params;
  params.apply_softmax = flags & 64;
  params.unknown = static_cast<ocr::recognize::UnknownPolicy>((flags >> 6) % 3);
  // Usually the charset's own class count; sometimes one off (a model that does not match throws).
  const int classes = static_cast<int>(charset.size()) + (size > 0 && data[0] == 255 ? 1 : 0);
  std::vector<float> scores(size_t(steps) * classes, 0.0f);
  for (size_t k = 0; k < scores.size() && k < size; ++k) scores[k] = ocr::fuzz::MapValue(data[k], 2.0f, -0.5f);
  const auto out = ocr::recognize::AttentionGreedyDecode(scores.data(), steps, classes, charset, params);
  CheckDecoded(out, steps);
}

void FuzzDictionary(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto entries = ocr::recognize::ParseDictionaryLines(text, "fuzz.txt");
  Check(!entries.empty());
  std::set<std::string> seen;
  for (const std::string& e : entries) {
    Check(!e.empty() && e.find('\n') == std::string::npos && seen.insert(e).second);
  }
  int blank = -1;
  const auto charset = ocr::recognize::MakeCtcCharset(entries, size % 2, size % 3 == 0, &blank);
  Check(blank >= 0 && static_cast<size_t>(blank) < charset.size());
  Check(charset.size() == entries.size() + 1 + size % 2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  try {
    switch (data[0] % 3) {
      case 0: FuzzCtc(data + 1, size - 1); break;
      case 1: FuzzAttention(data + 1, size - 1); break;
      default: FuzzDictionary(data + 1, size - 1); break;
    }
  } catch (const ocr::Error&) {
    // a typed error: a class count that does not match, an unusable dictionary
  }
  return 0;
}
