// The one place ONNX Runtime's C++ API is included. The runtime library is
// opened with dlopen at run time, so the API table is initialised by hand.
#pragma once

#ifndef ORT_API_MANUAL_INIT
#define ORT_API_MANUAL_INIT
#endif
#include <onnxruntime_cxx_api.h>
