// Test helper: writes .BTF and .BTF.ext blobs type by type, as clang would.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "object/btf.hpp"

namespace bpfhost::object::testing {

class BtfBuilder {
public:
  struct Member {
    std::string name;
    uint32_t type = 0;
    uint32_t offset = 0; // bits for struct members; bytes for DATASEC
    uint32_t size = 0;   // DATASEC entries only
  };

  uint32_t str(const std::string &s) {
    if (s.empty())
      return 0;
    const auto at = strings_.size();
    strings_ += s;
    strings_ += '\0';
    return static_cast<uint32_t>(at);
  }
  uint32_t int_type(const std::string &name, uint32_t size) {
    return add(BtfKind::Int, name, 0, size, {size * 8});
  }
  uint32_t ptr(uint32_t to) { return add(BtfKind::Ptr, "", 0, to, {}); }
  uint32_t typedef_of(const std::string &name, uint32_t to) {
    return add(BtfKind::Typedef, name, 0, to, {});
  }
  uint32_t array(uint32_t elem, uint32_t index, uint32_t nelems) {
    return add(BtfKind::Array, "", 0, 0, {elem, index, nelems});
  }
  uint32_t func_proto(uint32_t ret) {
    return add(BtfKind::FuncProto, "", 0, ret, {});
  }
  uint32_t func(const std::string &name, uint32_t proto) {
    return add(BtfKind::Func, name, 0, proto, {});
  }
  uint32_t var(const std::string &name, uint32_t type) {
    return add(BtfKind::Var, name, 0, type, {1});
  }
  uint32_t structure(const std::string &name, uint32_t size,
                     const std::vector<Member> &members) {
    std::vector<uint32_t> extra;
    for (const Member &m : members) {
      extra.push_back(str(m.name));
      extra.push_back(m.type);
      extra.push_back(m.offset);
    }
    return add(BtfKind::Struct, name, static_cast<uint32_t>(members.size()),
               size, extra);
  }
  uint32_t datasec(const std::string &name, uint32_t size,
                   const std::vector<Member> &vars) {
    std::vector<uint32_t> extra;
    for (const Member &m : vars) {
      extra.push_back(m.type);
      extra.push_back(m.offset);
      extra.push_back(m.size);
    }
    return add(BtfKind::Datasec, name, static_cast<uint32_t>(vars.size()), size,
               extra);
  }
  // A raw type entry (any kind, vlen and trailing words), for bad input.
  uint32_t raw(uint32_t kind, uint32_t vlen, uint32_t name_off,
               uint32_t size_or_type, const std::vector<uint32_t> &extra) {
    words_.push_back(name_off);
    words_.push_back((kind << 24) | vlen);
    words_.push_back(size_or_type);
    words_.insert(words_.end(), extra.begin(), extra.end());
    return ++count_;
  }

  // __uint(name, value) as bpf_helpers.h writes it: int (*name)[value].
  Member uint_member(const std::string &name, uint32_t value, uint32_t bit) {
    if (int_ == 0)
      int_ = int_type("int", 4);
    return {name, ptr(array(int_, int_, value)), bit, 0};
  }
  // __type(name, type): type *name.
  Member type_member(const std::string &name, uint32_t type, uint32_t bit) {
    return {name, ptr(type), bit, 0};
  }

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> out;
    auto put32 = [&out](uint32_t v) {
      for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    const uint32_t type_len = static_cast<uint32_t>(words_.size() * 4);
    put32(0x0001eb9f); // magic, version 1, flags 0
    put32(24);
    put32(0);
    put32(type_len);
    put32(type_len);
    put32(static_cast<uint32_t>(strings_.size()));
    for (uint32_t w : words_)
      put32(w);
    out.insert(out.end(), strings_.begin(), strings_.end());
    return out;
  }

private:
  uint32_t add(BtfKind kind, const std::string &name, uint32_t vlen,
               uint32_t size_or_type, const std::vector<uint32_t> &extra) {
    return raw(static_cast<uint32_t>(kind), vlen, str(name), size_or_type,
               extra);
  }
  std::string strings_ = std::string(1, '\0');
  std::vector<uint32_t> words_;
  uint32_t count_ = 0;
  uint32_t int_ = 0;
};

// .BTF.ext with func info, line info and CO-RE records, grouped by section
// name (offsets of names into the BTF strings come from `BtfBuilder::str`).
struct BtfExtBuilder {
  struct Block {
    uint32_t section_name = 0;
    std::vector<std::vector<uint32_t>> records;
  };
  std::vector<Block> funcs, lines, core;

  std::vector<uint8_t> build() const {
    std::vector<uint32_t> body;
    auto block = [&body](const std::vector<Block> &blocks, uint32_t rec_size) {
      const uint32_t start = static_cast<uint32_t>(body.size() * 4);
      if (blocks.empty())
        return std::pair<uint32_t, uint32_t>{start, 0};
      body.push_back(rec_size);
      for (const Block &b : blocks) {
        body.push_back(b.section_name);
        body.push_back(static_cast<uint32_t>(b.records.size()));
        for (const auto &r : b.records)
          body.insert(body.end(), r.begin(), r.end());
      }
      return std::pair<uint32_t, uint32_t>{
          start, static_cast<uint32_t>(body.size() * 4) - start};
    };
    const auto f = block(funcs, 8);
    const auto l = block(lines, 16);
    const auto c = block(core, 16);
    std::vector<uint32_t> words = {0x0001eb9f, 32,       f.first, f.second,
                                   l.first,    l.second, c.first, c.second};
    words.insert(words.end(), body.begin(), body.end());
    std::vector<uint8_t> out;
    for (uint32_t w : words)
      for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(w >> (8 * i)));
    return out;
  }
};

} // namespace bpfhost::object::testing
