#include "core/call_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/error.h"

namespace ocr {
namespace {

TEST(RunOnCallThread, RunsOnAnotherThreadAndWaits) {
  std::thread::id ran_on;
  int value = 0;
  RunOnCallThread([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ran_on = std::this_thread::get_id();
    value = 42;
  });
  EXPECT_EQ(value, 42);  // done when Run returns
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(RunOnCallThread, CallsOneAfterTheOtherShareOneThread) {
  std::set<std::thread::id> threads;
  for (int i = 0; i < 20; ++i) RunOnCallThread([&] { threads.insert(std::this_thread::get_id()); });
  EXPECT_EQ(threads.size(), 1u);
}

TEST(RunOnCallThread, RethrowsTheTasksErrorWithItsType) {
  try {
    RunOnCallThread([] { throw Error(ErrorCode::kModelShape, "bad shape"); });
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModelShape);
    EXPECT_STREQ(e.what(), "bad shape");
  }
  EXPECT_THROW(RunOnCallThread([] { throw std::runtime_error("x"); }), std::runtime_error);
  int value = 0;
  RunOnCallThread([&] { value = 1; });  // the thread that threw serves the next call
  EXPECT_EQ(value, 1);
}

TEST(RunOnCallThread, ConcurrentCallsRunAtOnceOnTheirOwnThreads) {
  constexpr int kCalls = 4;
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> callers;
  std::vector<std::thread::id> ran_on(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      RunOnCallThread([&, i] {
        const int now = ++inside;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ran_on[i] = std::this_thread::get_id();
        --inside;
      });
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(most.load(), kCalls);
  EXPECT_EQ(std::set<std::thread::id>(ran_on.begin(), ran_on.end()).size(), size_t(kCalls));
}

}  // namespace
}  // namespace ocr
