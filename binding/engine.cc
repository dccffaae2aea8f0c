#include "binding/engine.h"

#include <future>
#include <system_error>

#include "binding/errors.h"
#include "binding/image_input.h"
#include "binding/promise_worker.h"
#include "core/allocator.h"
#include "core/stopwatch.h"

namespace ocrkit {
namespace {

class CreateEngineWorker : public PromiseWorker {
 public:
  CreateEngineWorker(Napi::Env env, EngineConfig config) : PromiseWorker(env), config_(std::move(config)) {}

 protected:
  void Work() override { state_ = CreateEngineState(config_); }
  Napi::Value Result(Napi::Env env) override { return Engine::New(env, std::move(state_)); }

 private:
  EngineConfig config_;
  std::shared_ptr<EngineState> state_;
};

class DetectWorker : public PromiseWorker {
 public:
  DetectWorker(Napi::Env env, std::shared_ptr<EngineState> state, CallParams params,
               std::shared_ptr<ocr::CancelToken> cancel)
      : PromiseWorker(env), state_(std::move(state)), params_(params), cancel_(std::move(cancel)) {}
  ImageInput& input() { return input_; }

 protected:
  void Work() override {
    if (cancel_) cancel_->ThrowIfCancelled();
    const auto start = ocr::Clock::now();
    cv::Mat image = LoadImage(input_, params_);
    const double decode_ms = ocr::MsSince(start);
    if (cancel_) cancel_->ThrowIfCancelled();
    result_ = state_->detector->Detect(image, params_.ocr.resize, params_.ocr.db, cancel_.get());
    result_.times.decode_ms = decode_ms;
  }
  Napi::Value Result(Napi::Env env) override {
    return DetectionToJs(env, result_, params_.ocr.db.box_type == ocr::detect::BoxType::kPolygon);
  }

 private:
  std::shared_ptr<EngineState> state_;
  CallParams params_;
  std::shared_ptr<ocr::CancelToken> cancel_;
  ImageInput input_;
  ocr::pipeline::DetectionResult result_;
};

// Full OCR over a chunk of images: one image failing to decode or detect
// fails only its own slot.
class RecognizeWorker : public PromiseWorker {
 public:
  RecognizeWorker(Napi::Env env, std::shared_ptr<EngineState> state, CallParams params,
                  std::shared_ptr<ocr::CancelToken> cancel, bool crops_only)
      : PromiseWorker(env), state_(std::move(state)), params_(params), cancel_(std::move(cancel)),
        crops_only_(crops_only) {}
  std::vector<ImageInput>& inputs() { return inputs_; }

 protected:
  void Work() override {
    if (!crops_only_) {
      // Each image is decoded when the pipeline reaches it and released once cropped.
      std::vector<ocr::pipeline::OcrInput> images(inputs_.size());
      for (size_t i = 0; i < inputs_.size(); ++i) images[i].load = [this, i] { return LoadImage(inputs_[i], params_); };
      results_ = state_->pipeline->Run(images, params_.ocr, cancel_.get());
      return;
    }
    // Recognition of crops is all or nothing: an image that cannot be read fails the call.
    std::vector<cv::Mat> crops;
    for (const ImageInput& input : inputs_) {
      if (cancel_) cancel_->ThrowIfCancelled();
      const auto start = ocr::Clock::now();
      crops.push_back(LoadImage(input, params_));
      crops_times_.detection.decode_ms += ocr::MsSince(start);
    }
    texts_ = state_->pipeline->RecognizeCrops(crops, params_.ocr, cancel_.get(), &crops_times_, &crop_angles_);
  }
  Napi::Value Result(Napi::Env env) override {
    if (crops_only_) {
      return TextsToJs(env, texts_, crops_times_, params_.ocr.character_boxes,
                       params_.ocr.use_line_classifier ? &crop_angles_ : nullptr);
    }
    Napi::Array out = Napi::Array::New(env, results_.size());
    for (size_t i = 0; i < results_.size(); ++i) out.Set(uint32_t(i), OcrResultToJs(env, results_[i], params_.ocr.character_boxes));
    return out;
  }

 private:
  std::shared_ptr<EngineState> state_;
  CallParams params_;
  std::shared_ptr<ocr::CancelToken> cancel_;
  bool crops_only_;
  std::vector<ImageInput> inputs_;
  std::vector<ocr::pipeline::OcrImageResult> results_;
  std::vector<ocr::recognize::DecodedText> texts_;
  ocr::pipeline::OcrTimes crops_times_;
  std::vector<int> crop_angles_;
};

// The text-line classifier (ch_ppocr_mobile_v2.0_cls by default).
std::shared_ptr<const ocr::pipeline::LineClassifier> LoadLineClassifier(
    const std::shared_ptr<ocr::runtime::Runtime>& runtime, const std::string& model_path,
    const ocr::classify::ClsParams& params, const ocr::runtime::SessionConfig& session) {
  return std::make_shared<const ocr::pipeline::LineClassifier>(
      std::make_shared<const ocr::runtime::Session>(runtime, model_path, session), params);
}

}  // namespace

std::shared_ptr<EngineState> CreateEngineState(const EngineConfig& config) {
  using ocr::runtime::ModelSource;
  using ocr::runtime::Runtime;
  using ocr::runtime::Session;
  auto state = std::make_shared<EngineState>();
  // The recogniser loads on a thread of its own while this one loads the
  // detector: session creation (graph optimisation) is single-threaded and
  // the two models take about as long each. Each thread first reads and
  // rewrites its model, which needs no runtime, so that work overlaps loading
  // ONNX Runtime (~25 ms), done by whichever thread asks for it first.
  auto load_recognizer = [&] {
    ocr::runtime::SessionConfig rec_config = config.session;
    int parallel_runs = config.recognition_parallelism;
    if (parallel_runs == 0) {
      // Not given, with other providers asked for and allowed to fall back: parallel runs as on the CPU when every
      // one of them falls back to it, else one run at a time (an accelerator's own).
      Runtime::Load(config.runtime_path);  // appending a provider needs ONNX Runtime's API
      const bool cpu = !ocr::runtime::AnyAcceleratorAvailable(rec_config.providers);
      parallel_runs = cpu ? std::min(rec_config.intra_op_threads, 64) : 1;
    }
    if (parallel_runs > 1) rec_config.intra_op_threads = 1;  // parallel single-threaded runs
    ModelSource source = ModelSource::Prepare(config.recognizer.model_path, rec_config);
    auto rec_session =
        std::make_shared<const Session>(Runtime::Load(config.runtime_path), std::move(source), rec_config);
    const auto characters = ocr::pipeline::LoadDictionary(config.recognizer.dictionary, *rec_session);
    state->recognizer_rewrites = rec_session->graph_rewrites();
    state->recognition_parallelism = parallel_runs;
    return std::make_shared<const ocr::pipeline::Recognizer>(
        std::move(rec_session), config.recognizer.definition, characters, config.recognizer.dictionary.use_space_char,
        parallel_runs);
  };
  std::future<std::shared_ptr<const ocr::pipeline::Recognizer>> pending;
  try {
    pending = std::async(std::launch::async, load_recognizer);
  } catch (const std::system_error&) {
    // No thread to be had: load it after the others, on this thread.
  }
  std::shared_ptr<const ocr::pipeline::LineClassifier> classifier;
  std::shared_ptr<const ocr::pipeline::PageClassifier> page_classifier;
  try {
    state->runtime = Runtime::Load(config.runtime_path);
    ModelSource det_source = ModelSource::Prepare(config.detector.model_path, config.session);
    auto det_session = std::make_shared<const Session>(state->runtime, std::move(det_source), config.session);
    state->providers = det_session->providers();
    state->detector_rewrites = det_session->graph_rewrites();
    state->detector = std::make_shared<const ocr::pipeline::Detector>(det_session, config.detector.definition);
    if (config.classifier_at_create) {
      classifier = LoadLineClassifier(state->runtime, config.classifier_model_path, config.classifier, config.session);
    }
    if (config.page_classifier) {
      page_classifier = std::make_shared<const ocr::pipeline::PageClassifier>(
          std::make_shared<const Session>(state->runtime, config.page_classifier->model_path, config.session),
          config.page_classifier->definition);
    }
  } catch (...) {
    if (pending.valid()) pending.wait();  // it uses `state` and `config`; its own error is dropped for this one
    throw;
  }
  auto recognizer = pending.valid() ? pending.get() : load_recognizer();
  // The loader keeps its own copy of what it needs (`config` is gone by then).
  ocr::pipeline::OcrPipeline::LineClassifierLoader load_classifier;
  if (!classifier) {
    ocr::runtime::CheckModelFile(config.classifier_model_path);  // a missing file still fails here
    load_classifier = [runtime = state->runtime, path = config.classifier_model_path, params = config.classifier,
                       session = config.session] { return LoadLineClassifier(runtime, path, params, session); };
  }
  state->pipeline = std::make_unique<const ocr::pipeline::OcrPipeline>(
      state->detector, std::move(recognizer), std::move(classifier), std::move(page_classifier),
      std::move(load_classifier));
  ocr::ReleaseFreeMemory();  // what parsing and optimising the models left behind
  return state;
}

Napi::Function Engine::Define(Napi::Env env) {
  return DefineClass(env, "NativeEngine",
                     {InstanceMethod<&Engine::Detect>("detect"), InstanceMethod<&Engine::Recognize>("recognize"),
                      InstanceMethod<&Engine::RecognizeCrops>("recognizeCrops"), InstanceMethod<&Engine::Info>("info"),
                      InstanceMethod<&Engine::Dispose>("dispose")});
}

Napi::Object Engine::New(Napi::Env env, std::shared_ptr<EngineState> state) {
  Napi::Object obj = env.GetInstanceData<AddonData>()->engine_constructor.New({});
  Engine::Unwrap(obj)->state_ = std::move(state);
  return obj;
}

Engine::Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {}

namespace {

struct CallArgs {
  CallParams params;
  std::shared_ptr<ocr::CancelToken> cancel;
};

// Checks the engine and reads the (..., params, cancelHandle?) arguments of a call.
CallArgs ReadCallArgs(const Napi::CallbackInfo& info, const std::shared_ptr<EngineState>& state) {
  Napi::Env env = info.Env();
  if (!state) throw MakeError(env, {ocr::ErrorCode::kDisposed, "the engine has been disposed"});
  if (!info[1].IsObject()) ThrowInvalid(env, "options must be an object");
  CallArgs args{ReadCallParams(info[1].As<Napi::Object>()), nullptr};
  if (info[2].IsObject()) {
    if (CancelHandle* handle = CancelHandle::Unwrap(info[2].As<Napi::Object>())) args.cancel = handle->token();
  }
  return args;
}

// Reads the worker's inputs on the main thread (a bad one frees the worker
// and throws), then queues it.
template <typename Worker, typename ReadInputs>
Napi::Value QueueWorker(Worker* worker, ReadInputs read_inputs) {
  std::unique_ptr<Worker> owned(worker);
  read_inputs(*owned);
  Napi::Promise promise = owned->Promise();
  owned.release()->Queue();  // an AsyncWorker deletes itself when done
  return promise;
}

// recognize(inputs[], params, cancel) and recognizeCrops(inputs[], params, cancel).
Napi::Value QueueRecognize(const Napi::CallbackInfo& info, const std::shared_ptr<EngineState>& state,
                           bool crops_only) {
  CallArgs args = ReadCallArgs(info, state);
  if (!info[0].IsArray()) ThrowInvalid(info.Env(), "inputs must be an array");
  Napi::Array list = info[0].As<Napi::Array>();
  return QueueWorker(new RecognizeWorker(info.Env(), state, args.params, args.cancel, crops_only),
                     [&list](RecognizeWorker& worker) {
                       worker.inputs().resize(list.Length());
                       for (uint32_t i = 0; i < list.Length(); ++i) ReadImageInput(list.Get(i), worker.inputs()[i]);
                     });
}

}  // namespace

// detect(input, params, cancelHandle | undefined) -> Promise
Napi::Value Engine::Detect(const Napi::CallbackInfo& info) {
  CallArgs args = ReadCallArgs(info, state_);
  return QueueWorker(new DetectWorker(info.Env(), state_, args.params, args.cancel),
                     [&info](DetectWorker& worker) { ReadImageInput(info[0], worker.input()); });
}

Napi::Value Engine::Recognize(const Napi::CallbackInfo& info) { return QueueRecognize(info, state_, false); }

Napi::Value Engine::RecognizeCrops(const Napi::CallbackInfo& info) { return QueueRecognize(info, state_, true); }

Napi::Value Engine::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!state_) throw MakeError(env, {ocr::ErrorCode::kDisposed, "the engine has been disposed"});
  Napi::Object out = Napi::Object::New(env);
  Napi::Array providers = Napi::Array::New(env, state_->providers.size());
  for (size_t i = 0; i < state_->providers.size(); ++i) providers.Set(uint32_t(i), state_->providers[i]);
  out.Set("providers", providers);
  out.Set("runtimeVersion", state_->runtime->version());
  Napi::Object rewrites = Napi::Object::New(env);
  rewrites.Set("detector", state_->detector_rewrites);
  rewrites.Set("recognizer", state_->recognizer_rewrites);
  out.Set("graphRewrites", rewrites);
  out.Set("recognitionParallelism", state_->recognition_parallelism);
  out.Set("runtimePath", state_->runtime->library_path());
  return out;
}

// Drops the engine's reference; in-flight workers hold their own until done.
Napi::Value Engine::Dispose(const Napi::CallbackInfo& info) {
  state_.reset();
  return info.Env().Undefined();
}

Napi::Function CancelHandle::Define(Napi::Env env) {
  return DefineClass(env, "CancelHandle", {InstanceMethod<&CancelHandle::Cancel>("cancel")});
}

CancelHandle::CancelHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CancelHandle>(info) {}

Napi::Value CancelHandle::Cancel(const Napi::CallbackInfo& info) {
  token_->Cancel();
  return info.Env().Undefined();
}

// createEngine(config) -> Promise<NativeEngine>
Napi::Value CreateEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) ThrowInvalid(env, "config must be an object");
  auto* worker = new CreateEngineWorker(env, ReadEngineConfig(info[0].As<Napi::Object>()));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace ocrkit
