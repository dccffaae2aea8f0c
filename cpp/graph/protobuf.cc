#include "graph/protobuf.h"

#include <cstring>

namespace ocr::graph::protobuf {

bool Reader::Next(Field* f) {
  if (!ok_ || pos_ >= data_.size()) return false;
  const size_t start = pos_;
  uint64_t key = 0;
  if (!Varint(&key) || key >> 32 != 0) return Fail();
  f->number = static_cast<uint32_t>(key >> 3);
  f->wire = static_cast<uint32_t>(key & 7);
  if (f->number == 0) return Fail();
  switch (f->wire) {
    case kVarint:
      if (!Varint(&f->varint)) return Fail();
      break;
    case kFixed64:
      if (data_.size() - pos_ < 8) return Fail();
      pos_ += 8;
      break;
    case kBytes: {
      uint64_t size = 0;
      if (!Varint(&size) || size > data_.size() - pos_) return Fail();
      f->bytes = data_.substr(pos_, size);
      pos_ += size;
      break;
    }
    case kFixed32:
      if (data_.size() - pos_ < 4) return Fail();
      std::memcpy(&f->fixed32, data_.data() + pos_, 4);  // little-endian on every target ocrkit builds for
      pos_ += 4;
      break;
    default:
      return Fail();  // groups (3, 4): not in ONNX
  }
  f->raw = data_.substr(start, pos_ - start);
  return true;
}

bool Reader::Varint(uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return false;
    const uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
    value |= uint64_t(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = value;
      return true;
    }
  }
  return false;
}

bool Reader::Fail() {
  ok_ = false;
  return false;
}

float AsFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutKey(std::string& out, uint32_t number, Wire wire) { PutVarint(out, (uint64_t(number) << 3) | wire); }

void PutBytesHeader(std::string& out, uint32_t number, size_t length) {
  PutKey(out, number, kBytes);
  PutVarint(out, length);
}

void PutBytes(std::string& out, uint32_t number, std::string_view bytes) {
  PutBytesHeader(out, number, bytes.size());
  out.append(bytes);
}

void PutFloat(std::string& out, uint32_t number, float value) {
  PutKey(out, number, kFixed32);
  char bytes[4];
  std::memcpy(bytes, &value, 4);
  out.append(bytes, 4);
}

void PutVarintField(std::string& out, uint32_t number, uint64_t value) {
  PutKey(out, number, kVarint);
  PutVarint(out, value);
}

}  // namespace ocr::graph::protobuf
