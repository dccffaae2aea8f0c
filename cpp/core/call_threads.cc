#include "core/call_threads.h"

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ocr {
namespace {

struct CallThread {
  std::mutex mutex;
  std::condition_variable wake, finished;
  const std::function<void()>* task = nullptr;
  bool done = false;
  std::exception_ptr error;

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      wake.wait(lock, [this] { return task != nullptr; });
      try {
        (*task)();
      } catch (...) {
        error = std::current_exception();
      }
      task = nullptr;
      done = true;
      finished.notify_one();
    }
  }
};

class CallThreads {
 public:
  void Run(const std::function<void()>& task) {
    CallThread* worker = Acquire();
    if (worker == nullptr) {
      task();
      return;
    }
    std::exception_ptr error;
    {
      std::unique_lock<std::mutex> lock(worker->mutex);
      worker->task = &task;
      worker->done = false;
      worker->error = nullptr;
      worker->wake.notify_one();
      worker->finished.wait(lock, [worker] { return worker->done; });
      error = worker->error;
    }
    Release(worker);
    if (error) std::rethrow_exception(error);
  }

 private:
  CallThread* Acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      CallThread* worker = idle_.back();
      idle_.pop_back();
      return worker;
    }
    auto worker = std::make_unique<CallThread>();
    try {
      std::thread(&CallThread::Loop, worker.get()).detach();
    } catch (...) {
      return nullptr;
    }
    return worker.release();  // lives as long as the process, like its thread
  }
  void Release(CallThread* worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(worker);
  }

  std::mutex mutex_;
  std::vector<CallThread*> idle_;  // most recently used last
};

}  // namespace

void RunOnCallThread(const std::function<void()>& task) {
  static CallThreads* threads = new CallThreads;  // never destroyed: its threads outlive static destruction
  threads->Run(task);
}

}  // namespace ocr
