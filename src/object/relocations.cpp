#include "object/relocations.hpp"

#include <algorithm>
#include <string>

#include "object/byte_reader.hpp"
#include "object/linux_helpers.hpp"

namespace bpfhost::object::detail {
namespace {

constexpr uint8_t kOpCall = 0x85; // BPF_JMP | BPF_CALL
constexpr uint8_t kOpLddw = 0x18; // BPF_LD | BPF_IMM | BPF_DW
constexpr int64_t kInsnSize = 8;
// Offsets within a section fit 32 bits (lddw and call take 32-bit imm);
// larger addends can only be malformed, and would overflow the arithmetic.
constexpr int64_t kMaxAddend = int64_t{1} << 40;

// R_BPF_* (LLVM's BPFELFObjectWriter; kernel Documentation/bpf/llvm_reloc.rst).
// As in libbpf, a code relocation is read by its instruction, not its type:
// old toolchains wrote R_BPF_NONE with SHT_RELA for map references (the
// corpus's ovs/datapath.o), so any known type is accepted on code.
bool is_known_type(uint32_t type) {
  switch (type) {
  case 0:  // R_BPF_NONE
  case 1:  // R_BPF_64_64
  case 2:  // R_BPF_64_ABS64
  case 3:  // R_BPF_64_ABS32
  case 4:  // R_BPF_64_NODYLD32
  case 10: // R_BPF_64_32
    return true;
  default:
    return false;
  }
}

class Resolver {
public:
  Resolver(const ElfFile &elf, const CodeLayout &code, const MapTable &maps)
      : elf_(elf), code_(code), maps_(maps), out_(code.functions.size()) {}

  Result<std::vector<FunctionRelocs>> run() {
    for (const CodeSection &cs : code_.sections)
      if (auto ok = section(cs); !ok)
        return ok.error();
    for (FunctionRelocs &f : out_)
      std::stable_sort(f.relocs.begin(), f.relocs.end(),
                       [](const CodeReloc &a, const CodeReloc &b) {
                         return a.insn < b.insn;
                       });
    return std::move(out_);
  }

private:
  Result<void> section(const CodeSection &cs) {
    std::vector<bool> relocated(cs.insns.size(), false);
    for (const ElfSection *rel : elf_.relocations_of(cs.elf->index)) {
      auto relocs = elf_.relocations(*rel);
      if (!relocs)
        return relocs.error();
      for (size_t n = 0; n < relocs->size(); ++n) {
        const ElfRelocation &r = (*relocs)[n];
        const std::string where = cs.elf->label() + ": relocation #" +
                                  std::to_string(n) + " at offset " +
                                  hex(r.offset);
        auto ok = one(cs, r, where, relocated);
        if (!ok)
          return ok.error().within(where);
      }
    }
    return local_calls(cs, relocated);
  }

  // One relocation at `where`; errors that fail the object are located by
  // the caller, those that mark a function carry `where` themselves.
  Result<void> one(const CodeSection &cs, const ElfRelocation &r,
                   const std::string &where, std::vector<bool> &relocated) {
    if (!is_known_type(r.type))
      return fail("unknown relocation type " + std::to_string(r.type));
    if (r.offset % kInsnSize != 0 || r.offset >= cs.elf->size)
      return fail("offset is not an instruction of the section (" +
                  hex(cs.elf->size) + " bytes)");
    const size_t index = r.offset / kInsnSize;
    const auto function = code_.function_at(cs.elf->index, index);
    if (!function)
      return {}; // between functions: libbpf skips these too
    if (relocated[index])
      return fail("second relocation of the same instruction");
    if (cs.second_slot[index])
      return fail("relocation of the second slot of an lddw");
    relocated[index] = true;
    const Function &f = code_.functions[*function];
    const isa::RawInsn &insn = cs.insns[index];
    const ElfSymbol &sym = elf_.symbols()[r.symbol];
    const std::string name(elf_.symbol_name(sym));
    CodeReloc reloc;
    reloc.insn = index - f.first;

    if (insn.opcode != kOpCall && insn.opcode != kOpLddw)
      return fail("relocation against " + name + " on opcode " +
                  hex(insn.opcode) + ", which is neither lddw nor call");
    if (insn.opcode == kOpLddw && index + 1 >= f.first + f.count)
      return fail("lddw is missing its second slot");
    if (sym.shndx == kSectionUndef) {
      if (insn.opcode == kOpLddw)
        return mark(*function,
                    make_error(ErrorCode::NotSupported,
                               "lddw of extern variable " + name +
                                   " (.kconfig or .ksyms) is not supported "
                                   "yet",
                               where));
      const auto helper = linux_helper_id(name);
      if (!helper)
        return mark(
            *function,
            make_error(ErrorCode::NotFound,
                       "call to " + name + ", which the object does not define",
                       where));
      reloc.kind = CodeReloc::Kind::Helper;
      reloc.target = static_cast<size_t>(*helper);
      return add(*function, reloc);
    }
    if (!sym.in_section())
      return fail("relocation against " + name + " in special section " +
                  hex(sym.shndx) + " (an uninitialized global variable?)");
    const ElfSection &target = *elf_.section(sym.shndx);
    if (sym.value > target.size)
      return fail("symbol " + name + " at " + hex(sym.value) +
                  " lies outside its " + target.label() + " (" +
                  hex(target.size) + " bytes)");
    if (r.addend < -kMaxAddend || r.addend > kMaxAddend)
      return fail("addend " + std::to_string(r.addend) + " is out of range");
    // The byte offset in the target section the instruction refers to: the
    // symbol plus the addend (for SHT_REL the addend is the instruction's
    // imm, for calls counted in instructions and relative to the next one).
    const int64_t base = static_cast<int64_t>(sym.value) + r.addend;

    if (insn.opcode == kOpCall) {
      if (insn.src() != 1)
        return fail("call relocation against " + name + " has src_reg " +
                    std::to_string(insn.src()) +
                    " (expected 1, a BPF-to-BPF call)");
      const int64_t at = base / kInsnSize + insn.imm + 1;
      reloc.kind = CodeReloc::Kind::Call;
      return code_target(*function, reloc, target, base, at, name);
    }
    if (maps_.is_map_section(target.index)) {
      // As libbpf: the symbol names the map; a section symbol with the
      // offset in imm is what old compilers wrote.
      const int64_t at = base + (sym.type == kSymbolSection ? insn.imm : 0);
      const auto map =
          at >= 0 ? maps_.definition_at(target.index, static_cast<uint64_t>(at))
                  : std::nullopt;
      if (!map)
        return fail("lddw of " + name + ": no map definition at offset " +
                    hex(static_cast<uint64_t>(at)) + " of " + target.label());
      reloc.kind = CodeReloc::Kind::MapFd;
      reloc.target = *map;
      return add(*function, reloc);
    }
    if (const auto map = maps_.data_map(target.index)) {
      const int64_t at = base + insn.imm;
      if (at < 0 || static_cast<uint64_t>(at) > target.size)
        return fail("lddw of " + name + ": offset " + std::to_string(at) +
                    " is outside " + target.label() + " (" + hex(target.size) +
                    " bytes)");
      reloc.kind = CodeReloc::Kind::MapValue;
      reloc.target = *map;
      reloc.offset = static_cast<uint32_t>(at);
      return add(*function, reloc);
    }
    if (target.is_code()) {
      // libbpf's RELO_SUBPROG_ADDR: imm is a byte offset for static callees.
      const int64_t bytes = base + insn.imm;
      reloc.kind = CodeReloc::Kind::FuncAddr;
      return code_target(*function, reloc, target, bytes,
                         bytes % kInsnSize == 0 ? bytes / kInsnSize : -1, name);
    }
    return fail("lddw relocation against " + name + " in " + target.label() +
                ", which holds no maps, global data or code");
  }

  // A call or function address into `target` at instruction `at`, which must
  // start a function.
  Result<void> code_target(size_t function, CodeReloc reloc,
                           const ElfSection &target, int64_t base, int64_t at,
                           const std::string &name) {
    if (!target.is_code())
      return fail("call relocation against " + name + " in " + target.label() +
                  ", which holds no code");
    if (base % kInsnSize != 0 || at < 0)
      return fail("target of " + name + " is not an instruction boundary");
    const auto callee =
        code_.function_starting_at(target.index, static_cast<size_t>(at));
    if (!callee)
      return fail("target of " + name + " (instruction " + std::to_string(at) +
                  " of " + target.label() + ") is not the start of a function");
    reloc.target = *callee;
    return add(function, reloc);
  }

  // Calls with src_reg 1 and no relocation are pc-relative within the
  // section (clang resolves calls to static functions of the same section).
  Result<void> local_calls(const CodeSection &cs,
                           const std::vector<bool> &relocated) {
    for (size_t f : cs.functions) {
      const Function &fn = code_.functions[f];
      for (size_t i = fn.first; i < fn.first + fn.count; ++i) {
        const isa::RawInsn &insn = cs.insns[i];
        if (insn.opcode != kOpCall || insn.src() != 1 || relocated[i] ||
            cs.second_slot[i])
          continue;
        const int64_t at = static_cast<int64_t>(i) + insn.imm + 1;
        if (at >= static_cast<int64_t>(fn.first) &&
            at < static_cast<int64_t>(fn.first + fn.count))
          continue; // inside the same function: copied along with it
        const auto callee =
            at >= 0 ? code_.function_starting_at(cs.elf->index,
                                                 static_cast<size_t>(at))
                    : std::nullopt;
        if (!callee)
          return make_error(ErrorCode::InvalidInput,
                            "call target " + std::to_string(at) +
                                " is not the start of a function",
                            cs.elf->label() + ": insn " + std::to_string(i));
        CodeReloc reloc;
        reloc.insn = i - fn.first;
        reloc.kind = CodeReloc::Kind::Call;
        reloc.target = *callee;
        out_[f].relocs.push_back(reloc);
      }
    }
    return {};
  }

  Result<void> add(size_t function, const CodeReloc &reloc) {
    out_[function].relocs.push_back(reloc);
    return {};
  }
  Result<void> mark(size_t function, Error error) {
    if (!out_[function].error)
      out_[function].error = std::move(error);
    return {};
  }
  static Error fail(std::string message) {
    return make_error(ErrorCode::InvalidInput, std::move(message));
  }

  const ElfFile &elf_;
  const CodeLayout &code_;
  const MapTable &maps_;
  std::vector<FunctionRelocs> out_;
};

} // namespace

Result<std::vector<FunctionRelocs>> resolve_relocations(const ElfFile &elf,
                                                        const CodeLayout &code,
                                                        const MapTable &maps) {
  return Resolver(elf, code, maps).run();
}

} // namespace bpfhost::object::detail
