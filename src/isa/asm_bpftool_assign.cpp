// The bpftool grammar's assignments: "rN = ..." (mov, loads, negation, byte
// order, sign extension, lddw, the atomic_* fetch forms) and "rN OP= ...".
#include "isa/asm_bpftool_tokens.hpp"
#include "isa/lddw_source.hpp"

namespace bpfhost::isa::detail {
namespace {

struct AluSpelling {
  AluOp op;
  std::string_view text;
};

// Longest first; "s8=" etc. are PREVAIL's sign-extending moves.
constexpr AluSpelling kAluOps[] = {
    {AluOp::Arsh, "s>>="},  {AluOp::SDiv, "s/="},     {AluOp::SMod, "s%="},
    {AluOp::MovSx8, "s8="}, {AluOp::MovSx16, "s16="}, {AluOp::MovSx32, "s32="},
    {AluOp::Lsh, "<<="},    {AluOp::Rsh, ">>="},      {AluOp::Add, "+="},
    {AluOp::Sub, "-="},     {AluOp::Mul, "*="},       {AluOp::Div, "/="},
    {AluOp::Mod, "%="},     {AluOp::Or, "|="},        {AluOp::And, "&="},
    {AluOp::Xor, "^="},
};

bool is_movsx(AluOp op) {
  return op == AluOp::MovSx8 || op == AluOp::MovSx16 || op == AluOp::MovSx32;
}

Result<Statement> alu(Cursor &c, const RegRef &dst, AluOp op) {
  BPFHOST_TRY(src, try_register(c));
  if (src) {
    return Statement{Alu{op, dst.reg, src->reg, dst.is64}, std::nullopt};
  }
  if (is_movsx(op))
    return syntax_error("sign extension takes a register, found '" +
                        std::string(c.peek_token()) + "'");
  BPFHOST_TRY(imm, c.imm32());
  return Statement{Alu{op, dst.reg, Imm{imm}, dst.is64}, std::nullopt};
}

// The value of "rN = *(...)": a load, or a legacy packet load from skb[...].
Result<Statement> load(Cursor &c, const RegRef &dst) {
  if (auto r = require_64(dst); !r)
    return r.error();
  BPFHOST_TRY(ptr, parse_typed_pointer(c));
  if (!c.eat("skb[")) {
    if (auto r = parse_base(c, ptr); !r)
      return r.error();
    return Statement{Load{dst.reg, ptr.base, ptr.off, ptr.width, ptr.is_signed},
                     std::nullopt};
  }
  if (dst.reg.index != 0)
    return syntax_error("packet loads write r0, found '" + dst.text + "'");
  if (ptr.is_signed || ptr.width == Width::DW)
    return syntax_error("packet loads are u8, u16 or u32, found " + ptr.type);
  PacketLoad out{ptr.width, std::nullopt, 0};
  BPFHOST_TRY(index, try_register(c));
  if (index) {
    if (auto r = require_64(*index); !r)
      return r.error();
    out.index = index->reg;
    if (!c.eat("]")) {
      BPFHOST_TRY(lit, c.signed_literal("an offset"));
      BPFHOST_TRY(imm, to_imm32(lit));
      out.imm = imm;
      if (auto r = expect(c, "]"); !r)
        return r.error();
    }
    return Statement{out, std::nullopt};
  }
  BPFHOST_TRY(imm, c.imm32());
  out.imm = imm;
  if (auto r = expect(c, "]"); !r)
    return r.error();
  return Statement{out, std::nullopt};
}

std::optional<AtomicOp> atomic_op_named(std::string_view name) {
  if (name == "_fetch_add")
    return AtomicOp::Add;
  if (name == "_fetch_or")
    return AtomicOp::Or;
  if (name == "_fetch_and")
    return AtomicOp::And;
  if (name == "_fetch_xor")
    return AtomicOp::Xor;
  if (name == "_xchg")
    return AtomicOp::Xchg;
  if (name == "_cmpxchg")
    return AtomicOp::CmpXchg;
  return std::nullopt;
}

// rS = atomic[64]_fetch_OP((uN *)(rD off), rS)     (also _xchg)
// r0 = atomic[64]_cmpxchg((uN *)(rD off), r0, rS)
Result<Statement> atomic(Cursor &c, const RegRef &dst, std::string_view name) {
  const bool is64 = name.substr(6, 2) == "64";
  const auto op = atomic_op_named(name.substr(is64 ? 8 : 6));
  if (!op)
    return syntax_error("unknown atomic operation '" + std::string(name) + "'");
  if (auto r = expect(c, "("); !r)
    return r.error();
  BPFHOST_TRY(addr, parse_address(c));
  if (addr.is_signed || addr.width != (is64 ? Width::DW : Width::W))
    return syntax_error(std::string(name) + " takes (" +
                        (is64 ? "u64" : "u32") + " *), found (" + addr.type +
                        " *)");
  if (auto r = expect(c, ","); !r)
    return r.error();
  const bool cmpxchg = *op == AtomicOp::CmpXchg;
  if (cmpxchg) {
    BPFHOST_TRY(r0, expect_register(c));
    if (r0.reg.index != 0 || dst.reg.index != 0 || !r0.is64)
      return syntax_error(std::string(name) + " compares with and writes r0");
    if (auto r = expect(c, ","); !r)
      return r.error();
  }
  BPFHOST_TRY(src, expect_register(c));
  if (auto r = require_64(src); !r)
    return r.error();
  if (!cmpxchg && (src.reg != dst.reg || !dst.is64))
    return syntax_error(std::string(name) +
                        " returns the old value in its "
                        "operand register '" +
                        src.text + "', not '" + dst.text + "'");
  if (auto r = expect(c, ")"); !r)
    return r.error();
  return Statement{Atomic{*op, true, addr.width, addr.base, addr.off, src.reg},
                   std::nullopt};
}

// be16/le32/bswap64 and PREVAIL's swapNN, applied to the destination itself.
Result<Statement> byte_order(Cursor &c, const RegRef &dst,
                             std::string_view word) {
  ByteOrder order = ByteOrder::Swap;
  std::string_view bits = word;
  if (word.substr(0, 2) == "be" || word.substr(0, 2) == "le") {
    order = word[0] == 'b' ? ByteOrder::ToBig : ByteOrder::ToLittle;
    bits = word.substr(2);
  } else {
    bits = word.substr(word[0] == 'b' ? 5 : 4);
  }
  BPFHOST_TRY(src, expect_register(c));
  if (src.reg != dst.reg || !src.is64 || !dst.is64)
    return syntax_error(std::string(word) +
                        " converts a register in place: "
                        "write '" +
                        dst.text + " = " + std::string(word) + " " + dst.text +
                        "'");
  const uint8_t n = bits == "16" ? 16 : bits == "32" ? 32 : 64;
  return Statement{Endian{order, dst.reg, n}, std::nullopt};
}

bool is_byte_order_word(std::string_view w) {
  for (std::string_view prefix : {"be", "le", "bswap", "swap"}) {
    if (w.substr(0, prefix.size()) != prefix)
      continue;
    std::string_view bits = w.substr(prefix.size());
    return bits == "16" || bits == "32" || bits == "64";
  }
  return false;
}

// rN = (s8)rM
Result<Statement> sign_extend(Cursor &c, const RegRef &dst) {
  AluOp op = AluOp::MovSx8;
  if (c.eat("(s16)"))
    op = AluOp::MovSx16;
  else if (c.eat("(s32)"))
    op = AluOp::MovSx32;
  else if (!c.eat("(s8)"))
    return syntax_error("expected (s8), (s16) or (s32), found '" +
                        std::string(c.peek_token()) + "'");
  return alu(c, dst, op);
}

Result<Statement> lddw(const RegRef &dst, const PseudoLddw &p) {
  if (auto r = require_64(dst); !r)
    return r.error();
  return Statement{LoadImm64{dst.reg, p.kind, p.imm, p.next_imm}, p.label};
}

// rN = NUMBER [ll]
Result<Statement> constant(Cursor &c, const RegRef &dst) {
  BPFHOST_TRY(lit, c.literal("a value"));
  if (!c.eat("ll")) {
    BPFHOST_TRY(imm, to_imm32(lit, true));
    return Statement{Alu{AluOp::Mov, dst.reg, Imm{imm}, dst.is64},
                     std::nullopt};
  }
  BPFHOST_TRY(value, to_imm64(lit));
  const PseudoLddw p{LddwKind::Imm, static_cast<int32_t>(value & 0xffffffff),
                     static_cast<int32_t>(value >> 32), std::nullopt};
  return lddw(dst, p);
}

Result<Statement> assign(Cursor &c, const RegRef &dst) {
  const std::string_view rest = c.rest();
  if (rest.substr(0, 2) == "*(") {
    c.eat("*");
    return load(c, dst);
  }
  if (rest.substr(0, 2) == "(s")
    return sign_extend(c, dst);
  BPFHOST_TRY(pseudo, parse_pseudo_lddw(c));
  if (pseudo)
    return lddw(dst, *pseudo);
  const size_t start = c.position();
  if (c.eat("-")) {
    BPFHOST_TRY(negated, try_register(c));
    if (negated) {
      if (negated->reg != dst.reg || negated->is64 != dst.is64)
        return syntax_error("negation is in place: write '" + dst.text +
                            " = -" + dst.text + "'");
      return Statement{Neg{dst.reg, dst.is64}, std::nullopt};
    }
    c.set_position(start);
  }
  BPFHOST_TRY(src, try_register(c));
  if (src) {
    c.set_position(start);
    return alu(c, dst, AluOp::Mov);
  }
  const std::string_view word = c.peek_word();
  if (word.substr(0, 6) == "atomic") {
    c.take_word();
    return atomic(c, dst, word);
  }
  if (is_byte_order_word(word)) {
    c.take_word();
    return byte_order(c, dst, word);
  }
  return constant(c, dst);
}

} // namespace

Result<Statement> parse_assignment(Cursor &c, const RegRef &dst) {
  if (c.rest().substr(0, 2) != "==" && c.eat("="))
    return assign(c, dst);
  for (const AluSpelling &s : kAluOps) {
    if (c.eat(s.text))
      return alu(c, dst, s.op);
  }
  return syntax_error("expected an assignment to '" + dst.text + "', found '" +
                      std::string(c.peek_token()) + "'");
}

} // namespace bpfhost::isa::detail
