// A call's work spread over a few short-lived threads.
#pragma once

#include <cstddef>
#include <functional>

namespace ocr {

// Runs fn(worker, task) for every task in [0, tasks) on up to `threads`
// threads, the calling thread one of them (worker 0); each worker takes the
// next task in order as it frees up, so `worker` (< threads) can index
// per-worker buffers. The first exception stops the handing out of tasks and
// is rethrown, with its type, once every worker has stopped. With one thread
// or one task everything runs on the calling thread; when no further thread
// can be started the ones there are run what is left.
void ParallelFor(size_t tasks, int threads, const std::function<void(int worker, size_t task)>& fn);

}  // namespace ocr
