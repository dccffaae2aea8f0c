// Greedy decoding of attention (encoder-decoder) recognisers, and the token
// conventions (where the start, end, padding and unknown tokens sit among the
// classes) of the PaddleOCR and MMOCR label decoders.
//
// Special-token indices for a dictionary of N characters (checked with the
// search tool against each project's source; "-" = no such token):
//
//   scheme            classes                     start  end    padding unknown lower  source
//   kPaddleAttn       [sos] + chars + [eos]       0      N+1    -       -       no     PaddleOCR 2.6/2.7 ppocr/postprocess/
//                                                                                        rec_postprocess.py AttnLabelDecode
//   kPaddleSar        chars + [<UKN>, <BOS/EOS>,  N+1    N+1    N+2     N       no     same file, SARLabelDecode
//                     <PAD>]
//   kPaddleNrtr       [blank, <unk>, <s>, </s>]   2      3      0       1       yes    same file, NRTRLabelDecode
//                     + chars                                   (blank)
//   kPaddleAbinet     [</s>] + chars              -      0      -       -       yes    same file, ABINetLabelDecode
//                                                                                        (inherits NRTR's decode)
//   kMmocrDictionary  chars + [<BOS/EOS>, <PAD>,  N      N      N+1     N+2     no     MMOCR 1.x mmocr/models/common/
//                     <UKN>] (flags below)                                               dictionary/dictionary.py
//   kMmocr0Attn       chars + [<UKN>, <BOS/EOS>,  N+1    N+1    N+2     N       no     MMOCR 0.x mmocr/models/textrecog/
//                     <PAD>]                                                             convertors/attn.py AttnConvertor
//   kMindocrAttn      [<GO>, <STOP>] + chars      0      1      -       -       no     MindOCR mindocr/postprocess/
//                                                                                        rec_postprocess.py RecAttnLabelDecode
//   kMindocrMaster    [<GO>, <STOP>, <PAD>]       0      1      2       N+3     no     same file, RecMasterLabelDecode
//                     + chars + [<UNKNOWN>]                                              (use_unknown_char; with_unknown)
//
// MindOCR's RecAttnLabelDecode returns "" (score 0) when no <STOP> is
// predicted within the steps (require_end); MindOCR checked at
// rec_postprocess.py 136fd24f.
// Checked at: PaddleOCR rec_postprocess.py commit 0002349 (2.6/2.7 era; the
// 2.0-era file, commit 56cbbdf, had no SAR/NRTR/ABINet and collapsed repeats in
// AttnLabelDecode); MMOCR dictionary.py a83f716, attn_postprocessor.py 21e2150,
// textrec_inferencer.py 2fff4ed (1.x); MMOCR convertors/attn.py 1be664d and
// decoders/sar_decoder.py 1a0a9a7 (0.x).
//
// MMOCR 1.x Dictionary appends, in this order and only when its flag is set:
// <BOS/EOS> (with_start && with_end && same_start_end; else <BOS> then <EOS>),
// <PAD> (with_padding), <UKN> (with_unknown). The table shows every flag set
// (the SAR/NRTR/SATRN/MASTER configs). MMOCR 0.x AttnConvertor appends <UKN>
// (with_unknown, default true), <BOS/EOS> (twice when start_end_same is false),
// then <PAD> always: DICT90 gives <UKN> 90, <BOS/EOS> 91, <PAD> 92.
// MMOCR's SAR decoders (0.x sar_decoder.py, and the RobustScanner-family
// decoders) predict all classes but the last (`pred_num_classes =
// num_classes - 1`, "ignore padding"): an MMOCR 0.x SAR export with DICT90
// has 92 outputs (<PAD> dropped), as does the SATRN export in REFERENCE.md
// ([1, 25, 92]; its decoder was not re-checked). With MMOCR 1.x's order the
// dropped class would be <UKN>. AttentionCharsetOptions::omit_last_class
// builds that table.
//
// Line score. PaddleOCR (all the decoders above): np.mean of the kept steps'
// max probabilities. MMOCR 1.x: AttentionPostprocessor keeps per-character
// scores and TextRecInferencer reports np.mean of them (0.x AttnConvertor also
// returns per-character scores; its callers' mean was not re-checked). Both
// give NaN for an empty result; here it is 0, as in ctc.h.
//
// Deliberate differences (judgement over the letter of the references):
// - PaddleOCR AttnLabelDecode (2.x) tests its ignored tokens [sos, eos] before
//   its `== end_idx: break`, so eos is skipped, never a stop, and characters
//   after it are kept. kPaddleAttn reproduces that (stop_at_end = false);
//   set stop_at_end to stop there instead. A model trained with its label
//   encoder predicts sos (ignored) after eos, so both usually agree.
// - PaddleOCR NRTR/ABINet append every non-end token's name to the text
//   ("blank", "<s>"); here start and padding tokens are skipped.
// - Lower-casing (PaddleOCR NRTR/ABINet: Python str.lower) is ASCII-only here.
// - NaN never wins the argmax (numpy/torch would pick it); see below.
#pragma once

#include <string>
#include <vector>

#include "recognize/ctc.h"

namespace ocr::recognize {

// The classes of an attention recogniser and where its special tokens are.
struct AttentionCharset {
  std::vector<std::string> symbols;  // UTF-8, one per class (special tokens by their names)
  int start_index = -1;              // skipped; -1: none
  int end_index = -1;                // stops decoding (see stop_at_end); -1: none (decode every step)
  int padding_index = -1;            // skipped; -1: none
  int unknown_index = -1;            // see UnknownPolicy; -1: none
  bool stop_at_end = true;           // false: the end token is skipped like the start token
  bool lowercase = false;            // lower-case the whole decoded text (ASCII letters), tokens included
  bool require_end = false;          // no end token within the steps: empty text (MindOCR RecAttnLabelDecode)
  size_t size() const { return symbols.size(); }
};

// What a step whose argmax is the unknown token contributes.
enum class UnknownPolicy {
  kSymbol,   // the unknown token's own name (PaddleOCR SAR/NRTR and MMOCR emit it: "<UKN>", "<unk>")
  kSkip,     // nothing; its probability leaves the score too (MMOCR ignore_chars=['unknown'])
  kReplace,  // AttentionParams::unknown_replacement
};

struct AttentionParams {
  bool apply_softmax = false;  // true when the model outputs raw logits per step
  UnknownPolicy unknown = UnknownPolicy::kSymbol;
  std::string unknown_replacement = "?";  // used with UnknownPolicy::kReplace
};

// Decodes one sequence: `scores` points at T x C row-major values, one row per
// decoder step. Per step, argmax (the first maximum; NaN never wins); padding
// and start tokens are skipped; the end token stops (not included); a step
// whose every value is NaN contributes nothing and does not stop. Repeated
// characters are kept ("aa"), unlike CTC. char_scores/char_steps hold each
// kept step's probability (softmax of the maximum when apply_softmax;
// non-finite values count as 0) and index; score = their mean, 0 when empty.
// Throws ocr::Error(kModelShape) when C != charset.size() (or C <= 0), and
// ocr::Error(kInvalidOption) when a special index lies outside the classes.
DecodedText AttentionGreedyDecode(const float* scores, int steps, int classes, const AttentionCharset& charset,
                                  const AttentionParams& params);

// Token conventions of the label decoders (see the table above).
enum class AttentionScheme {
  kPaddleAttn,        // PaddleOCR AttnLabelDecode (RARE)
  kPaddleSar,         // PaddleOCR SARLabelDecode
  kPaddleNrtr,        // PaddleOCR NRTRLabelDecode
  kPaddleAbinet,      // PaddleOCR ABINetLabelDecode
  kMmocrDictionary,   // MMOCR 1.x Dictionary (+ AttentionPostprocessor)
  kMmocr0Attn,        // MMOCR 0.x AttnConvertor
  kMindocrAttn,       // MindOCR RecAttnLabelDecode (RARE)
  kMindocrMaster,     // MindOCR RecMasterLabelDecode (MASTER)
};

// Name of a scheme as used in messages, e.g. "PaddleOCR SARLabelDecode".
const char* AttentionSchemeName(AttentionScheme scheme);

// Flags of the MMOCR schemes (PaddleOCR schemes ignore all but omit_last_class).
// Defaults: the MMOCR attention configs (SAR, NRTR, SATRN, MASTER).
struct AttentionCharsetOptions {
  bool with_start = true;       // 1.x only (0.x always has a start token)
  bool with_end = true;         // 1.x only
  bool same_start_end = true;   // 1.x same_start_end; 0.x start_end_same
  bool with_padding = true;     // 1.x only (0.x always appends <PAD>)
  bool with_unknown = true;     // 1.x and 0.x with_unknown; MindOCR MASTER use_unknown_char
  bool omit_last_class = false; // the model predicts every class but the last (see above)
};

// The classes of `scheme` for `characters` (one entry per dictionary line,
// space included when the model has it). Throws ocr::Error(kInvalidOption)
// when `characters` is empty.
AttentionCharset MakeAttentionCharset(AttentionScheme scheme, const std::vector<std::string>& characters,
                                      const AttentionCharsetOptions& options = {});

}  // namespace ocr::recognize
