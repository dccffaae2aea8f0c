#include "pipeline/recognizer.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <string>

#include "core/error.h"
#include "core/finite.h"
#include "core/parallel_for.h"
#include "core/stopwatch.h"
#include "recognize/dictionaries.h"

namespace ocr::pipeline {

using runtime::ShapeText;

std::vector<std::string> LoadDictionary(const DictionarySource& source, const runtime::Session& session) {
  if (!source.prefer_metadata.empty()) {
    if (const std::string* text = session.Metadata(source.prefer_metadata)) {
      return recognize::ParseDictionaryLines(*text, "in the model's '" + source.prefer_metadata + "' metadata");
    }
  }
  switch (source.kind) {
    case DictionarySource::Kind::kFile:
      return recognize::LoadDictionaryLines(source.value);
    case DictionarySource::Kind::kBuiltin:
      return recognize::BuiltinDictionary(source.value);
    case DictionarySource::Kind::kMetadata: {
      const std::string* text = session.Metadata(source.value);
      if (!text) {
        throw Error(ErrorCode::kModelLoad, "the recognition model has no '" + source.value +
                                               "' metadata holding its dictionary: pass a dictionary file");
      }
      return recognize::ParseDictionaryLines(*text, "in the model's '" + source.value + "' metadata");
    }
    case DictionarySource::Kind::kText:
      return recognize::ParseDictionaryLines(source.value, "(given characters)");
  }
  throw Error(ErrorCode::kInternal, "unknown dictionary source");
}

Recognizer::Recognizer(std::shared_ptr<const runtime::Session> session, RecognizerDefinition definition,
                       const std::vector<std::string>& characters, bool use_space_char, int parallel_runs)
    : session_(std::move(session)), definition_(std::move(definition)), parallel_runs_(std::max(parallel_runs, 1)) {
  preprocess::CheckRecResizeParams(definition_.input);
  characters_ = characters;
  use_space_char_ = use_space_char;
  if (use_space_char) characters_.emplace_back(" ");
  if (definition_.decoder == RecDecoderKind::kCtc) {
    charset_ = recognize::MakeCtcCharset(characters_, false, definition_.ctc_blank_last, &ctc_.blank_index);
    ctc_.apply_softmax = definition_.logits;
    // The space class, if the dictionary has one (use_space_char, or a dictionary entry " ").
    const auto space = std::find(charset_.symbols.begin(), charset_.symbols.end(), " ");
    ctc_.space_index = space == charset_.symbols.end() ? -1 : static_cast<int>(space - charset_.symbols.begin());
  } else {
    attention_ = recognize::MakeAttentionCharset(definition_.scheme, characters_, definition_.charset_options);
    if (definition_.stop_at_end >= 0) attention_.stop_at_end = definition_.stop_at_end == 1;
    if (definition_.lowercase) attention_.lowercase = true;
    attention_params_.apply_softmax = definition_.logits;
    attention_params_.unknown = definition_.unknown;
  }
  CheckModel();
  WarmUp();
}

void Recognizer::CheckModel() {
  const auto& inputs = session_->inputs();
  const auto& outputs = session_->outputs();
  if (inputs.size() != 1 || outputs.empty()) {
    throw Error(ErrorCode::kModelShape, "a recognition model needs 1 input and at least 1 output (" + definition_.name +
                                            " definition)");
  }
  const auto& in = inputs[0];
  const std::string what = "recognition input '" + in.name + "' " + ShapeText(in.shape);
  auto& input = definition_.input;
  if (in.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || in.shape.size() != 4 ||
      (in.shape[1] > 0 && in.shape[1] != input.channels)) {
    throw Error(ErrorCode::kModelShape, what + ": expected float [N," + std::to_string(input.channels) + ",H,W], got " +
                                            runtime::ElementTypeName(in.type) + " (" + definition_.name + " definition)");
  }
  if (in.shape[2] > 0) input.height = static_cast<int>(in.shape[2]);  // the model's fixed height decides
  if (in.shape[3] > 0) {
    if (input.mode == preprocess::RecSizeMode::kDynamic) {
      throw Error(ErrorCode::kModelShape, what + " has a fixed width " + std::to_string(in.shape[3]) + " but the " +
                                              definition_.name +
                                              " definition resizes to a dynamic width: use a 'pad' or 'stretch' "
                                              "size policy of that width");
    }
    if (in.shape[3] != input.nominal_width) {
      throw Error(ErrorCode::kModelShape, what + ": the " + definition_.name + " definition feeds width " +
                                              std::to_string(input.nominal_width) + " but the model's is " +
                                              std::to_string(in.shape[3]));
    }
  }
  if (in.shape[0] > 0) fixed_batch_ = static_cast<int>(in.shape[0]);
}

void Recognizer::WarmUp() {
  // What the model really produces decides (declared shapes can be wrong).
  const int width = preprocess::RecBatchWidth({}, definition_.input);
  const int n = fixed_batch_ > 0 ? fixed_batch_ : 1;
  const int c = definition_.input.channels;
  std::vector<float> input(size_t(n) * c * definition_.input.height * width, 0.0f);
  const std::vector<int64_t> shape = {n, c, definition_.input.height, width};
  const runtime::Tensor out = runtime::RunAtLoad("recognition", shape, definition_.name + " definition",
                                                 [&] { return session_->Run(input.data(), shape, nullptr); });
  CheckOutput(out, n);
  CheckScores(out);
}

// What the warm-up produced, against the definition's `output.values`: rows of probabilities lie in [0, 1] and sum
// to 1 (softmax taken in the model); logits do not (a model read the wrong way gave scores of -7e-11 or 1e30 and
// dropped every line under the score threshold). NaN or infinity: a broken model.
void Recognizer::CheckScores(const runtime::Tensor& out) const {
  const int classes = static_cast<int>(out.shape[2]);
  const int64_t rows = out.size() / classes;
  if (rows == 0) return;
  const float* p = out.data();
  bool probabilities = true, any_whole = false;
  for (int64_t r = 0; r < rows; ++r) {
    double sum = 0;
    for (int k = 0; k < classes; ++k) {
      const float v = p[r * classes + k];
      if (!std::isfinite(v)) {
        throw Error(ErrorCode::kModelLoad, ocr::NonFiniteMessage("recognition", session_->outputs()[0].name,
                                                                 "for a blank input", "the model is broken"));
      }
      if (v < -1e-4f || v > 1.0001f) probabilities = false;
      sum += v;
    }
    // A row of zeros: a step the model masks (past its sequence's end).
    if (std::abs(sum - 1.0) <= 1e-2) any_whole = true;
    else if (std::abs(sum) > 1e-6) probabilities = false;
  }
  probabilities = probabilities && any_whole;
  if (probabilities == definition_.logits) {
    throw Error(ErrorCode::kModelShape,
                "recognition output '" + session_->outputs()[0].name + "' holds " +
                    (probabilities ? "probabilities (rows in [0, 1] summing to 1)" : "raw scores (logits)") +
                    " but the " + definition_.name + " definition reads it as " +
                    (definition_.logits ? "logits" : "probabilities") + ": set its output.values to '" +
                    (probabilities ? "probabilities" : "logits") + "'");
  }
}

void Recognizer::CheckOutput(const runtime::Tensor& out, int batch) const {
  const auto& s = out.shape;
  const size_t batch_axis = definition_.time_major ? 1 : 0, step_axis = 1 - batch_axis;
  if (s.size() != 3 || s[batch_axis] != batch || s[step_axis] < 0 || s[2] <= 0) {
    throw Error(ErrorCode::kModelShape, "recognition output '" + session_->outputs()[0].name + "': expected " +
                                            (definition_.time_major ? "[T,N,C]" : "[N,T,C]") + " with N = " +
                                            std::to_string(batch) + ", got " + ShapeText(s) + " (" +
                                            definition_.name + " definition)");
  }
  const int classes = static_cast<int>(s[2]);
  if (definition_.decoder == RecDecoderKind::kAttention) {
    if (static_cast<size_t>(classes) != attention_.size()) {
      recognize::CheckAttentionClassCount(definition_.scheme, characters_, definition_.charset_options, classes,
                                          "of the " + definition_.name + " definition");
    }
    return;
  }
  if (static_cast<size_t>(classes) != charset_.size()) {
    const long diff = static_cast<long>(classes) - static_cast<long>(charset_.size());
    std::string hint = " The dictionary is not the one the model was trained with.";
    if (diff == 1) {
      hint = use_space_char_ ? " One class more: the model may have been trained with another dictionary."
                             : " One class more: the dictionary may lack the space character (use_space_char).";
    }
    if (diff == -1) hint = " One class fewer: the dictionary may hold a space character the model lacks.";
    throw Error(ErrorCode::kModelShape,
                "the dictionary does not match the recognition model: " + std::to_string(charset_.size() - 1) +
                    " characters (with the space, when used) + the CTC blank = " + std::to_string(charset_.size()) +
                    " classes, but the model outputs " + std::to_string(classes) + "." + hint);
  }
}

std::string Recognizer::NonFiniteMessage(const std::string& what) const {
  return ocr::NonFiniteMessage("recognition", session_->outputs()[0].name, "for " + what,
                               "the model failed on it (no text can be read)");
}

recognize::DecodedText Recognizer::Decode(const float* scores, int steps, int classes, int valid_steps,
                                          const RecognizeOptions& options) const {
  if (definition_.decoder == RecDecoderKind::kAttention) {
    return recognize::AttentionGreedyDecode(scores, std::min(steps, valid_steps), classes, attention_,
                                            attention_params_);
  }
  recognize::CtcParams ctc = ctc_;
  ctc.space_threshold = options.space_threshold;
  ctc.trim_spaces = options.trim_spaces;
  recognize::DecodedText text = recognize::CtcGreedyDecode(scores, steps, classes, valid_steps, charset_, ctc);
  if (definition_.lowercase) {
    text.text = recognize::AsciiLower(text.text);
    for (std::string& c : text.char_texts) c = recognize::AsciiLower(c);
  }
  return text;
}

struct Recognizer::Job {
  size_t first = 0;  // into the sorted order
  int count = 0;     // crops in this run
  int width = 0;     // the padded width of the batch the crops belong to
};

struct Recognizer::RunClock {
  std::mutex mutex;
  int active = 0;
  Clock::time_point since;
  double covered_ms = 0;
  void Enter() {
    std::lock_guard<std::mutex> lock(mutex);
    if (active++ == 0) since = Clock::now();
  }
  void Leave() {
    std::lock_guard<std::mutex> lock(mutex);
    if (--active == 0) covered_ms += MsSince(since);
  }
};

void Recognizer::RunJob(const Job& job, const std::vector<cv::Mat>& crops, const std::vector<int>& order,
                        const RecognizeOptions& options, CancelToken* cancel, RunClock& clock,
                        std::vector<float>& input, std::vector<float>& sequence,
                        std::vector<recognize::DecodedText>& results, RecognizeTimes& times,
                        std::vector<CropColumns>* columns) const {
  if (cancel) cancel->ThrowIfCancelled();
  const auto& resize = definition_.input;
  const int width = job.width, m = job.count;
  const int fed = fixed_batch_ > 0 ? fixed_batch_ : m;  // a fixed-batch model gets zero-filled slots
  const bool mask_padding = options.mask_padding || definition_.mask_padding;
  const size_t per_image = size_t(resize.channels) * resize.height * width;
  auto start = Clock::now();
  input.assign(per_image * fed, 0.0f);
  std::vector<int> valid_widths(m);
  for (int k = 0; k < m; ++k) {
    valid_widths[k] = preprocess::RecPreprocess(crops[order[job.first + k]], width, resize, input.data() + k * per_image);
    if (columns) (*columns)[order[job.first + k]] = {width, valid_widths[k]};  // each crop in one job only
  }
  times.preprocess_ms += MsSince(start);
  clock.Enter();
  runtime::Tensor out;
  try {
    out = session_->Run(input.data(), {fed, resize.channels, resize.height, width}, cancel);
  } catch (...) {
    clock.Leave();
    throw;
  }
  clock.Leave();
  CheckOutput(out, fed);
  start = Clock::now();
  const int steps = static_cast<int>(out.shape[definition_.time_major ? 0 : 1]);
  const int classes = static_cast<int>(out.shape[2]);
  for (int k = 0; k < m; ++k) {
    int valid = steps;
    if (mask_padding && definition_.decoder == RecDecoderKind::kCtc) {
      valid = static_cast<int>(std::ceil(steps * double(valid_widths[k]) / width));
    }
    const float* scores = out.data() + size_t(k) * steps * classes;
    if (definition_.time_major) {  // gather sequence k's rows: row t sits at (t * fed + k) * classes
      sequence.resize(size_t(steps) * classes);
      for (int t = 0; t < steps; ++t) {
        std::copy_n(out.data() + (size_t(t) * fed + k) * classes, classes, sequence.data() + size_t(t) * classes);
      }
      scores = sequence.data();
    }
    recognize::DecodedText& text = results[order[job.first + k]];
    if (!AllFinite(scores, size_t(std::min(valid, steps)) * classes)) {
      text = recognize::DecodedText{};
      text.non_finite = true;  // NaN never wins an argmax: decoded, it would read as an empty line
      continue;
    }
    text = Decode(scores, steps, classes, valid, options);
    if (definition_.decoder == RecDecoderKind::kCtc && steps > 0) {
      // Step t covers input columns [t, t + 1) * width / steps; as fractions of the crop's resized width.
      const double per_step = double(width) / steps / std::max(valid_widths[k], 1);
      const auto at = [&](double step) { return static_cast<float>(std::clamp(step * per_step, 0.0, 1.0)); };
      for (const auto& [begin, end] : recognize::CtcCharacterExtents(text, valid)) {
        text.char_spans.emplace_back(at(begin), at(end));
      }
    }
  }
  times.decode_ms += MsSince(start);
}

std::vector<recognize::DecodedText> Recognizer::Recognize(const std::vector<cv::Mat>& crops,
                                                          const RecognizeOptions& options, CancelToken* cancel,
                                                          RecognizeTimes* times,
                                                          std::vector<CropColumns>* columns) const {
  std::vector<recognize::DecodedText> results(crops.size());
  if (columns) columns->assign(crops.size(), CropColumns{});
  std::vector<int> order(crops.size());
  std::iota(order.begin(), order.end(), 0);
  auto ratio = [&crops](int i) { return crops[i].cols / static_cast<double>(std::max(crops[i].rows, 1)); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return ratio(a) < ratio(b); });
  const auto& resize = definition_.input;
  const size_t batch_size =
      static_cast<size_t>(fixed_batch_ > 0 ? fixed_batch_ : std::max(options.batch_size, 1));

  // The runs: PaddleOCR's batches of batch_size crops in aspect-ratio order,
  // each at its widest crop's width (a batch over max_run_columns in runs of
  // fewer crops at that same width).
  std::vector<Job> jobs;
  for (size_t begin = 0; begin < order.size(); begin += batch_size) {
    const size_t end = std::min(order.size(), begin + batch_size);
    const int n = static_cast<int>(end - begin);
    std::vector<cv::Size> sizes;
    for (size_t k = begin; k < end; ++k) sizes.push_back(crops[order[k]].size());
    const int width = preprocess::RecBatchWidth(sizes, resize);
    // Parallel runs take one crop each, still at the batch's width: the same
    // input per crop, and work units small enough to keep every thread busy.
    const int run_size = fixed_batch_ > 0     ? n
                         : parallel_runs_ > 1 ? 1
                                              : preprocess::RecRunSize(n, width, options.max_run_columns);
    for (int first = 0; first < n; first += run_size) {
      jobs.push_back({begin + first, std::min(run_size, n - first), width});
    }
  }

  RunClock clock;
  const int workers = static_cast<int>(std::max<size_t>(1, std::min<size_t>(parallel_runs_, jobs.size())));
  if (workers > 1) {
    // Widest runs first (they cost the most), so the threads finish together.
    std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
      return size_t(a.width) * a.count > size_t(b.width) * b.count;
    });
  }
  std::vector<RecognizeTimes> thread_times(workers);
  std::vector<std::vector<float>> inputs(workers), sequences(workers);
  ParallelFor(jobs.size(), workers, [&](int w, size_t j) {
    RunJob(jobs[j], crops, order, options, cancel, clock, inputs[w], sequences[w], results, thread_times[w], columns);
  });
  if (times) {
    for (const auto& t : thread_times) {
      times->preprocess_ms += t.preprocess_ms;
      times->decode_ms += t.decode_ms;
    }
    times->inference_ms += clock.covered_ms;
  }
  return results;
}

}  // namespace ocr::pipeline
