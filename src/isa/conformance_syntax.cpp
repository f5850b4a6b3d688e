#include "isa/conformance_syntax.hpp"

#include <string>

namespace bpfhost::isa::detail {
namespace {

using K = OperandKind;

OperandLayout layout(std::initializer_list<OperandKind> kinds) {
  OperandLayout out;
  for (OperandKind k : kinds)
    out.kinds[out.count++] = k;
  return out;
}

OperandLayout load_layout(const OpcodeRow &row) {
  if ((row.opcode & 0xe0) == kModeImm)
    return layout({K::Dst, K::Imm64});
  if (row.uses & kSrc)
    return layout({K::Src, K::Imm}); // ldind
  return layout({K::Imm});           // ldabs
}

OperandLayout alu_layout(const OpcodeRow &row) {
  if (row.uses & kImm)
    return layout({K::Dst, K::Imm});
  if (row.uses & kSrc)
    return layout({K::Dst, K::Src});
  return layout({K::Dst}); // neg, byte order
}

OperandLayout jump_layout(const OpcodeRow &row) {
  if (row.selector == Selector::Src) { // the CALL variants
    if (row.selector_value == kCallLocal)
      return layout({K::TargetImm});
    if (row.selector_value == kCallBtf)
      return layout({K::Imm, K::Module});
    return layout({K::Imm});
  }
  switch (row.uses) {
  case kNone:
    return layout({}); // exit
  case kDst:
    return layout({K::Dst}); // callx
  case kOff:
    return layout({K::TargetOff}); // ja
  case kImm:
    return layout({K::TargetImm}); // ja32
  default:
    if (row.uses & kSrc)
      return layout({K::Dst, K::Src, K::TargetOff});
    return layout({K::Dst, K::Imm, K::TargetOff});
  }
}

bool is_64bit_group(std::string_view group) {
  return group.size() >= 2 && group.substr(group.size() - 2) == "64";
}

std::vector<const OpcodeRow *> exact_rows(std::string_view mnemonic) {
  std::vector<const OpcodeRow *> rows;
  for (const OpcodeRow &row : opcode_table()) {
    if (row.mnemonic == mnemonic)
      rows.push_back(&row);
  }
  return rows;
}

} // namespace

OperandLayout operand_layout(const OpcodeRow &row) {
  switch (insn_class(row.opcode)) {
  case InsnClass::Ld:
    return load_layout(row);
  case InsnClass::Ldx:
    return layout({K::Dst, K::MemSrc});
  case InsnClass::St:
    return layout({K::MemDst, K::Imm});
  case InsnClass::Stx:
    return layout({K::MemDst, K::Src});
  case InsnClass::Alu:
  case InsnClass::Alu64:
    return alu_layout(row);
  case InsnClass::Jmp:
  case InsnClass::Jmp32:
    return jump_layout(row);
  }
  return layout({});
}

std::string_view printed_mnemonic(const OpcodeRow &row) {
  return row.mnemonic == "callx" ? std::string_view("call") : row.mnemonic;
}

std::vector<const OpcodeRow *> rows_for_mnemonic(std::string_view mnemonic) {
  if (auto rows = exact_rows(mnemonic); !rows.empty())
    return rows;
  if (mnemonic.substr(0, 4) == "swap")
    return exact_rows("b" + std::string(mnemonic));
  if (mnemonic == "call runtime")
    return exact_rows("call btf");
  if (mnemonic == "call helper")
    return exact_rows("call");
  if (mnemonic.size() > 2 && mnemonic.substr(mnemonic.size() - 2) == "64") {
    auto rows = exact_rows(mnemonic.substr(0, mnemonic.size() - 2));
    if (!rows.empty() && is_64bit_group(rows.front()->group))
      return rows;
  }
  return {};
}

} // namespace bpfhost::isa::detail
