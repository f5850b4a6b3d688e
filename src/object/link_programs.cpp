#include "object/link_programs.hpp"

#include <algorithm>
#include <string>

#include "object/byte_reader.hpp"

namespace bpfhost::object::detail {
namespace {

constexpr size_t kNone = SIZE_MAX;
// Linux refuses programs longer than this (BPF_COMPLEXITY_LIMIT_INSNS,
// kernel/bpf/syscall.c bpf_prog_load); it also bounds the copies made here.
constexpr size_t kMaxProgramInsns = 1000000;
// Each program gets its own copy of the subprograms it calls, so a small
// object can ask for many copies; this bounds the model's size (128 MiB of
// instructions, far above any real object).
constexpr size_t kMaxObjectInsns = 16 * 1000000;

// enum bpf_core_relo_kind, for messages.
const char *core_kind_name(uint32_t kind) {
  static constexpr const char *kNames[] = {
      "field_byte_offset", "field_byte_size",  "field_exists",
      "field_signed",      "field_lshift_u64", "field_rshift_u64",
      "type_id_local",     "type_id_target",   "type_exists",
      "type_size",         "enumval_exists",   "enumval_value",
      "type_matches"};
  return kind < std::size(kNames) ? kNames[kind] : "unknown kind";
}

// The .BTF.ext records of one code section, sorted by instruction offset.
struct SectionExt {
  std::vector<BtfFuncInfo> funcs;
  std::vector<BtfLineInfo> lines;
  std::vector<BtfCoreRelo> core;
};

template <class Record>
Result<void> gather(const std::vector<BtfExtSection<Record>> &blocks,
                    const CodeLayout &code, std::vector<SectionExt> &out,
                    std::vector<Record> SectionExt::*field, const char *what) {
  for (const auto &block : blocks) {
    size_t s = 0;
    while (s < code.sections.size() &&
           code.sections[s].elf->name != block.section)
      ++s;
    if (s == code.sections.size())
      continue; // records of a section without code: nothing to attach to
    const uint64_t size = code.sections[s].elf->size;
    for (const Record &r : block.records)
      if (r.insn_off % 8 != 0 || r.insn_off >= size)
        return make_error(ErrorCode::InvalidInput,
                          std::string(what) + " of section " +
                              std::string(block.section) +
                              ": instruction offset " + hex(r.insn_off) +
                              " is not an instruction of the section",
                          "section .BTF.ext");
    auto &records = out[s].*field;
    records.insert(records.end(), block.records.begin(), block.records.end());
    std::stable_sort(records.begin(), records.end(),
                     [](const Record &a, const Record &b) {
                       return a.insn_off < b.insn_off;
                     });
  }
  return {};
}

// The records of `records` that fall inside function `f`.
template <class Record>
std::pair<const Record *, const Record *>
within(const std::vector<Record> &records, const Function &f) {
  auto by_off = [](const Record &r, uint64_t off) { return r.insn_off < off; };
  auto lo =
      std::lower_bound(records.begin(), records.end(), f.first * 8, by_off);
  auto hi =
      std::lower_bound(lo, records.end(), (f.first + f.count) * 8, by_off);
  return {records.data() + (lo - records.begin()),
          records.data() + (hi - records.begin())};
}

size_t section_position(const CodeLayout &code, uint32_t elf_index) {
  return code.position[elf_index];
}
std::string btf_string(const Btf *btf, uint32_t offset) {
  if (btf == nullptr)
    return {};
  return std::string(btf->string(offset).value_or(""));
}

// Marks every function holding a CO-RE relocation: applying them needs the
// target kernel's BTF (libbpf's bpf_object__relocate_core).
void mark_core(const CodeLayout &code, const std::vector<SectionExt> &ext,
               const Btf *btf, std::vector<FunctionRelocs> &relocs) {
  for (size_t s = 0; s < code.sections.size(); ++s)
    for (const BtfCoreRelo &r : ext[s].core) {
      const size_t insn = r.insn_off / 8;
      const auto f = code.function_at(code.sections[s].elf->index, insn);
      if (!f || relocs[*f].error)
        continue;
      relocs[*f].error = make_error(
          ErrorCode::NotSupported,
          std::string("CO-RE relocation (") + core_kind_name(r.kind) +
              " of BTF type [" + std::to_string(r.type) + "], access " +
              btf_string(btf, r.access_str_off) +
              ") against the kernel's BTF is not supported yet",
          code.sections[s].elf->label() + ": insn " + std::to_string(insn));
    }
}

void apply(const CodeReloc &r, size_t at, const std::vector<size_t> &base,
           ProgramSpec &program) {
  isa::RawInsn &insn = program.insns[at];
  auto set_src = [&insn](uint8_t src) {
    insn.regs = static_cast<uint8_t>((insn.regs & 0x0f) | (src << 4));
  };
  switch (r.kind) {
  case CodeReloc::Kind::Call:
    insn.imm = static_cast<int32_t>(static_cast<int64_t>(base[r.target]) -
                                    static_cast<int64_t>(at) - 1);
    return;
  case CodeReloc::Kind::FuncAddr:
    set_src(kPseudoFunc);
    insn.imm = static_cast<int32_t>(static_cast<int64_t>(base[r.target]) -
                                    static_cast<int64_t>(at) - 1);
    program.insns[at + 1].imm = 0;
    return;
  case CodeReloc::Kind::MapFd:
    set_src(kPseudoMapFd);
    insn.imm = static_cast<int32_t>(r.target);
    program.insns[at + 1].imm = 0;
    program.map_refs.push_back({at, r.target, MapRefKind::Fd, 0});
    return;
  case CodeReloc::Kind::MapValue:
    set_src(kPseudoMapValue);
    insn.imm = static_cast<int32_t>(r.target);
    program.insns[at + 1].imm = static_cast<int32_t>(r.offset);
    program.map_refs.push_back({at, r.target, MapRefKind::Value, r.offset});
    return;
  case CodeReloc::Kind::Helper:
    set_src(0);
    insn.imm = static_cast<int32_t>(r.target);
    return;
  }
}

// The functions of the program of function `main`, in layout order: depth
// first, in the order calls and callback addresses appear (libbpf's
// bpf_object__reloc_code); sets `base` of each. Stops once the program is
// longer than Linux allows.
std::vector<size_t> lay_out(const CodeLayout &code,
                            const std::vector<FunctionRelocs> &relocs,
                            size_t main, std::vector<size_t> &base) {
  std::vector<size_t> order{main};
  std::vector<std::pair<size_t, size_t>> stack{{main, 0}};
  base[main] = 0;
  size_t total = code.functions[main].count;
  while (!stack.empty() && total <= kMaxProgramInsns) {
    auto &[f, next] = stack.back();
    if (next == relocs[f].relocs.size()) {
      stack.pop_back();
      continue;
    }
    const CodeReloc &r = relocs[f].relocs[next++];
    if ((r.kind != CodeReloc::Kind::Call &&
         r.kind != CodeReloc::Kind::FuncAddr) ||
        base[r.target] != kNone)
      continue;
    base[r.target] = total;
    total += code.functions[r.target].count;
    order.push_back(r.target);
    stack.emplace_back(r.target, 0);
  }
  return order;
}

} // namespace

std::vector<size_t> program_functions(const CodeLayout &code) {
  std::vector<size_t> out;
  for (size_t f = 0; f < code.functions.size(); ++f)
    if (code.functions[f].is_program)
      out.push_back(f);
  return out;
}

Result<std::vector<ProgramSpec>> link_programs(LinkInput in) {
  const CodeLayout &code = in.code;
  std::vector<SectionExt> ext(code.sections.size());
  if (in.btf_ext != nullptr) {
    auto ok = gather(in.btf_ext->func_info, code, ext, &SectionExt::funcs,
                     "func info");
    if (ok)
      ok = gather(in.btf_ext->line_info, code, ext, &SectionExt::lines,
                  "line info");
    if (ok)
      ok = gather(in.btf_ext->core_relos, code, ext, &SectionExt::core,
                  "CO-RE relocations");
    if (!ok)
      return ok.error();
    mark_core(code, ext, in.btf, in.relocs);
  }

  std::vector<ProgramSpec> programs;
  std::vector<size_t> base(code.functions.size(), kNone);
  size_t copied = 0;
  for (size_t p : program_functions(code)) {
    const Function &main = code.functions[p];
    ProgramSpec program;
    program.name = std::string(main.name);
    program.section = std::string(code.section(main.section)->elf->name);

    const std::vector<size_t> order = lay_out(code, in.relocs, p, base);
    const size_t total =
        base[order.back()] + code.functions[order.back()].count;
    for (size_t f : order)
      if (in.relocs[f].error && !program.error)
        program.error = in.relocs[f].error->within("program " + program.name);

    if (total > kMaxProgramInsns) {
      program.error = make_error(
          ErrorCode::OutOfRange,
          "with its subprograms it has more than " +
              std::to_string(kMaxProgramInsns) +
              " instructions, Linux's limit (BPF_COMPLEXITY_LIMIT_INSNS)",
          "program " + program.name);
    } else {
      program.insns.reserve(total);
      for (size_t f : order) {
        const Function &fn = code.functions[f];
        const size_t s = section_position(code, fn.section);
        const auto &insns = code.sections[s].insns;
        program.insns.insert(program.insns.end(), insns.begin() + fn.first,
                             insns.begin() + fn.first + fn.count);
        FunctionRange range{std::string(fn.name), base[f], fn.count, 0};
        auto [fi, fi_end] = within(ext[s].funcs, fn);
        if (fi != fi_end && fi->insn_off == fn.first * 8)
          range.btf_type = fi->type;
        program.functions.push_back(std::move(range));
      }
      for (size_t f : order) {
        const Function &fn = code.functions[f];
        const size_t s = section_position(code, fn.section);
        for (const CodeReloc &r : in.relocs[f].relocs)
          apply(r, base[f] + r.insn, base, program);
        auto [line, line_end] = within(ext[s].lines, fn);
        for (; line != line_end; ++line)
          program.line_info.push_back({base[f] + line->insn_off / 8 - fn.first,
                                       btf_string(in.btf, line->file_name_off),
                                       btf_string(in.btf, line->line_off),
                                       line->line_col >> 10,
                                       line->line_col & 0x3ff});
        auto [core, core_end] = within(ext[s].core, fn);
        for (; core != core_end; ++core)
          program.core_relocations.push_back(
              {base[f] + core->insn_off / 8 - fn.first, core->type,
               btf_string(in.btf, core->access_str_off), core->kind});
      }
    }
    for (size_t f : order)
      base[f] = kNone;
    copied += program.insns.size();
    if (copied > kMaxObjectInsns)
      return make_error(ErrorCode::ResourceExhausted,
                        "programs with their subprograms add up to more than " +
                            std::to_string(kMaxObjectInsns) + " instructions");
    programs.push_back(std::move(program));
  }
  return programs;
}

} // namespace bpfhost::object::detail
