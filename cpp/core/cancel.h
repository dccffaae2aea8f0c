// Cooperative cancellation shared between the caller's thread and a worker.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

#include "core/error.h"

namespace ocr {

// Set once from any thread; checked between stages. Stages that block for a
// long time (a session run) register a hook that interrupts them.
class CancelToken {
 public:
  void Cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  // Throws Error(kAborted) when cancelled.
  void ThrowIfCancelled() const;

  // Registers `hook` to be called by Cancel() (or at once when already
  // cancelled). Returns an id for RemoveHook.
  int AddHook(std::function<void()> hook);
  void RemoveHook(int id);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  int next_id_ = 0;
  std::vector<std::pair<int, std::function<void()>>> hooks_;
};

}  // namespace ocr
