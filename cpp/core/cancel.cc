#include "core/cancel.h"

#include <algorithm>

namespace ocr {

void CancelToken::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  for (auto& [id, hook] : hooks_) hook();
}

void CancelToken::ThrowIfCancelled() const {
  if (cancelled()) throw Error(ErrorCode::kAborted, "the operation was aborted");
}

int CancelToken::AddHook(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_.load(std::memory_order_acquire)) hook();
  hooks_.emplace_back(next_id_, std::move(hook));
  return next_id_++;
}

void CancelToken::RemoveHook(int id) {
  std::lock_guard<std::mutex> lock(mutex_);
  hooks_.erase(std::remove_if(hooks_.begin(), hooks_.end(),
                              [id](const auto& entry) { return entry.first == id; }),
               hooks_.end());
}

}  // namespace ocr
