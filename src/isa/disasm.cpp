#include "isa/disasm.hpp"

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "isa/conformance_syntax.hpp"
#include "isa/decode.hpp"
#include "isa/disasm_printers.hpp"
#include "isa/encode.hpp"
#include "isa/lddw_source.hpp"
#include "isa/opcode_table.hpp"

namespace bpfhost::isa {
namespace detail {
namespace {

std::string reg(uint8_t index) { return "%r" + std::to_string(index); }

std::string signed_text(int64_t v) {
  return (v < 0 ? "" : "+") + std::to_string(v);
}

std::string lddw_operand(const Insn &insn) {
  const auto &lddw = std::get<LoadImm64>(insn);
  if (lddw.kind != LddwKind::Imm)
    return format_pseudo_lddw(lddw);
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, lddw.value());
  return buf;
}

std::string operand_text(OperandKind kind, const RawInsn &raw,
                         const Insn &insn) {
  switch (kind) {
  case OperandKind::Dst:
    return reg(raw.dst());
  case OperandKind::Src:
    return reg(raw.src());
  case OperandKind::Imm:
    return std::to_string(raw.imm);
  case OperandKind::Imm64:
    return lddw_operand(insn);
  case OperandKind::MemDst:
    return "[" + reg(raw.dst()) + signed_text(raw.off) + "]";
  case OperandKind::MemSrc:
    return "[" + reg(raw.src()) + signed_text(raw.off) + "]";
  case OperandKind::TargetOff:
    return signed_text(raw.off);
  case OperandKind::TargetImm:
    return signed_text(raw.imm);
  case OperandKind::Module:
    return raw.off == 0 ? std::string() : std::to_string(raw.off);
  }
  return {};
}

} // namespace

// Encodes the instruction and prints the fields its opcode-table row uses,
// in the order conformance_syntax.hpp lays them out.
std::string print_conformance(const Insn &insn) {
  std::vector<RawInsn> raw;
  encode(insn, raw);
  const OpcodeRow *row = find_opcode_row(raw.front());
  if (row == nullptr)
    return "<invalid: no opcode-table row for this instruction>";
  std::string out(printed_mnemonic(*row));
  const char *separator = " ";
  const OperandLayout layout = operand_layout(*row);
  for (OperandKind kind : layout.operands()) {
    std::string text = operand_text(kind, raw.front(), insn);
    if (text.empty())
      continue;
    out += separator + text;
    separator = ", ";
  }
  return out;
}

} // namespace detail

std::string disassemble(const Insn &insn, Syntax syntax) {
  switch (syntax) {
  case Syntax::Conformance:
    return detail::print_conformance(insn);
  case Syntax::Bpftool:
    return detail::print_bpftool(insn);
  }
  return {};
}

namespace {

std::string listing(std::span<const RawInsn> slots, Syntax syntax,
                    const ListingOptions *options) {
  std::string out;
  for (size_t pc = 0; pc < slots.size();) {
    if (options != nullptr) {
      char prefix[32];
      if (options->opcodes)
        std::snprintf(prefix, sizeof prefix, "%4lu: (%02x) ",
                      static_cast<unsigned long>(pc), slots[pc].opcode);
      else
        std::snprintf(prefix, sizeof prefix,
                      "%4lu: ", static_cast<unsigned long>(pc));
      out += prefix;
    }
    auto insn = decode_at(slots, pc);
    if (!insn) {
      out += "<invalid: " + insn.error().message + ">\n";
      ++pc;
      continue;
    }
    out += disassemble(*insn, syntax) + "\n";
    pc += slot_count(*insn);
  }
  return out;
}

} // namespace

std::string disassemble(std::span<const RawInsn> slots, Syntax syntax) {
  return listing(slots, syntax, nullptr);
}

std::string disassemble_listing(std::span<const RawInsn> slots, Syntax syntax,
                                ListingOptions options) {
  return listing(slots, syntax, &options);
}

} // namespace bpfhost::isa
