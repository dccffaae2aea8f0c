#include "pipeline/ocr.h"

#include "core/stopwatch.h"
#include "image/crop.h"
#include "pipeline/reading_order.h"

namespace ocr::pipeline {
namespace {

// The recogniser's options for a call: a box lengthened past the text's ends
// (DB end_padding) shows it a margin it may read as a space, dropped here.
RecognizeOptions CallRecognizeOptions(const OcrParams& params) {
  RecognizeOptions options = params.recognize;
  options.trim_spaces = options.trim_spaces || params.db.end_padding > 0;
  return options;
}

}  // namespace

OcrPipeline::OcrPipeline(std::shared_ptr<const Detector> detector, std::shared_ptr<const Recognizer> recognizer,
                         std::shared_ptr<const LineClassifier> classifier,
                         std::shared_ptr<const PageClassifier> page_classifier,
                         LineClassifierLoader load_classifier)
    : detector_(std::move(detector)),
      recognizer_(std::move(recognizer)),
      page_classifier_(std::move(page_classifier)),
      load_classifier_(std::move(load_classifier)),
      classifier_(std::move(classifier)) {}

std::shared_ptr<const LineClassifier> OcrPipeline::Classifier() const {
  std::lock_guard<std::mutex> lock(classifier_mutex_);
  if (!classifier_ && load_classifier_) classifier_ = load_classifier_();
  return classifier_;
}

// Where each crop of the pooled batch came from.
struct OcrPipeline::CropSource {
  size_t image;
  size_t region;
  bool rotated;  // CropQuad turned the crop 90 degrees
};

// What the pooled recognition needs of an image besides its crops.
struct OcrPipeline::Prepared {
  DetectionResult detection;
  cv::Size upright_size;
};

void OcrPipeline::Prepare(size_t index, OcrInput& input, const OcrParams& params, CancelToken* cancel,
                          OcrImageResult& result, Prepared& out, std::vector<cv::Mat>& crops,
                          std::vector<CropSource>& sources) const {
  if (cancel) cancel->ThrowIfCancelled();
  if (input.load) {
    const auto start = Clock::now();
    try {
      input.image = input.load();
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kAborted) throw;
      input.error = e;
    }
    input.load = nullptr;  // it may hold the encoded bytes
    input.decode_ms = MsSince(start);
  }
  if (input.error) {
    result.error = input.error;
    return;
  }
  try {
    if (params.use_page_classifier && page_classifier_) {
      // Read the page upright; boxes go back to the given frame at the end.
      result.page = page_classifier_->Classify(input.image, cancel, &result.times.page_classifier_ms);
      if (result.page.score < params.page_threshold) result.page.angle = 0;
      if (result.page.angle != 0) input.image = classify::RotateUpright(input.image, result.page.angle);
    }
    out.upright_size = input.image.size();
    out.detection = detector_->Detect(input.image, params.resize, params.db, cancel);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kAborted) throw;
    result.error = e;
    input.image.release();
    return;
  }
  const DetectionResult& detection = out.detection;
  result.image_size = detection.image_size;
  if (result.page.angle == 90 || result.page.angle == 270) {
    result.image_size = cv::Size(result.image_size.height, result.image_size.width);  // the given page's size
  }
  result.times.detection = detection.times;
  result.times.detection.decode_ms = input.decode_ms;
  result.times.work.detection_pixels = int64_t{detection.input_size.width} * detection.input_size.height;
  const auto start = Clock::now();
  for (size_t r = 0; r < detection.regions.size(); ++r) {
    bool rotated = false;
    crops.push_back(image::CropQuad(input.image, detection.regions[r].quad, params.rotate_ratio, &rotated));
    sources.push_back({index, r, rotated});
  }
  result.times.crop_ms = MsSince(start);
  input.image.release();  // the crops are all that is needed from here on
}

std::vector<OcrImageResult> OcrPipeline::Run(std::vector<OcrInput>& inputs, const OcrParams& params,
                                             CancelToken* cancel) const {
  std::vector<OcrImageResult> results(inputs.size());
  std::vector<Prepared> prepared(inputs.size());
  // One image after the other: a call holds one decoded image at a time.
  // (Two images prepared side by side, each on a thread of its own, ran ~2%
  // faster on 2 cores, within the noise, and raised the bench's peak RSS by
  // 57-128 MB: bench/E2E.md, ninth session.)
  std::vector<cv::Mat> crops;
  std::vector<CropSource> sources;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Prepare(i, inputs[i], params, cancel, results[i], prepared[i], crops, sources);
  }

  std::vector<int> angles(crops.size(), 0);
  double classifier_ms = 0;
  if (params.use_line_classifier && !crops.empty()) {
    if (auto classifier = Classifier()) {
      angles = classifier->Apply(crops, params.line_classifier, cancel, &classifier_ms);
      for (size_t k = 0; k < crops.size(); ++k) {
        if (angles[k] != LineClassifier::kUnread) continue;
        angles[k] = 0;
        const CropSource& source = sources[k];
        if (!results[source.image].error) {
          // This image fails (the others of a batch are unaffected), rather than being read unturned.
          results[source.image].error =
              Error(ErrorCode::kRuntime, classifier->NonFiniteMessage("the crop of box " + std::to_string(source.region)));
        }
      }
    }
  }
  RecognizeTimes rec_times;
  std::vector<recognize::DecodedText> texts;
  std::vector<CropColumns> columns;
  // The crops of an image the classifier failed are not read: its result is that error.
  std::vector<size_t> read;
  for (size_t k = 0; k < crops.size(); ++k) {
    if (!results[sources[k].image].error) read.push_back(k);
  }
  if (read.size() == crops.size()) {
    texts = recognizer_->Recognize(crops, CallRecognizeOptions(params), cancel, &rec_times, &columns);
  } else {
    texts.resize(crops.size());
    columns.resize(crops.size());
    if (!read.empty()) {
      std::vector<cv::Mat> kept;  // headers only: the pixels are shared
      kept.reserve(read.size());
      for (size_t k : read) kept.push_back(crops[k]);
      std::vector<CropColumns> kept_columns;
      auto kept_texts = recognizer_->Recognize(kept, CallRecognizeOptions(params), cancel, &rec_times, &kept_columns);
      for (size_t j = 0; j < read.size(); ++j) {
        texts[read[j]] = std::move(kept_texts[j]);
        columns[read[j]] = kept_columns[j];
      }
    }
  }

  // Scatter back per image, sharing pooled times by crop count.
  std::vector<std::vector<OcrLine>> lines(inputs.size());
  for (size_t k = 0; k < crops.size(); ++k) {
    const auto& [from, region, rotated] = sources[k];
    if (results[from].error) continue;  // a failed image has no lines (its crops may not have been read)
    results[from].times.work.Add(columns[k]);
    if (texts[k].non_finite && !results[from].error) {
      // This image fails (the others of a batch are unaffected), rather than losing the line as empty.
      results[from].error = Error(ErrorCode::kRuntime, recognizer_->NonFiniteMessage("the crop of box " + std::to_string(region)));
    }
    const TextRegion& det = prepared[from].detection.regions[region];
    OcrLine line{det.quad, det.score, angles[k], texts[k], {}, rotated};
    if (params.character_boxes) {
      for (const auto& [begin, end] : line.text.char_spans) {
        line.char_quads.push_back(image::CropSpanToQuad(det.quad, begin, end, rotated, angles[k] == 180));
      }
    }
    lines[from].push_back(std::move(line));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (results[i].error) continue;
    // The classifier saw every crop, the recogniser those of images not failed by then.
    const double classified = crops.empty() ? 0 : double(lines[i].size()) / crops.size();
    const double share = read.empty() ? 0 : double(lines[i].size()) / read.size();
    results[i].times.classifier_ms = classifier_ms * classified;
    results[i].times.recognition = {rec_times.preprocess_ms * share, rec_times.inference_ms * share,
                                    rec_times.decode_ms * share};
    std::vector<Quad> quads;
    for (const auto& line : lines[i]) quads.push_back(line.quad);
    for (int index : ReadingOrder(quads, params.row_tolerance)) {
      // PaddleOCR drops lines whose text score is under drop_score (after ordering).
      if (lines[i][index].text.score >= params.text_score_threshold) {
        OcrLine& line = lines[i][index];
        line.quad = classify::UprightToGiven(line.quad, results[i].page.angle, prepared[i].upright_size);
        for (Quad& q : line.char_quads) {
          q = classify::UprightToGiven(q, results[i].page.angle, prepared[i].upright_size);
        }
        results[i].lines.push_back(std::move(line));
      }
    }
  }
  return results;
}

std::vector<recognize::DecodedText> OcrPipeline::RecognizeCrops(std::vector<cv::Mat>& crops,
                                                                const OcrParams& params, CancelToken* cancel,
                                                                OcrTimes* times, std::vector<int>* angles) const {
  auto classifier = params.use_line_classifier && !crops.empty() ? Classifier() : nullptr;
  if (classifier) {
    std::vector<int> turned =
        classifier->Apply(crops, params.line_classifier, cancel, times ? &times->classifier_ms : nullptr);
    for (size_t k = 0; k < turned.size(); ++k) {
      if (turned[k] == LineClassifier::kUnread) {
        throw Error(ErrorCode::kRuntime, classifier->NonFiniteMessage("inputs[" + std::to_string(k) + "]"));
      }
    }
    if (angles) *angles = std::move(turned);
  } else if (angles) {
    angles->assign(crops.size(), 0);
  }
  std::vector<CropColumns> columns;
  // Crops are read as given: no detection box was lengthened, so the spaces at their ends are the recogniser's
  // (boxEndPadding does not trim them here).
  auto texts = recognizer_->Recognize(crops, params.recognize, cancel, times ? &times->recognition : nullptr,
                                      times ? &columns : nullptr);
  if (times) {
    for (const CropColumns& c : columns) times->work.Add(c);
  }
  for (size_t k = 0; k < texts.size(); ++k) {
    if (texts[k].non_finite) throw Error(ErrorCode::kRuntime, recognizer_->NonFiniteMessage("inputs[" + std::to_string(k) + "]"));
  }
  // Spans in the crop as the caller gave it: a crop the classifier turned was read upside down.
  const std::vector<int>* turned = angles;
  for (size_t k = 0; turned && k < texts.size(); ++k) {
    if ((*turned)[k] != 180) continue;
    for (auto& [begin, end] : texts[k].char_spans) {
      const float b = 1.0f - end, e = 1.0f - begin;
      begin = b;
      end = e;
    }
  }
  return texts;
}

}  // namespace ocr::pipeline
