// Base of the addon's promise-returning async workers.
#pragma once

#include <napi.h>

#include "binding/errors.h"
#include "core/call_threads.h"

namespace ocrkit {

// Base for promise-returning workers: Execute() catches everything and keeps
// the stable code, so no exception ever escapes a worker thread. A worker whose
// environment is torn down before it completes (its worker thread terminated)
// cannot settle its promise: OnOK/OnError then fail inside node-addon-api,
// which drops that failure (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS, set in
// CMakeLists.txt; test/worker-threads.test.mjs).
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  virtual void Work() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

  // Work() runs on one of ocrkit's call threads (see core/call_threads.h)
  // while this libuv pool thread waits for it.
  void Execute() override {
    try {
      ocr::RunOnCallThread([this] { Work(); });
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

}  // namespace ocrkit
