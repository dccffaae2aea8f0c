#include "pipeline/recognizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"
#include "core/stopwatch.h"

namespace ocr::pipeline {
Recognizer::Recognizer(std::shared_ptr<const runtime::Session> session, recognize::Charset charset,
                       preprocess::RecResizeParams resize, recognize::CtcParams ctc)
    : session_(std::move(session)), charset_(std::move(charset)), resize_(resize), ctc_(ctc) {
  CheckModel();
  const auto& shape = session_->inputs()[0].shape;
  if (shape[2] > 0) resize_.height = static_cast<int>(shape[2]);
  // Warm-up: what the model really produces decides (declared shapes can be wrong).
  const int width = resize_.nominal_width;
  std::vector<float> input(3 * size_t(resize_.height) * width, 0.0f);
  CheckOutput(session_->Run(input.data(), {1, 3, resize_.height, width}, nullptr), 1);
}

void Recognizer::CheckModel() const {
  const auto& inputs = session_->inputs();
  const auto& outputs = session_->outputs();
  if (inputs.size() != 1 || outputs.empty()) {
    throw Error(ErrorCode::kModelShape, "a recognition model needs 1 input and at least 1 output");
  }
  const auto& in = inputs[0];
  if (in.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || in.shape.size() != 4 || (in.shape[1] > 0 && in.shape[1] != 3)) {
    throw Error(ErrorCode::kModelShape, "recognition input '" + in.name + "': expected float [N,3,H,W]");
  }
  if (in.shape[3] > 0) {
    throw Error(ErrorCode::kModelShape, "recognition input '" + in.name +
                                            "' has a fixed width; ocrkit's CTC recogniser needs a dynamic width");
  }
}

void Recognizer::CheckOutput(const runtime::Tensor& out, int batch) const {
  const auto& s = out.shape;
  if (s.size() != 3 || s[0] != batch || s[1] < 0 || s[2] <= 0) {
    std::string shape;
    for (auto d : s) shape += (shape.empty() ? "" : ",") + std::to_string(d);
    throw Error(ErrorCode::kModelShape, "recognition output '" + session_->outputs()[0].name +
                                            "': expected [N,T,C], got [" + shape + "]");
  }
  if (static_cast<size_t>(s[2]) != charset_.size()) {
    throw Error(ErrorCode::kModelShape,
                "the dictionary does not match the recognition model: " + std::to_string(charset_.size()) +
                    " classes with the blank" + " (and space, when used) but the model outputs " +
                    std::to_string(s[2]));
  }
}

std::vector<recognize::DecodedText> Recognizer::Recognize(const std::vector<cv::Mat>& crops,
                                                          const RecognizeOptions& options, CancelToken* cancel,
                                                          RecognizeTimes* times) const {
  std::vector<recognize::DecodedText> results(crops.size());
  std::vector<int> order(crops.size());
  std::iota(order.begin(), order.end(), 0);
  auto ratio = [&crops](int i) { return crops[i].cols / static_cast<double>(std::max(crops[i].rows, 1)); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return ratio(a) < ratio(b); });
  const size_t batch_size = static_cast<size_t>(std::max(options.batch_size, 1));
  std::vector<float> input;
  for (size_t begin = 0; begin < order.size(); begin += batch_size) {
    if (cancel) cancel->ThrowIfCancelled();
    const size_t end = std::min(order.size(), begin + batch_size);
    const int n = static_cast<int>(end - begin);
    auto start = Clock::now();
    std::vector<cv::Size> sizes;
    for (size_t k = begin; k < end; ++k) sizes.push_back(crops[order[k]].size());
    const int width = preprocess::RecBatchWidth(sizes, resize_);
    const size_t per_image = 3 * size_t(resize_.height) * width;
    const int run_size = preprocess::RecRunSize(n, width, options.max_run_columns);
    for (int first = 0; first < n; first += run_size) {
      if (first > 0 && cancel) cancel->ThrowIfCancelled();
      const int m = std::min(run_size, n - first);
      if (first > 0) start = Clock::now();
      input.assign(per_image * m, 0.0f);
      std::vector<int> valid_widths(m);
      for (int k = 0; k < m; ++k) {
        valid_widths[k] =
            preprocess::RecPreprocess(crops[order[begin + first + k]], width, resize_, input.data() + k * per_image);
      }
      if (times) times->preprocess_ms += MsSince(start);
      start = Clock::now();
      runtime::Tensor out = session_->Run(input.data(), {m, 3, resize_.height, width}, cancel);
      if (times) times->inference_ms += MsSince(start);
      CheckOutput(out, m);
      start = Clock::now();
      const int steps = static_cast<int>(out.shape[1]), classes = static_cast<int>(out.shape[2]);
      for (int k = 0; k < m; ++k) {
        int valid = steps;
        if (options.mask_padding) valid = static_cast<int>(std::ceil(steps * double(valid_widths[k]) / width));
        results[order[begin + first + k]] = recognize::CtcGreedyDecode(
            out.data() + size_t(k) * steps * classes, steps, classes, valid, charset_, ctc_);
      }
    if (times) times->decode_ms += MsSince(start);
    }
  }
  return results;
}

}  // namespace ocr::pipeline
