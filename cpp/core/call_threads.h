// ocrkit's own long-lived threads for native calls.
#pragma once

#include <functional>

namespace ocr {

// Runs `task` on one of the process's call threads and waits for it; the
// task's exception, if any, is rethrown here. The most recently used idle
// thread takes the next task (a new thread is started only when all are
// busy), so calls made one after the other all run on the same thread.
//
// Why: glibc's malloc gives each thread an arena and keeps freed memory per
// arena. Node's libuv pool hands successive calls to whichever of its threads
// wakes first, so without this every pool thread's arena ends up holding the
// freed image and tensor buffers of the largest call it served (measured: four
// arenas of ~23 MB each after 36 images, against one on a call thread).
// When no thread can be started the task runs on the calling thread.
void RunOnCallThread(const std::function<void()>& task);

}  // namespace ocr
