#include "object/code_layout.hpp"

#include <algorithm>
#include <string>

#include "object/byte_reader.hpp"

namespace bpfhost::object::detail {
namespace {

constexpr uint64_t kInsnSize = 8;

Error invalid(std::string message, const ElfSection &s) {
  return make_error(ErrorCode::InvalidInput, std::move(message), s.label());
}

// The functions of one code section, sorted and checked for overlap.
Result<std::vector<Function>> functions_of(const ElfFile &elf,
                                           const ElfSection &s) {
  std::vector<Function> out;
  for (const ElfSymbol *symbol : elf.symbols_in(s.index)) {
    const ElfSymbol &sym = *symbol;
    if (sym.type != kSymbolFunc)
      continue;
    const std::string what = "function " + std::string(sym.name);
    if (sym.value % kInsnSize != 0 || sym.size % kInsnSize != 0)
      return invalid(what + " (" + hex(sym.size) + " bytes at " +
                         hex(sym.value) + ") is not aligned to instructions",
                     s);
    if (sym.size == 0)
      return invalid(what + " at " + hex(sym.value) + " has size 0", s);
    if (sym.value > s.size || sym.size > s.size - sym.value)
      return invalid(what + " (" + hex(sym.size) + " bytes at " +
                         hex(sym.value) +
                         ") extends past the end of the "
                         "section (" +
                         hex(s.size) + " bytes)",
                     s);
    out.push_back({s.index, sym.name, sym.value / kInsnSize,
                   sym.size / kInsnSize, false});
  }
  std::sort(out.begin(), out.end(), [](const Function &a, const Function &b) {
    return a.first < b.first;
  });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i - 1].first + out[i - 1].count > out[i].first)
      return invalid("functions " + std::string(out[i - 1].name) + " and " +
                         std::string(out[i].name) + " overlap",
                     s);
  if (out.empty())
    out.push_back({s.index, s.name, 0, s.size / kInsnSize, false});
  return out;
}

// An lddw takes two slots; a function may not end between them, or the
// copy of the function would cut the instruction. Marks the second slots.
Result<void> check_lddw_pairs(CodeSection &code,
                              const std::vector<Function> &functions) {
  constexpr uint8_t kOpLddw = 0x18; // BPF_LD | BPF_IMM | BPF_DW
  code.second_slot.assign(code.insns.size(), false);
  for (size_t f : code.functions) {
    const Function &fn = functions[f];
    for (size_t i = fn.first; i < fn.first + fn.count; ++i) {
      if (code.insns[i].opcode != kOpLddw)
        continue;
      if (i + 1 == fn.first + fn.count)
        return invalid("function " + std::string(fn.name) +
                           " ends inside an lddw (insn " + std::to_string(i) +
                           " has no second slot)",
                       *code.elf);
      code.second_slot[++i] = true;
    }
  }
  return {};
}

} // namespace

const CodeSection *CodeLayout::section(uint32_t elf_index) const {
  if (elf_index >= position.size() || position[elf_index] == SIZE_MAX)
    return nullptr;
  return &sections[position[elf_index]];
}

std::optional<size_t> CodeLayout::function_at(uint32_t elf_index,
                                              size_t insn) const {
  const CodeSection *s = section(elf_index);
  if (s == nullptr)
    return std::nullopt;
  // The last function starting at or before insn, if it covers insn.
  auto it = std::upper_bound(
      s->functions.begin(), s->functions.end(), insn,
      [this](size_t at, size_t f) { return at < functions[f].first; });
  if (it == s->functions.begin())
    return std::nullopt;
  const Function &f = functions[*(it - 1)];
  if (insn >= f.first + f.count)
    return std::nullopt;
  return *(it - 1);
}

std::optional<size_t> CodeLayout::function_starting_at(uint32_t elf_index,
                                                       size_t insn) const {
  const auto f = function_at(elf_index, insn);
  if (f && functions[*f].first == insn)
    return f;
  return std::nullopt;
}

Result<CodeLayout> find_code(const ElfFile &elf) {
  CodeLayout layout;
  bool only_text = true;
  for (const ElfSection &s : elf.sections()) {
    if (!s.is_code() || s.size == 0)
      continue;
    if (s.size % kInsnSize != 0)
      return invalid("code size " + hex(s.size) +
                         " is not a multiple of the instruction size (8)",
                     s);
    if (s.name != ".text")
      only_text = false;
    CodeSection code;
    code.elf = &s;
    code.insns = isa::raw_insns_from_bytes(s.data);
    auto functions = functions_of(elf, s);
    if (!functions)
      return functions.error();
    for (Function &f : *functions) {
      code.functions.push_back(layout.functions.size());
      layout.functions.push_back(f);
    }
    if (auto ok = check_lddw_pairs(code, layout.functions); !ok)
      return ok.error();
    if (layout.position.size() <= s.index)
      layout.position.resize(s.index + 1, SIZE_MAX);
    layout.position[s.index] = layout.sections.size();
    layout.sections.push_back(std::move(code));
  }
  for (Function &f : layout.functions)
    f.is_program = only_text || elf.section(f.section)->name != ".text";
  return layout;
}

} // namespace bpfhost::object::detail
