// The end-to-end pipeline: detect -> crop -> [classify] -> recognise -> order,
// with the crops of every image of a call pooled into shared recognition batches.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/error.h"
#include "pipeline/detector.h"
#include "pipeline/line_classifier.h"
#include "pipeline/page_classifier.h"
#include "pipeline/recognizer.h"

namespace ocr::pipeline {

struct OcrParams {
  preprocess::DetResizeParams resize;
  detect::DbParams db;
  bool use_page_classifier = false;   // document orientation (needs a page classifier model)
  float page_threshold = 0.0f;        // turn the page only when the winning score is at least this
  bool use_line_classifier = false;
  LineClassifyOptions line_classifier;
  RecognizeOptions recognize;
  float text_score_threshold = 0.5f;  // PaddleOCR drop_score
  float row_tolerance = 10.0f;        // reading order: same row when TL.y differ by less
  float rotate_ratio = 1.5f;          // crops this much taller than wide are read rotated
  bool character_boxes = false;       // CTC: a quad per character from its alignment (OcrLine::char_quads)
};

// What a call asked of the models, to compare configurations and systems by
// work rather than by time: detector input pixels, and the crops read with
// the recognition input columns they occupied (each crop its batch's padded
// width) and of those the columns its text filled (the rest is padding).
struct OcrWork {
  int64_t detection_pixels = 0;
  int64_t recognition_crops = 0;  // before the text score threshold drops any line
  int64_t recognition_columns = 0;
  int64_t recognition_text_columns = 0;
  void Add(const CropColumns& c) {
    ++recognition_crops;
    recognition_columns += c.input;
    recognition_text_columns += c.text;
  }
};

struct OcrTimes {
  StageTimes detection;  // decode, det preprocess, det inference, det postprocess
  double crop_ms = 0;
  double page_classifier_ms = 0;
  double classifier_ms = 0;
  RecognizeTimes recognition;  // this image's share of the pooled batches (by crop count)
  OcrWork work;                // this image's own (exact, also when its crops were pooled)
};

struct OcrLine {
  Quad quad;
  float box_score = 0;
  int angle = 0;  // 0 or 180 (text-line classifier)
  recognize::DecodedText text;
  std::vector<Quad> char_quads;  // with OcrParams::character_boxes and a CTC recogniser: one per character
  bool rotated = false;  // the crop was turned 90 degrees (a tall box): characters run from corner 0 towards 3
};

struct OcrImageResult {
  cv::Size image_size;
  std::vector<OcrLine> lines;  // reading order, lines under the text threshold dropped; boxes in the given frame
  PageOrientation page;        // the page's orientation (angle 0 when not classified or not turned)
  OcrTimes times;
  std::optional<Error> error;  // this image failed; the others are unaffected
};

// One image waiting for the pipeline: decoded already, failed to decode, or
// (with `load`) decoded by the pipeline when its turn comes, so a batch holds
// one decoded image at a time rather than all of them.
struct OcrInput {
  cv::Mat image;
  double decode_ms = 0;
  std::optional<Error> error;
  std::function<cv::Mat()> load;  // throws ocr::Error for an image that cannot be read
};

class OcrPipeline {
 public:
  // The text-line classifier, loaded when first needed: most engines never
  // turn it on, and loading it takes ~20 ms of an engine's start.
  using LineClassifierLoader = std::function<std::shared_ptr<const LineClassifier>()>;

  // `page_classifier` may be null (no document orientation model).
  // `classifier` null: `load_classifier` loads it the first time a call turns
  // the classifier on (a failed load fails that call and is tried again by
  // the next); both null: there is none.
  OcrPipeline(std::shared_ptr<const Detector> detector, std::shared_ptr<const Recognizer> recognizer,
              std::shared_ptr<const LineClassifier> classifier,
              std::shared_ptr<const PageClassifier> page_classifier = nullptr,
              LineClassifierLoader load_classifier = nullptr);

  std::vector<OcrImageResult> Run(std::vector<OcrInput>& inputs, const OcrParams& params, CancelToken* cancel) const;

  // Recognition alone on pre-cut line or word images (no detection); with
  // the text-line classifier on, `angles` (optional) gets each crop's turn.
  std::vector<recognize::DecodedText> RecognizeCrops(std::vector<cv::Mat>& crops, const OcrParams& params,
                                                     CancelToken* cancel, OcrTimes* times,
                                                     std::vector<int>* angles = nullptr) const;

 private:
  struct CropSource;
  struct Prepared;
  std::shared_ptr<const LineClassifier> Classifier() const;  // null when there is none
  // Decodes (when deferred), turns upright and detects inputs[index], and
  // appends its crops and where they came from.
  void Prepare(size_t index, OcrInput& input, const OcrParams& params, CancelToken* cancel, OcrImageResult& result,
               Prepared& out, std::vector<cv::Mat>& crops, std::vector<CropSource>& sources) const;

  std::shared_ptr<const Detector> detector_;
  std::shared_ptr<const Recognizer> recognizer_;
  std::shared_ptr<const PageClassifier> page_classifier_;
  LineClassifierLoader load_classifier_;
  mutable std::mutex classifier_mutex_;
  mutable std::shared_ptr<const LineClassifier> classifier_;  // under classifier_mutex_
};

}  // namespace ocr::pipeline
