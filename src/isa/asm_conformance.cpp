// The conformance-syntax statement grammar: a mnemonic from the opcode table,
// then comma-separated operands laid out as conformance_syntax.hpp says. The
// fields are placed in a slot of the row's opcode and decoded, so the IR comes
// from the one decoder and no opcode bits are computed here.
#include <string>
#include <vector>

#include "isa/asm_lexer.hpp"
#include "isa/asm_statement.hpp"
#include "isa/conformance_syntax.hpp"
#include "isa/decode.hpp"
#include "isa/lddw_source.hpp"

namespace bpfhost::isa::detail {
namespace {

enum class Shape { Reg, Mem, Value };

Shape shape_of(std::string_view operand) {
  if (operand.front() == '%')
    return Shape::Reg;
  if (operand.front() == '[')
    return Shape::Mem;
  return Shape::Value;
}

Shape shape_of(OperandKind kind) {
  switch (kind) {
  case OperandKind::Dst:
  case OperandKind::Src:
    return Shape::Reg;
  case OperandKind::MemDst:
  case OperandKind::MemSrc:
    return Shape::Mem;
  case OperandKind::Imm:
  case OperandKind::Imm64:
  case OperandKind::TargetOff:
  case OperandKind::TargetImm:
  case OperandKind::Module:
    return Shape::Value;
  }
  return Shape::Value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// "lock [fetch] OP", "call local|btf|runtime|helper", or one word.
Result<std::string> read_mnemonic(Cursor &c) {
  std::string word(c.take_word());
  if (word.empty())
    return syntax_error("expected a mnemonic, found '" +
                        std::string(c.peek_token()) + "'");
  if (word == "lock") {
    if (c.eat_word("fetch"))
      word += " fetch";
    if (c.at_end())
      return syntax_error(word + ": invalid number of operands");
    std::string_view op = c.take_word();
    if (op.empty())
      return syntax_error(word + ": expected an atomic operation, found '" +
                          std::string(c.peek_token()) + "'");
    return word + " " + std::string(op);
  }
  if (word == "call") {
    for (std::string_view mode : {"local", "btf", "runtime", "helper"}) {
      if (c.eat_word(mode))
        return word + " " + std::string(mode);
    }
  }
  return word;
}

Result<std::vector<std::string_view>> split_operands(std::string_view rest,
                                                     const std::string &mn) {
  std::vector<std::string_view> out;
  if (trim(rest).empty())
    return out;
  for (size_t start = 0;;) {
    size_t comma = rest.find(',', start);
    std::string_view operand = trim(rest.substr(start, comma - start));
    if (operand.empty())
      return syntax_error(mn + ": empty operand");
    out.push_back(operand);
    if (comma == std::string_view::npos)
      return out;
    start = comma + 1;
  }
}

bool fits(const OperandLayout &layout, size_t count) {
  const bool optional_last =
      layout.count > 0 && layout.kinds[layout.count - 1] == OperandKind::Module;
  return count == layout.count || (optional_last && count + 1 == layout.count);
}

bool matches(const OperandLayout &layout,
             const std::vector<std::string_view> &operands) {
  if (!fits(layout, operands.size()))
    return false;
  for (size_t i = 0; i < operands.size(); ++i) {
    if (shape_of(operands[i]) != shape_of(layout.kinds[i]))
      return false;
  }
  return true;
}

// The row whose operand shapes match; else one with the right count, so that
// parsing its operands reports what is wrong; else a count error.
Result<const OpcodeRow *> choose_row(const std::vector<const OpcodeRow *> &rows,
                                     const std::vector<std::string_view> &ops,
                                     const std::string &mn) {
  for (const OpcodeRow *row : rows) {
    if (matches(operand_layout(*row), ops))
      return row;
  }
  for (const OpcodeRow *row : rows) {
    if (fits(operand_layout(*row), ops.size()))
      return row;
  }
  return syntax_error(mn + ": invalid number of operands (expected " +
                      std::to_string(operand_layout(*rows.front()).count) +
                      ", found " + std::to_string(ops.size()) + ")");
}

Result<Reg> parse_register(std::string_view text) {
  if (text.substr(0, 2) != "%r")
    return syntax_error("invalid register '" + std::string(text) + "'");
  return register_index(text.substr(2), text);
}

struct Memory {
  Reg reg;
  int16_t off = 0;
};

// [%rN], [%rN+off], [%rN-off]
Result<Memory> parse_memory(std::string_view text, const std::string &mn) {
  if (text.front() != '[' || text.back() != ']')
    return syntax_error(mn +
                        ": expected a memory operand like [%r1+0], found '" +
                        std::string(text) + "'");
  std::string_view inner = trim(text.substr(1, text.size() - 2));
  size_t sign = inner.find_first_of("+-");
  BPFHOST_TRY(reg, parse_register(trim(inner.substr(0, sign))));
  if (sign == std::string_view::npos)
    return Memory{reg, 0};
  Cursor c(inner.substr(sign));
  BPFHOST_TRY(lit, c.signed_literal("an offset"));
  BPFHOST_TRY(off, to_off16(lit));
  if (auto r = c.end(mn); !r)
    return r.error();
  return Memory{reg, off};
}

Result<int32_t> parse_imm(std::string_view text, const std::string &mn) {
  Cursor c(text);
  BPFHOST_TRY(imm, c.imm32());
  if (auto r = c.end(mn); !r)
    return r.error();
  return imm;
}

// Sets the field of `raw` that `kind` names from the operand text.
Result<void> place(OperandKind kind, std::string_view text, RawInsn &raw,
                   Statement &out, const std::string &mn) {
  auto set_regs = [&raw](uint8_t dst, uint8_t src) {
    raw.regs = static_cast<uint8_t>((dst & 0x0f) | (src << 4));
  };
  switch (kind) {
  case OperandKind::Dst:
  case OperandKind::Src: {
    BPFHOST_TRY(reg, parse_register(text));
    if (kind == OperandKind::Dst)
      set_regs(reg.index, raw.src());
    else
      set_regs(raw.dst(), reg.index);
    return {};
  }
  case OperandKind::MemDst:
  case OperandKind::MemSrc: {
    BPFHOST_TRY(mem, parse_memory(text, mn));
    if (kind == OperandKind::MemDst)
      set_regs(mem.reg.index, raw.src());
    else
      set_regs(raw.dst(), mem.reg.index);
    raw.off = mem.off;
    return {};
  }
  case OperandKind::Imm: {
    BPFHOST_TRY(imm, parse_imm(text, mn));
    raw.imm = imm;
    return {};
  }
  case OperandKind::Module: {
    Cursor c(text);
    BPFHOST_TRY(off, c.off16());
    raw.off = off;
    return c.end(mn);
  }
  case OperandKind::TargetOff:
  case OperandKind::TargetImm: {
    Cursor c(text);
    BPFHOST_TRY(target, c.target(false));
    if (auto r = c.end(mn); !r)
      return r.error();
    out.target_label = target.label;
    const std::string written(text);
    if (kind == OperandKind::TargetOff) {
      BPFHOST_TRY(off, target_to_off16(target.offset, written));
      raw.off = off;
    } else {
      BPFHOST_TRY(imm, target_to_imm32(target.offset, written));
      raw.imm = imm;
    }
    return {};
  }
  case OperandKind::Imm64:
    break; // lddw is built by parse_lddw
  }
  return make_error(ErrorCode::Internal, mn + ": operand kind not placeable");
}

// lddw %rN, VALUE | pseudo source
Result<Statement> parse_lddw(const std::vector<std::string_view> &ops) {
  BPFHOST_TRY(dst, parse_register(ops[0]));
  Cursor c(ops[1]);
  BPFHOST_TRY(pseudo, parse_pseudo_lddw(c));
  Statement out{LoadImm64{dst, LddwKind::Imm, 0, 0}, std::nullopt};
  auto &lddw = std::get<LoadImm64>(out.insn);
  if (pseudo) {
    lddw.kind = pseudo->kind;
    lddw.imm = pseudo->imm;
    lddw.next_imm = pseudo->next_imm;
    out.target_label = pseudo->label;
  } else {
    BPFHOST_TRY(value, c.imm64());
    lddw.imm = static_cast<int32_t>(static_cast<uint32_t>(value));
    lddw.next_imm = static_cast<int32_t>(static_cast<uint32_t>(value >> 32));
  }
  if (auto r = c.end("lddw"); !r)
    return r.error();
  return out;
}

void set_selector(const OpcodeRow &row, RawInsn &raw) {
  switch (row.selector) {
  case Selector::None:
    break;
  case Selector::Src:
    raw.regs = static_cast<uint8_t>(raw.dst() | (row.selector_value << 4));
    break;
  case Selector::Off:
    raw.off = static_cast<int16_t>(row.selector_value);
    break;
  case Selector::Imm:
    raw.imm = row.selector_value;
    break;
  }
}

} // namespace

Result<Statement> parse_conformance_statement(std::string_view text) {
  Cursor c(text);
  BPFHOST_TRY(mn, read_mnemonic(c));
  BPFHOST_TRY(ops, split_operands(c.rest(), mn));
  if (mn == "call" && ops.size() == 1 && shape_of(ops[0]) == Shape::Reg)
    mn = "callx"; // the corpus writes callx as "call %r2"
  const auto rows = rows_for_mnemonic(mn);
  if (rows.empty())
    return syntax_error("unknown mnemonic '" + mn + "'");
  BPFHOST_TRY(row, choose_row(rows, ops, mn));
  const OperandLayout layout = operand_layout(*row);
  if (layout.count > 0 && layout.kinds[layout.count - 1] == OperandKind::Imm64)
    return parse_lddw(ops);
  RawInsn raw{};
  raw.opcode = row->opcode;
  set_selector(*row, raw);
  Statement out{Exit{}, std::nullopt};
  for (size_t i = 0; i < ops.size(); ++i) {
    if (auto r = place(layout.kinds[i], ops[i], raw, out, mn); !r)
      return r.error();
  }
  auto insn = decode_at(std::span<const RawInsn>(&raw, 1), 0);
  if (!insn)
    return make_error(ErrorCode::Internal,
                      mn + ": the decoder rejects the assembled slot: " +
                          insn.error().message);
  out.insn = std::move(insn).value();
  return out;
}

} // namespace bpfhost::isa::detail
