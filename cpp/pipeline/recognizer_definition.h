// What a recognition model is: its input size policy and normalisation, the
// layout of its output and the decoder (with its token conventions) that turns
// it into text. lib/models/recognizer-definitions.ts holds the built-in
// definitions and validates every value; this is the typed form the core runs on.
#pragma once

#include <string>
#include <vector>

#include "preprocess/rec_preprocess.h"
#include "recognize/attention.h"

namespace ocr::pipeline {

enum class RecDecoderKind { kCtc, kAttention };

// Where the characters come from: a file (one per line), a built-in list
// (recognize/dictionaries.h), the model's own metadata (a key whose value
// holds the characters, one per line; RapidOCR/PaddleOCR exports use
// "character"), or the characters themselves, one per line (e.g. read from a
// PaddleX inference.yml).
struct DictionarySource {
  enum class Kind { kFile, kBuiltin, kMetadata, kText } kind = Kind::kFile;
  std::string value;            // path, built-in name, metadata key, or the lines
  bool use_space_char = true;   // append " " after the entries
  // When set and the model's metadata holds this key, its characters win
  // over `value` (a model that carries its dictionary knows it best; an
  // explicitly given dictionary leaves this empty).
  std::string prefer_metadata;
};

struct RecognizerDefinition {
  std::string name = "PP-OCRv4";
  preprocess::RecResizeParams input;  // size policy, colour order, normalisation, padding
  bool time_major = false;            // output [T,N,C] instead of [N,T,C]
  bool logits = false;                // output raw scores: softmax is applied to the kept maxima
  RecDecoderKind decoder = RecDecoderKind::kCtc;
  // CTC
  bool ctc_blank_last = false;  // blank after the characters (MMOCR 1.x) instead of index 0
  bool mask_padding = false;    // decode only the steps covering the crop (MMOCR CTCPostProcessor)
  // Attention
  recognize::AttentionScheme scheme = recognize::AttentionScheme::kPaddleAttn;
  recognize::AttentionCharsetOptions charset_options;
  int stop_at_end = -1;  // -1: the scheme's own rule; 0/1 override
  recognize::UnknownPolicy unknown = recognize::UnknownPolicy::kSymbol;
  // Both
  bool lowercase = false;  // lower-case decoded text (ASCII), for models trained on lower-case labels
};

}  // namespace ocr::pipeline
