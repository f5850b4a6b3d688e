// Test helper: writes small ELF64 little-endian BPF objects from a
// description, so that tests know every byte (and can break one).
// Layout: header, section data, then the section header table; sections are
// [0] null, the added sections in order, the relocation sections, .strtab
// (names of sections and symbols) and .symtab.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "isa/raw_insn.hpp"

namespace bpfhost::object::testing {

inline constexpr uint32_t kProgbits = 1, kSymtab = 2, kStrtab = 3, kRela = 4,
                          kNobits = 8, kRel = 9;
inline constexpr uint64_t kAlloc = 0x2, kExec = 0x4, kWrite = 0x1;
inline constexpr uint8_t kNotype = 0, kObject = 1, kFunc = 2, kSection = 3;
inline constexpr uint32_t kR64 = 1, kRAbs64 = 2, kR32 = 10; // R_BPF_64_*

struct TestSection {
  std::string name;
  uint32_t type = kProgbits;
  uint64_t flags = 0;
  std::vector<uint8_t> data;
  uint64_t nobits_size = 0; // size of an SHT_NOBITS section
};

struct TestSymbol {
  std::string name;
  uint16_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = kNotype;
  uint8_t bind = 1; // STB_GLOBAL
};

struct TestReloc {
  uint64_t offset = 0;
  uint32_t symbol = 0;
  uint32_t type = kR64;
  int64_t addend = 0; // written only for SHT_RELA
};

inline std::vector<uint8_t> insn_bytes(const std::vector<isa::RawInsn> &insns) {
  return isa::raw_insns_to_bytes(insns);
}

template <class T> void put(std::vector<uint8_t> &out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i)
    out.push_back(
        static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i)));
}

template <class T>
void patch(std::vector<uint8_t> &bytes, size_t offset, T value) {
  for (size_t i = 0; i < sizeof(T); ++i)
    bytes.at(offset + i) =
        static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
}

class ElfBuilder {
public:
  // Adds a section; returns its index.
  uint16_t section(TestSection s) {
    sections_.push_back(std::move(s));
    return static_cast<uint16_t>(sections_.size());
  }
  uint16_t code(const std::string &name,
                const std::vector<isa::RawInsn> &insns) {
    return section({name, kProgbits, kAlloc | kExec, insn_bytes(insns), 0});
  }
  uint16_t data(const std::string &name, std::vector<uint8_t> bytes) {
    return section({name, kProgbits, kAlloc | kWrite, std::move(bytes), 0});
  }
  // Adds a symbol; returns its index (0 is the null symbol).
  uint32_t symbol(TestSymbol s) {
    symbols_.push_back(std::move(s));
    return static_cast<uint32_t>(symbols_.size());
  }
  uint32_t function(const std::string &name, uint16_t shndx, size_t first,
                    size_t count) {
    return symbol({name, shndx, first * 8, count * 8, kFunc, 1});
  }
  uint32_t section_symbol(uint16_t shndx) {
    return symbol({"", shndx, 0, 0, kSection, 0});
  }
  // Relocations of `target` (an SHT_REL, or SHT_RELA with `rela`).
  void relocs(uint16_t target, std::vector<TestReloc> r, bool rela = false) {
    rels_.push_back({target, std::move(r), rela});
  }
  // Index the .symtab section will have.
  uint16_t symtab_index() const {
    return static_cast<uint16_t>(sections_.size() + rels_.size() + 2);
  }

  std::vector<uint8_t> build() const {
    struct Header {
      uint32_t name, type;
      uint64_t flags, offset, size;
      uint32_t link, info;
      uint64_t align, entsize;
    };
    std::vector<uint8_t> out(64, 0);
    std::string strings(1, '\0');
    auto intern = [&strings](const std::string &s) -> uint32_t {
      if (s.empty())
        return 0;
      const auto at = strings.size();
      strings += s;
      strings += '\0';
      return static_cast<uint32_t>(at);
    };
    std::vector<Header> headers(1, Header{});
    auto place = [&out](const std::vector<uint8_t> &bytes) {
      while (out.size() % 8 != 0)
        out.push_back(0);
      const uint64_t at = out.size();
      out.insert(out.end(), bytes.begin(), bytes.end());
      return at;
    };
    const uint16_t symtab = symtab_index();
    for (const TestSection &s : sections_) {
      const bool nobits = s.type == kNobits;
      headers.push_back({intern(s.name), s.type, s.flags,
                         nobits ? out.size() : place(s.data),
                         nobits ? s.nobits_size : s.data.size(), 0, 0, 8, 0});
    }
    for (const Rel &r : rels_) {
      std::vector<uint8_t> bytes;
      for (const TestReloc &e : r.entries) {
        put<uint64_t>(bytes, e.offset);
        put<uint64_t>(bytes, (uint64_t{e.symbol} << 32) | e.type);
        if (r.rela)
          put<int64_t>(bytes, e.addend);
      }
      const std::string prefix = r.rela ? ".rela" : ".rel";
      headers.push_back({intern(prefix + sections_[r.target - 1].name),
                         r.rela ? kRela : kRel, 0, place(bytes), bytes.size(),
                         symtab, r.target, 8, r.rela ? 24u : 16u});
    }
    std::vector<uint8_t> syms(24, 0);
    for (const TestSymbol &s : symbols_) {
      put<uint32_t>(syms, intern(s.name));
      syms.push_back(static_cast<uint8_t>((s.bind << 4) | s.type));
      syms.push_back(0);
      put<uint16_t>(syms, s.shndx);
      put<uint64_t>(syms, s.value);
      put<uint64_t>(syms, s.size);
    }
    const uint32_t strtab_name = intern(".strtab");
    const uint32_t symtab_name = intern(".symtab");
    const std::vector<uint8_t> str_bytes(strings.begin(), strings.end());
    headers.push_back({strtab_name, kStrtab, 0, place(str_bytes),
                       str_bytes.size(), 0, 0, 1, 0});
    headers.push_back({symtab_name, kSymtab, 0, place(syms), syms.size(),
                       static_cast<uint32_t>(symtab - 1), 1, 8, 24});
    while (out.size() % 8 != 0)
      out.push_back(0);
    const uint64_t shoff = out.size();
    for (const Header &h : headers) {
      put(out, h.name);
      put(out, h.type);
      put(out, h.flags);
      put<uint64_t>(out, 0); // sh_addr
      put(out, h.offset);
      put(out, h.size);
      put(out, h.link);
      put(out, h.info);
      put(out, h.align);
      put(out, h.entsize);
    }
    const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(out.data(), ident, sizeof(ident));
    patch<uint16_t>(out, 16, 1);   // ET_REL
    patch<uint16_t>(out, 18, 247); // EM_BPF
    patch<uint32_t>(out, 20, 1);   // EV_CURRENT
    patch<uint64_t>(out, 40, shoff);
    patch<uint16_t>(out, 52, 64);
    patch<uint16_t>(out, 58, 64);
    patch<uint16_t>(out, 60, static_cast<uint16_t>(headers.size()));
    patch<uint16_t>(out, 62, static_cast<uint16_t>(symtab - 1)); // .strtab
    return out;
  }

private:
  struct Rel {
    uint16_t target;
    std::vector<TestReloc> entries;
    bool rela;
  };
  std::vector<TestSection> sections_;
  std::vector<TestSymbol> symbols_;
  std::vector<Rel> rels_;
};

// Offsets of header fields, for tests that break them.
inline constexpr size_t kShoffField = 40, kShnumField = 60, kShstrndxField = 62;
// The offset of field `field` (byte offset in Elf64_Shdr) of section `index`.
inline size_t section_field(const std::vector<uint8_t> &elf, size_t index,
                            size_t field) {
  uint64_t shoff = 0;
  std::memcpy(&shoff, elf.data() + kShoffField, 8);
  return static_cast<size_t>(shoff) + index * 64 + field;
}

} // namespace bpfhost::object::testing
