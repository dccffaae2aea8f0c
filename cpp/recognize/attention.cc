// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py AttnLabelDecode, SARLabelDecode, NRTRLabelDecode,
// ABINetLabelDecode (2.7); MMOCR 1.x AttentionPostprocessor + Dictionary; MMOCR 0.x AttnConvertor.
#include "recognize/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"
#include "recognize/dictionaries.h"
#include "recognize/step_max.h"

namespace ocr::recognize {
namespace {

void CheckIndex(int index, int classes, const char* what) {
  if (index < -1 || index >= classes) {
    throw Error(ErrorCode::kInvalidOption, std::string("attention ") + what + " index " + std::to_string(index) +
                                               " is outside the " + std::to_string(classes) + " classes");
  }
}

void CheckShape(int classes, const AttentionCharset& charset) {
  if (classes <= 0 || static_cast<size_t>(classes) != charset.size()) {
    throw Error(ErrorCode::kModelShape, "the recognition model outputs " + std::to_string(classes) +
                                            " classes but the dictionary gives " + std::to_string(charset.size()) +
                                            " (characters + special tokens): the dictionary does not match the "
                                            "model");
  }
  CheckIndex(charset.start_index, classes, "start");
  CheckIndex(charset.end_index, classes, "end");
  CheckIndex(charset.padding_index, classes, "padding");
  CheckIndex(charset.unknown_index, classes, "unknown");
}

enum class StepAction { kSkip, kStop, kKeep };

StepAction Classify(int index, const AttentionCharset& charset, const AttentionParams& params) {
  if (index < 0 || index == charset.padding_index) return StepAction::kSkip;
  if (index == charset.end_index) return charset.stop_at_end ? StepAction::kStop : StepAction::kSkip;
  if (index == charset.start_index) return StepAction::kSkip;
  if (index == charset.unknown_index && params.unknown == UnknownPolicy::kSkip) return StepAction::kSkip;
  return StepAction::kKeep;
}

const std::string& SymbolOf(int index, const AttentionCharset& charset, const AttentionParams& params) {
  if (index == charset.unknown_index && params.unknown == UnknownPolicy::kReplace) return params.unknown_replacement;
  return charset.symbols[index];
}

}  // namespace

DecodedText AttentionGreedyDecode(const float* scores, int steps, int classes, const AttentionCharset& charset,
                                  const AttentionParams& params) {
  CheckShape(classes, charset);
  DecodedText out;
  double sum = 0;
  std::vector<float> shifted(params.apply_softmax ? std::max(classes, 0) : 0);  // softmax scratch
  bool ended = false;
  for (int t = 0; t < std::max(steps, 0); ++t) {
    const float* row = scores + static_cast<size_t>(t) * classes;
    const StepMax best = ArgMax(row, classes);
    const StepAction action = Classify(best.index, charset, params);
    if (action == StepAction::kStop) {
      ended = true;
      break;
    }
    if (action == StepAction::kSkip) continue;
    float p = params.apply_softmax ? SoftmaxOfMax(row, classes, best.value, shifted.data()) : best.value;
    if (!std::isfinite(p)) p = 0.0f;  // raw +-inf "probabilities" must not poison the mean
    out.text += SymbolOf(best.index, charset, params);
    out.char_texts.push_back(SymbolOf(best.index, charset, params));
    out.char_scores.push_back(p);
    out.char_steps.push_back(t);
    sum += p;
  }
  if (charset.require_end && !ended) return DecodedText{};
  if (charset.lowercase) {
    out.text = AsciiLower(out.text);
    for (std::string& c : out.char_texts) c = AsciiLower(c);
  }
  out.score = out.char_scores.empty() ? 0.0f : static_cast<float>(sum / out.char_scores.size());
  return out;
}

const char* AttentionSchemeName(AttentionScheme scheme) {
  switch (scheme) {
    case AttentionScheme::kPaddleAttn:
      return "PaddleOCR AttnLabelDecode";
    case AttentionScheme::kPaddleSar:
      return "PaddleOCR SARLabelDecode";
    case AttentionScheme::kPaddleNrtr:
      return "PaddleOCR NRTRLabelDecode";
    case AttentionScheme::kPaddleAbinet:
      return "PaddleOCR ABINetLabelDecode";
    case AttentionScheme::kMmocrDictionary:
      return "MMOCR 1.x Dictionary";
    case AttentionScheme::kMmocr0Attn:
      return "MMOCR 0.x AttnConvertor";
    case AttentionScheme::kMindocrAttn:
      return "MindOCR RecAttnLabelDecode";
    case AttentionScheme::kMindocrMaster:
      return "MindOCR RecMasterLabelDecode";
  }
  return "unknown attention scheme";
}

namespace {

// Appends `token` to the table and returns its index.
int Append(AttentionCharset& charset, const std::string& token) {
  charset.symbols.push_back(token);
  return static_cast<int>(charset.symbols.size()) - 1;
}

// PaddleOCR: [prefix tokens] + characters + [suffix tokens].
AttentionCharset PaddleCharset(AttentionScheme scheme, const std::vector<std::string>& characters) {
  AttentionCharset c;
  const int n = static_cast<int>(characters.size());
  switch (scheme) {
    case AttentionScheme::kPaddleAttn:  // [sos] + chars + [eos]; eos skipped, not a stop (see the header)
      c.symbols.push_back("sos");
      c.symbols.insert(c.symbols.end(), characters.begin(), characters.end());
      c.symbols.push_back("eos");
      c.start_index = 0;
      c.end_index = n + 1;
      c.stop_at_end = false;
      break;
    case AttentionScheme::kPaddleSar:  // chars + [<UKN>, <BOS/EOS>, <PAD>]
      c.symbols = characters;
      c.unknown_index = Append(c, "<UKN>");
      c.start_index = c.end_index = Append(c, "<BOS/EOS>");
      c.padding_index = Append(c, "<PAD>");
      break;
    case AttentionScheme::kPaddleNrtr:  // [blank, <unk>, <s>, </s>] + chars
      c.symbols = {"blank", "<unk>", "<s>", "</s>"};
      c.symbols.insert(c.symbols.end(), characters.begin(), characters.end());
      c.padding_index = 0;
      c.unknown_index = 1;
      c.start_index = 2;
      c.end_index = 3;
      c.lowercase = true;
      break;
    default:  // kPaddleAbinet: [</s>] + chars
      c.symbols.push_back("</s>");
      c.symbols.insert(c.symbols.end(), characters.begin(), characters.end());
      c.end_index = 0;
      c.lowercase = true;
      break;
  }
  return c;
}

// MMOCR 1.x Dictionary._update_dict: start/end, padding, unknown, each when flagged.
AttentionCharset Mmocr1Charset(const std::vector<std::string>& characters, const AttentionCharsetOptions& o) {
  AttentionCharset c;
  c.symbols = characters;
  if (o.with_start && o.with_end && o.same_start_end) {
    c.start_index = c.end_index = Append(c, "<BOS/EOS>");
  } else {
    if (o.with_start) c.start_index = Append(c, "<BOS>");
    if (o.with_end) c.end_index = Append(c, "<EOS>");
  }
  if (o.with_padding) c.padding_index = Append(c, "<PAD>");
  if (o.with_unknown) c.unknown_index = Append(c, "<UKN>");
  return c;
}

// MMOCR 0.x AttnConvertor.update_dict (start_end_same_char = true): <UKN>, <BOS/EOS> (x2 when
// start_end_same is false), <PAD>.
AttentionCharset Mmocr0Charset(const std::vector<std::string>& characters, const AttentionCharsetOptions& o) {
  AttentionCharset c;
  c.symbols = characters;
  if (o.with_unknown) c.unknown_index = Append(c, "<UKN>");
  c.start_index = c.end_index = Append(c, "<BOS/EOS>");
  if (!o.same_start_end) c.end_index = Append(c, "<BOS/EOS>");
  c.padding_index = Append(c, "<PAD>");
  return c;
}

// MindOCR: [<GO>, <STOP>(, <PAD>)] + characters (+ [<UNKNOWN>]).
AttentionCharset MindocrCharset(AttentionScheme scheme, const std::vector<std::string>& characters,
                                const AttentionCharsetOptions& o) {
  AttentionCharset c;
  c.start_index = Append(c, "<GO>");
  c.end_index = Append(c, "<STOP>");
  if (scheme == AttentionScheme::kMindocrMaster) c.padding_index = Append(c, "<PAD>");
  c.symbols.insert(c.symbols.end(), characters.begin(), characters.end());
  if (scheme == AttentionScheme::kMindocrMaster && o.with_unknown) c.unknown_index = Append(c, "<UNKNOWN>");
  c.require_end = scheme == AttentionScheme::kMindocrAttn;
  return c;
}

// Drops the last class; the special index that pointed at it becomes -1.
void OmitLastClass(AttentionCharset& c) {
  const int last = static_cast<int>(c.symbols.size()) - 1;
  c.symbols.pop_back();
  for (int* index : {&c.start_index, &c.end_index, &c.padding_index, &c.unknown_index}) {
    if (*index == last) *index = -1;
  }
}

}  // namespace

AttentionCharset MakeAttentionCharset(AttentionScheme scheme, const std::vector<std::string>& characters,
                                      const AttentionCharsetOptions& options) {
  if (characters.empty()) {
    throw Error(ErrorCode::kInvalidOption,
                std::string("the dictionary of a ") + AttentionSchemeName(scheme) + " model has no characters");
  }
  AttentionCharset c;
  if (scheme == AttentionScheme::kMmocrDictionary) {
    c = Mmocr1Charset(characters, options);
  } else if (scheme == AttentionScheme::kMmocr0Attn) {
    c = Mmocr0Charset(characters, options);
  } else if (scheme == AttentionScheme::kMindocrAttn || scheme == AttentionScheme::kMindocrMaster) {
    c = MindocrCharset(scheme, characters, options);
  } else {
    c = PaddleCharset(scheme, characters);
  }
  if (options.omit_last_class) OmitLastClass(c);
  return c;
}

}  // namespace ocr::recognize
