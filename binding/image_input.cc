#include "binding/image_input.h"

#include "binding/errors.h"
#include "image/decode.h"

namespace ocrkit {
namespace {

void Pin(const Napi::Value& data, ImageInput& out, const char* what) {
  if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_clamped_array) {
      ThrowInvalid(data.Env(), std::string(what) + " must be a Buffer, Uint8Array or Uint8ClampedArray");
    }
  }
  Napi::TypedArray array = data.As<Napi::TypedArray>();
  out.data = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  out.size = array.ByteLength();
  out.pinned = Napi::Persistent(data.As<Napi::Object>());
}

int IntField(const Napi::Object& obj, const char* key) {
  Napi::Value v = obj.Get(key);
  if (!v.IsNumber()) ThrowInvalid(obj.Env(), std::string("input.") + key + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 2147483647.0) || d != static_cast<double>(static_cast<int64_t>(d))) {
    ThrowInvalid(obj.Env(), std::string("input.") + key + " must be a non-negative integer");
  }
  return static_cast<int>(d);
}

}  // namespace

void ReadImageInput(const Napi::Value& value, ImageInput& out) {
  if (!value.IsObject()) ThrowInvalid(value.Env(), "input must be an object");
  Napi::Object obj = value.As<Napi::Object>();
  const std::string kind = obj.Get("kind").ToString().Utf8Value();
  if (kind == "path") {
    out.kind = ImageInput::Kind::kPath;
    Napi::Value path = obj.Get("path");
    if (!path.IsString()) ThrowInvalid(value.Env(), "input.path must be a string");
    out.path = path.As<Napi::String>().Utf8Value();
  } else if (kind == "encoded") {
    out.kind = ImageInput::Kind::kEncoded;
    Pin(obj.Get("data"), out, "input");
  } else if (kind == "pixels") {
    out.kind = ImageInput::Kind::kPixels;
    Pin(obj.Get("data"), out, "input.data");
    out.width = IntField(obj, "width");
    out.height = IntField(obj, "height");
    out.channels = IntField(obj, "channels");
    out.stride = static_cast<size_t>(IntField(obj, "stride"));
    out.bgr = obj.Get("colorOrder").ToString().Utf8Value() == "bgr";
  } else {
    ThrowInvalid(value.Env(), "input.kind must be 'path', 'encoded' or 'pixels'");
  }
}

cv::Mat LoadImage(const ImageInput& input, const CallParams& params) {
  ocr::image::DecodeOptions decode;
  decode.apply_exif_orientation = params.apply_exif_orientation;
  decode.max_pixels = params.max_pixels;
  switch (input.kind) {
    case ImageInput::Kind::kPath: {
      std::vector<uint8_t> bytes = ocr::image::ReadFile(input.path);
      return ocr::image::DecodeImage(bytes.data(), bytes.size(), decode);
    }
    case ImageInput::Kind::kEncoded:
      return ocr::image::DecodeImage(input.data, input.size, decode);
    case ImageInput::Kind::kPixels: {
      ocr::image::PixelBuffer px;
      px.data = input.data;
      px.size = input.size;
      px.width = input.width;
      px.height = input.height;
      px.channels = input.channels;
      px.stride = input.stride;
      px.bgr = input.bgr;
      return ocr::image::FromPixels(px, params.max_pixels);
    }
  }
  return {};
}

}  // namespace ocrkit
