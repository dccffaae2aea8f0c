// The protobuf wire format, as much as ocrkit's graph rewrites need: a reader
// of one message's fields (each with its raw bytes, to copy unchanged) and
// writers of keys, varints, length-delimited and 32-bit fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ocr::graph::protobuf {

enum Wire : uint32_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t varint = 0;     // kVarint
  uint32_t fixed32 = 0;    // kFixed32
  std::string_view bytes;  // kBytes
  std::string_view raw;    // the whole field, key included
};

// Reads one message's fields in order; ok() turns false on malformed bytes
// (truncation, a varint over 10 bytes, field number 0, group wire types).
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool Next(Field* field);
  bool ok() const { return ok_; }

 private:
  bool Varint(uint64_t* out);
  bool Fail();

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Calls fn for each varint of a packed repeated field; false on bad bytes.
template <typename Fn>
bool ForEachPackedVarint(std::string_view bytes, Fn fn) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    uint64_t value = 0;
    bool done = false;
    for (int shift = 0; shift < 64 && pos < bytes.size(); shift += 7) {
      const uint8_t byte = static_cast<uint8_t>(bytes[pos++]);
      value |= uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        done = true;
        break;
      }
    }
    if (!done) return false;
    fn(value);
  }
  return true;
}

float AsFloat(uint32_t bits);  // a fixed32 field's IEEE float

void PutVarint(std::string& out, uint64_t value);
void PutKey(std::string& out, uint32_t number, Wire wire);
// A length-delimited field's key and length, for bytes written after it.
void PutBytesHeader(std::string& out, uint32_t number, size_t length);
void PutBytes(std::string& out, uint32_t number, std::string_view bytes);  // also strings and sub-messages
void PutFloat(std::string& out, uint32_t number, float value);
void PutVarintField(std::string& out, uint32_t number, uint64_t value);

}  // namespace ocr::graph::protobuf
