// Text recognition stage: crops -> batches sorted by aspect ratio -> text, for
// any recogniser a RecognizerDefinition describes (CTC or attention).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "pipeline/recognizer_definition.h"
#include "preprocess/rec_preprocess.h"
#include "recognize/attention.h"
#include "recognize/charset.h"
#include "recognize/ctc.h"
#include "runtime/session.h"

namespace ocr::pipeline {

struct RecognizeTimes {
  double preprocess_ms = 0;  // summed over the threads running batches
  double inference_ms = 0;   // wall time during which at least one session run was in progress
  double decode_ms = 0;      // summed over the threads running batches
};

// One crop's share of the recognition input: the columns of the run it
// occupied (its batch's padded width) and the columns its text filled (its
// resized width; the rest is padding).
struct CropColumns {
  int input = 0;
  int text = 0;
};

struct RecognizeOptions {
  int batch_size = 6;          // crops per session run (PaddleOCR rec_batch_num)
  bool mask_padding = false;   // CTC: decode only the steps covering the crop (MMOCR); PaddleOCR decodes all
  // Most input columns (crops x padded batch width) in one session run. A
  // batch wider than this runs in several runs of fewer crops at the SAME
  // padded width, so every crop sees exactly the input PaddleOCR gives it;
  // only the peak activation memory of very wide batches drops. 0: no limit.
  int max_run_columns = 0;
  // CTC with a space class: write a space between two characters where the
  // space reached this probability while the blank won (not PaddleOCR; 0 off).
  float space_threshold = 0.0f;
  // CTC: drop spaces read before a line's first or after its last other
  // character (not PaddleOCR; OcrPipeline sets it with DB end_padding, whose
  // added margin the model reads as a space).
  bool trim_spaces = false;
};

// The characters of a dictionary source, read from its file, the built-in
// lists or `session`'s metadata (the preferred metadata key first, if set). Throws ocr::Error(kModelLoad) when missing,
// empty or with duplicate entries.
std::vector<std::string> LoadDictionary(const DictionarySource& source, const runtime::Session& session);

class Recognizer {
 public:
  // Checks the model against the definition (input rank/type/fixed sizes,
  // output rank and class count against the dictionary) with one warm-up run.
  // `parallel_runs` > 1: up to that many batches run at once, each on its own
  // thread (the calling one and parallel_runs - 1 started per call); meant for
  // a single-threaded CPU session, whose runs scale with cores far better than
  // one multi-threaded run of a small recognition batch does.
  Recognizer(std::shared_ptr<const runtime::Session> session, RecognizerDefinition definition,
             const std::vector<std::string>& characters, bool use_space_char, int parallel_runs = 1);

  // Recognises BGR crops; results in input order. Crops are sorted by aspect
  // ratio and grouped in batches (PaddleOCR's TextRecognizer order); each
  // batch's result depends only on its own crops, so running batches in
  // parallel changes no output.
  std::vector<recognize::DecodedText> Recognize(const std::vector<cv::Mat>& crops,
                                                const RecognizeOptions& options, CancelToken* cancel,
                                                RecognizeTimes* times,
                                                std::vector<CropColumns>* columns = nullptr) const;

  // What a result with `non_finite` set says: the output, and `what` (the crop) the model failed on.
  std::string NonFiniteMessage(const std::string& what) const;

  const RecognizerDefinition& definition() const { return definition_; }
  int parallel_runs() const { return parallel_runs_; }

 private:
  struct Job;        // one session run: crops [first, first + count) of the sorted order at one width
  struct RunClock;   // wall time covered by runs in progress
  void RunJob(const Job& job, const std::vector<cv::Mat>& crops, const std::vector<int>& order,
              const RecognizeOptions& options, CancelToken* cancel, RunClock& clock, std::vector<float>& input,
              std::vector<float>& sequence, std::vector<recognize::DecodedText>& results, RecognizeTimes& times,
              std::vector<CropColumns>* columns) const;
  void CheckModel();
  void WarmUp();
  void CheckOutput(const runtime::Tensor& out, int batch) const;
  void CheckScores(const runtime::Tensor& out) const;
  recognize::DecodedText Decode(const float* scores, int steps, int classes, int valid_steps,
                                const RecognizeOptions& options) const;

  std::shared_ptr<const runtime::Session> session_;
  RecognizerDefinition definition_;
  std::vector<std::string> characters_;     // the dictionary's entries (+ space)
  recognize::Charset charset_;              // CTC
  recognize::CtcParams ctc_;                // CTC
  recognize::AttentionCharset attention_;   // attention
  recognize::AttentionParams attention_params_;
  int fixed_batch_ = 0;                     // the model's fixed batch dimension, 0 when dynamic
  int parallel_runs_ = 1;
  bool use_space_char_ = false;
};

}  // namespace ocr::pipeline
