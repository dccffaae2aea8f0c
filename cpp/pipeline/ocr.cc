#include "pipeline/ocr.h"


#include "core/stopwatch.h"
#include "image/crop.h"
#include "pipeline/reading_order.h"

namespace ocr::pipeline {
namespace {

// Where each crop of the pooled batch came from.
struct CropSource {
  size_t image;
  size_t region;
  bool rotated;  // CropQuad turned the crop 90 degrees
};

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
                         std::shared_ptr<const PageClassifier> page_classifier)
    : detector_(std::move(detector)),
      recognizer_(std::move(recognizer)),
      classifier_(std::move(classifier)),
      page_classifier_(std::move(page_classifier)) {}

std::vector<OcrImageResult> OcrPipeline::Run(std::vector<OcrInput>& inputs, const OcrParams& params,
                                             CancelToken* cancel) const {
  std::vector<OcrImageResult> results(inputs.size());
  std::vector<DetectionResult> detections(inputs.size());
  std::vector<cv::Size> upright_sizes(inputs.size());
  std::vector<cv::Mat> crops;
  std::vector<CropSource> sources;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (cancel) cancel->ThrowIfCancelled();
    OcrImageResult& result = results[i];
    if (inputs[i].load) {
      const auto start = Clock::now();
      try {
        inputs[i].image = inputs[i].load();
      } catch (const Error& e) {
        if (e.code() == ErrorCode::kAborted) throw;
        inputs[i].error = e;
      }
      inputs[i].load = nullptr;  // it may hold the encoded bytes
      inputs[i].decode_ms = MsSince(start);
    }
    if (inputs[i].error) {
      result.error = inputs[i].error;
      continue;
    }
    try {
      if (params.use_page_classifier && page_classifier_) {
        // Read the page upright; boxes go back to the given frame at the end.
        result.page = page_classifier_->Classify(inputs[i].image, cancel, &result.times.page_classifier_ms);
        if (result.page.score < params.page_threshold) result.page.angle = 0;
        if (result.page.angle != 0) inputs[i].image = classify::RotateUpright(inputs[i].image, result.page.angle);
      }
      upright_sizes[i] = inputs[i].image.size();
      detections[i] = detector_->Detect(inputs[i].image, params.resize, params.db, cancel);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kAborted) throw;
      result.error = e;
      continue;
    }
    result.image_size = detections[i].image_size;
    if (result.page.angle == 90 || result.page.angle == 270) {
      result.image_size = cv::Size(result.image_size.height, result.image_size.width);  // the given page's size
    }
    result.times.detection = detections[i].times;
    result.times.detection.decode_ms = inputs[i].decode_ms;
    result.times.work.detection_pixels = int64_t{detections[i].input_size.width} * detections[i].input_size.height;
    const auto start = Clock::now();
    for (size_t r = 0; r < detections[i].regions.size(); ++r) {
      bool rotated = false;
      crops.push_back(image::CropQuad(inputs[i].image, detections[i].regions[r].quad, params.rotate_ratio, &rotated));
      sources.push_back({i, r, rotated});
    }
    result.times.crop_ms = MsSince(start);
    inputs[i].image.release();  // the crops are all that is needed from here on
  }

  std::vector<int> angles(crops.size(), 0);
  double classifier_ms = 0;
  if (params.use_line_classifier && classifier_ && !crops.empty()) {
    angles = classifier_->Apply(crops, params.line_classifier, cancel,
                                &classifier_ms);
  }
  RecognizeTimes rec_times;
  std::vector<CropColumns> columns;
  const auto texts = recognizer_->Recognize(crops, CallRecognizeOptions(params), cancel, &rec_times, &columns);

  // Scatter back per image, sharing pooled times by crop count.
  std::vector<std::vector<OcrLine>> lines(inputs.size());
  for (size_t k = 0; k < crops.size(); ++k) {
    const auto& [from, region, rotated] = sources[k];
    results[from].times.work.Add(columns[k]);
    const TextRegion& det = detections[from].regions[region];
    OcrLine line{det.quad, det.score, angles[k], texts[k], {}};
    if (params.character_boxes) {
      for (const auto& [begin, end] : line.text.char_spans) {
        line.char_quads.push_back(image::CropSpanToQuad(det.quad, begin, end, rotated, angles[k] == 180));
      }
    }
    lines[from].push_back(std::move(line));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (results[i].error) continue;
    const double share = crops.empty() ? 0 : double(lines[i].size()) / crops.size();
    results[i].times.classifier_ms = classifier_ms * share;
    results[i].times.recognition = {rec_times.preprocess_ms * share, rec_times.inference_ms * share,
                                    rec_times.decode_ms * share};
    std::vector<Quad> quads;
    for (const auto& line : lines[i]) quads.push_back(line.quad);
    for (int index : ReadingOrder(quads, params.row_tolerance)) {
      // PaddleOCR drops lines whose text score is under drop_score (after ordering).
      if (lines[i][index].text.score >= params.text_score_threshold) {
        OcrLine& line = lines[i][index];
        line.quad = classify::UprightToGiven(line.quad, results[i].page.angle, upright_sizes[i]);
        for (Quad& q : line.char_quads) q = classify::UprightToGiven(q, results[i].page.angle, upright_sizes[i]);
        results[i].lines.push_back(std::move(line));
      }
    }
  }
  return results;
}

std::vector<recognize::DecodedText> OcrPipeline::RecognizeCrops(std::vector<cv::Mat>& crops,
                                                                const OcrParams& params, CancelToken* cancel,
                                                                OcrTimes* times, std::vector<int>* angles) const {
  if (params.use_line_classifier && classifier_ && !crops.empty()) {
    std::vector<int> turned = classifier_->Apply(crops, params.line_classifier, cancel,
                                                 times ? &times->classifier_ms : nullptr);
    if (angles) *angles = std::move(turned);
  } else if (angles) {
    angles->assign(crops.size(), 0);
  }
  std::vector<CropColumns> columns;
  auto texts = recognizer_->Recognize(crops, CallRecognizeOptions(params), cancel,
                                      times ? &times->recognition : nullptr, times ? &columns : nullptr);
  if (times) {
    for (const CropColumns& c : columns) times->work.Add(c);
  }
  return texts;
}

}  // namespace ocr::pipeline
