#include "core/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace ocr {

void ParallelFor(size_t tasks, int threads, const std::function<void(int worker, size_t task)>& fn) {
  const int workers = static_cast<int>(std::min<size_t>(std::max(threads, 1), std::max<size_t>(tasks, 1)));
  if (workers == 1) {
    for (size_t task = 0; task < tasks; ++task) fn(0, task);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](int worker) {
    try {
      for (size_t task; !failed.load() && (task = next.fetch_add(1)) < tasks;) fn(worker, task);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> helpers;
  try {
    for (int worker = 1; worker < workers; ++worker) helpers.emplace_back(work, worker);
  } catch (const std::system_error&) {
    // No (further) thread to be had: the calling thread and those started run what is left.
  }
  work(0);
  for (auto& helper : helpers) helper.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace ocr
