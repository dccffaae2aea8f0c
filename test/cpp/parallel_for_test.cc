#include "core/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/error.h"

namespace ocr {
namespace {

TEST(ParallelFor, RunsEveryTaskOnceWithWorkersUnderTheLimit) {
  for (int threads : {1, 2, 3, 8}) {
    for (size_t tasks : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{100}}) {
      std::vector<std::atomic<int>> runs(tasks);
      std::atomic<int> max_worker{-1};
      ParallelFor(tasks, threads, [&](int worker, size_t task) {
        runs[task]++;
        int seen = max_worker.load();
        while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {
        }
      });
      for (size_t i = 0; i < tasks; ++i) EXPECT_EQ(runs[i].load(), 1) << threads << " threads, task " << i;
      EXPECT_LT(max_worker.load(), std::max(1, std::min<int>(threads, static_cast<int>(tasks))));
    }
  }
}

TEST(ParallelFor, OneThreadRunsInOrderOnTheCallingThread) {
  std::vector<size_t> order;
  const auto caller = std::this_thread::get_id();
  ParallelFor(5, 1, [&](int worker, size_t task) {
    EXPECT_EQ(worker, 0);
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(task);
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(ParallelFor, WorkersRunAtOnceAndOwnTheirIndex) {
  // Two tasks that each wait for the other to start: only two threads at once can finish them.
  std::atomic<int> started{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::vector<int> worker_of(2, -1);
  ParallelFor(2, 2, [&](int worker, size_t task) {
    started++;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
    worker_of[task] = worker;
  });
  EXPECT_EQ(started.load(), 2);
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_NE(worker_of[0], worker_of[1]);
}

TEST(ParallelFor, RethrowsTheFirstErrorWithItsTypeAndStopsHandingOutTasks) {
  std::atomic<int> ran{0};
  try {
    ParallelFor(1000, 2, [&](int, size_t task) {
      ran++;
      if (task == 3) throw Error(ErrorCode::kAborted, "stop");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    });
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kAborted);
  }
  EXPECT_LT(ran.load(), 1000);
  EXPECT_THROW(ParallelFor(3, 1, [](int, size_t) { throw std::runtime_error("x"); }), std::runtime_error);
}

}  // namespace
}  // namespace ocr
