// Internal: how the conformance syntax lays out the fields of each opcode-table
// row as operands ("ldxw %r0, [%r1+2]": dst, then src and off as memory).
// The disassembler and the assembler both read it, so they cannot disagree.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "isa/opcode_table.hpp"

namespace bpfhost::isa::detail {

enum class OperandKind : uint8_t {
  Dst,       // %rN in dst_reg
  Src,       // %rN in src_reg
  Imm,       // imm as a number
  Imm64,     // lddw: the 64-bit value or a pseudo source
  MemDst,    // [%rN+off] with N in dst_reg (stores, atomics)
  MemSrc,    // [%rN+off] with N in src_reg (loads)
  TargetOff, // jump target in off: +N, -N or a label
  TargetImm, // jump target in imm (ja32, call local)
  Module,    // off of a kfunc call (BTF module index); omitted when 0
};

struct OperandLayout {
  OperandKind kinds[3];
  size_t count = 0;
  std::span<const OperandKind> operands() const { return {kinds, count}; }
};

OperandLayout operand_layout(const OpcodeRow &row);

// The mnemonic the disassembler prints: the table's, except that callx prints
// as "call %rN", the corpus's spelling (callx.data).
std::string_view printed_mnemonic(const OpcodeRow &row);

// The rows a mnemonic names, after the aliases the corpus and bpf_conformance
// accept: swapNN = bswapNN, "call runtime" = "call btf", "call helper" =
// "call", and a "64" suffix on a 64-bit mnemonic ("add64" = "add").
std::vector<const OpcodeRow *> rows_for_mnemonic(std::string_view mnemonic);

} // namespace bpfhost::isa::detail
