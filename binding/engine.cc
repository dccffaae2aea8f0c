#include "binding/engine.h"

#include <chrono>

#include "binding/errors.h"
#include "binding/image_input.h"

namespace ocrkit {
namespace {

// Base for promise-returning workers: Execute() catches everything and keeps
// the stable code, so no exception ever escapes a worker thread.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  virtual void Work() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

  void Execute() override {
    try {
      Work();
    } catch (...) {
      error_ = ClassifyCurrentException();
      SetError(error_.message);
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    try {
      deferred_.Resolve(Result(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error&) override { deferred_.Reject(MakeError(Env(), error_).Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  CaughtError error_;
};

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
    const auto start = std::chrono::steady_clock::now();
    cv::Mat image = LoadImage(input_, params_);
    const double decode_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (cancel_) cancel_->ThrowIfCancelled();
    result_ = state_->detector->Detect(image, params_.resize, params_.db, cancel_.get());
    result_.times.decode_ms = decode_ms;
  }
  Napi::Value Result(Napi::Env env) override {
    return DetectionToJs(env, result_, params_.db.box_type == ocr::detect::BoxType::kPolygon);
  }

 private:
  std::shared_ptr<EngineState> state_;
  CallParams params_;
  std::shared_ptr<ocr::CancelToken> cancel_;
  ImageInput input_;
  ocr::pipeline::DetectionResult result_;
};

}  // namespace

std::shared_ptr<EngineState> CreateEngineState(const EngineConfig& config) {
  auto state = std::make_shared<EngineState>();
  state->runtime = ocr::runtime::Runtime::Load(config.runtime_path);
  auto session = std::make_shared<const ocr::runtime::Session>(state->runtime, config.detector.model_path,
                                                               config.session);
  state->providers = session->providers();
  state->detector = std::make_unique<ocr::pipeline::Detector>(session, config.detector.normalize);
  state->detector_session = std::move(session);
  return state;
}

Napi::Function Engine::Define(Napi::Env env) {
  return DefineClass(env, "NativeEngine",
                     {InstanceMethod<&Engine::Detect>("detect"), InstanceMethod<&Engine::Info>("info"),
                      InstanceMethod<&Engine::Dispose>("dispose")});
}

Napi::Object Engine::New(Napi::Env env, std::shared_ptr<EngineState> state) {
  Napi::Object obj = env.GetInstanceData<AddonData>()->engine_constructor.New({});
  Engine::Unwrap(obj)->state_ = std::move(state);
  return obj;
}

Engine::Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {}

// detect(input, params, cancelHandle | undefined) -> Promise
Napi::Value Engine::Detect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!state_) throw MakeError(env, {ocr::ErrorCode::kDisposed, "the engine has been disposed"});
  if (!info[1].IsObject()) ThrowInvalid(env, "options must be an object");
  CallParams params = ReadCallParams(info[1].As<Napi::Object>());
  std::shared_ptr<ocr::CancelToken> cancel;
  if (info[2].IsObject()) {
    CancelHandle* handle = CancelHandle::Unwrap(info[2].As<Napi::Object>());
    if (handle) cancel = handle->token();
  }
  auto* worker = new DetectWorker(env, state_, params, cancel);
  try {
    ReadImageInput(info[0], worker->input());
  } catch (...) {
    delete worker;
    throw;
  }
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value Engine::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!state_) throw MakeError(env, {ocr::ErrorCode::kDisposed, "the engine has been disposed"});
  Napi::Object out = Napi::Object::New(env);
  Napi::Array providers = Napi::Array::New(env, state_->providers.size());
  for (size_t i = 0; i < state_->providers.size(); ++i) providers.Set(uint32_t(i), state_->providers[i]);
  out.Set("providers", providers);
  out.Set("runtimeVersion", state_->runtime->version());
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
