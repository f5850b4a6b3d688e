// The bpftool ("pseudo-C") statement grammar: control flow, stores and the
// "lock" atomics here; assignments in asm_bpftool_assign.cpp.
#include "isa/asm_bpftool_tokens.hpp"

namespace bpfhost::isa::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Condition {
  JumpCond cond;
  std::string_view text;
};

// Longest spelling first, so "s>=" is not read as "s>".
constexpr Condition kConditions[] = {
    {JumpCond::SGe, "s>="}, {JumpCond::SLe, "s<="}, {JumpCond::SGt, "s>"},
    {JumpCond::SLt, "s<"},  {JumpCond::Set, "&=="}, {JumpCond::Eq, "=="},
    {JumpCond::Ne, "!="},   {JumpCond::Ge, ">="},   {JumpCond::Le, "<="},
    {JumpCond::Gt, ">"},    {JumpCond::Lt, "<"},    {JumpCond::Set, "&"},
};

Result<JumpCond> parse_condition(Cursor &c) {
  if (c.eat("&!="))
    return syntax_error("'&!=' (jump if no bit is set) has no eBPF encoding");
  for (const Condition &k : kConditions) {
    if (c.eat(k.text))
      return k.cond;
  }
  return syntax_error("expected a comparison, found '" +
                      std::string(c.peek_token()) + "'");
}

// goto/gotol TARGET
Result<Statement> parse_goto(Cursor &c, bool wide) {
  BPFHOST_TRY(target, c.target(true));
  Statement out{Jump{JumpCond::Always, wide, Reg{}, Imm{}, 0}, target.label};
  const std::string text = std::to_string(target.offset);
  auto &jump = std::get<Jump>(out.insn);
  if (wide) {
    BPFHOST_TRY(imm, target_to_imm32(target.offset, text));
    jump.offset = imm;
  } else {
    BPFHOST_TRY(off, target_to_off16(target.offset, text));
    jump.offset = off;
  }
  return out;
}

// if DST OP SRC goto TARGET
Result<Statement> parse_if(Cursor &c) {
  BPFHOST_TRY(dst, expect_register(c));
  BPFHOST_TRY(cond, parse_condition(c));
  Jump jump{cond, !dst.is64, dst.reg, Imm{}, 0};
  BPFHOST_TRY(src, try_register(c));
  if (src) {
    jump.src = src->reg;
  } else {
    BPFHOST_TRY(imm, c.imm32());
    jump.src = Imm{imm};
  }
  if (!c.eat_word("goto"))
    return syntax_error("expected 'goto', found '" +
                        std::string(c.peek_token()) + "'");
  BPFHOST_TRY(target, c.target(true));
  BPFHOST_TRY(off,
              target_to_off16(target.offset, std::to_string(target.offset)));
  jump.offset = off;
  return Statement{jump, target.label};
}

Result<Statement> parse_kfunc(Cursor &c) {
  BPFHOST_TRY(id, c.imm32());
  CallBtf call{id, 0};
  if (c.eat_word("module")) {
    BPFHOST_TRY(module, c.off16());
    call.module = module;
  }
  return Statement{call, std::nullopt};
}

// call N | call NAME#N | call kernel-function#N | call pc+N | call <label>
Result<Statement> parse_call(Cursor &c) {
  std::string_view rest = c.rest();
  const bool pc_relative = rest.size() > 2 && rest.substr(0, 2) == "pc" &&
                           (rest[2] == '+' || rest[2] == '-');
  if (!rest.empty() &&
      (is_digit(rest[0]) || rest[0] == '-' || rest[0] == '+')) {
    BPFHOST_TRY(id, c.imm32());
    return Statement{Call{id}, std::nullopt};
  }
  if (!pc_relative && rest.substr(0, 1) != "<") {
    std::string name(c.take_word());
    if (c.eat("#")) {
      if (name == "kernel-function" || name == "kfunc")
        return parse_kfunc(c);
      BPFHOST_TRY(id, c.imm32());
      return Statement{Call{id}, std::nullopt};
    }
    c.set_position(c.position() - name.size());
  }
  BPFHOST_TRY(target, c.target(true));
  BPFHOST_TRY(imm,
              target_to_imm32(target.offset, std::to_string(target.offset)));
  return Statement{CallLocal{imm}, target.label};
}

struct AtomicSpelling {
  AtomicOp op;
  std::string_view text;
};
constexpr AtomicSpelling kLockOps[] = {
    {AtomicOp::CmpXchg, "cx="}, {AtomicOp::Xchg, "x="}, {AtomicOp::Add, "+="},
    {AtomicOp::Or, "|="},       {AtomicOp::And, "&="},  {AtomicOp::Xor, "^="},
};

Result<void> require_atomic_width(const Address &a) {
  if (a.is_signed || (a.width != Width::W && a.width != Width::DW))
    return syntax_error("atomic operations are on u32 or u64, found " + a.type);
  return {};
}

// lock *(u64 *)(r10 -8) OP= rS [fetch]   (OP= also x= and cx=, PREVAIL's)
Result<Statement> parse_lock(Cursor &c) {
  if (c.at_end())
    return syntax_error("lock: invalid number of operands");
  if (auto r = expect(c, "*"); !r)
    return r.error();
  BPFHOST_TRY(addr, parse_address(c));
  if (auto r = require_atomic_width(addr); !r)
    return r.error();
  const AtomicSpelling *spelling = nullptr;
  for (const AtomicSpelling &s : kLockOps) {
    if (c.eat(s.text)) {
      spelling = &s;
      break;
    }
  }
  if (spelling == nullptr)
    return syntax_error("lock: expected an atomic operation (+=, |=, &=, ^=, "
                        "x=, cx=), found '" +
                        std::string(c.peek_token()) + "'");
  BPFHOST_TRY(src, expect_register(c));
  if (auto r = require_64(src); !r)
    return r.error();
  const bool fetch = c.eat_word("fetch") || spelling->op == AtomicOp::Xchg ||
                     spelling->op == AtomicOp::CmpXchg;
  return Statement{
      Atomic{spelling->op, fetch, addr.width, addr.base, addr.off, src.reg},
      std::nullopt};
}

// *(u32 *)(r10 -8) = r1 | 5
Result<Statement> parse_store(Cursor &c) {
  BPFHOST_TRY(addr, parse_address(c));
  if (addr.is_signed)
    return syntax_error("stores take an unsigned size, found " + addr.type);
  if (auto r = expect(c, "="); !r)
    return r.error();
  BPFHOST_TRY(src, try_register(c));
  if (src) {
    if (auto r = require_64(*src); !r)
      return r.error();
    return Statement{Store{addr.base, addr.off, addr.width, src->reg},
                     std::nullopt};
  }
  BPFHOST_TRY(imm, c.imm32());
  return Statement{Store{addr.base, addr.off, addr.width, Imm{imm}},
                   std::nullopt};
}

Result<Statement> parse_statement(Cursor &c) {
  if (c.eat_word("exit"))
    return Statement{Exit{}, std::nullopt};
  if (c.eat_word("goto"))
    return parse_goto(c, false);
  if (c.eat_word("gotol"))
    return parse_goto(c, true);
  if (c.eat_word("if"))
    return parse_if(c);
  if (c.eat_word("callx")) {
    BPFHOST_TRY(reg, expect_register(c));
    return Statement{CallX{reg.reg}, std::nullopt};
  }
  if (c.eat_word("call"))
    return parse_call(c);
  if (c.eat_word("lock"))
    return parse_lock(c);
  if (c.peek_word() == "assume")
    return syntax_error("'assume' is a PREVAIL verifier statement, not an "
                        "instruction");
  if (c.eat("*"))
    return parse_store(c);
  BPFHOST_TRY(dst, try_register(c));
  if (dst)
    return parse_assignment(c, *dst);
  return syntax_error("unrecognised instruction '" + std::string(c.rest()) +
                      "'");
}

} // namespace

Result<std::optional<RegRef>> try_register(Cursor &c) {
  std::string_view rest = c.rest();
  size_t end = 1;
  while (end < rest.size() && is_digit(rest[end]))
    ++end;
  if (rest.empty() || (rest[0] != 'r' && rest[0] != 'w') || end == 1 ||
      (end < rest.size() && is_ident_char(rest[end]) && rest[end] != '-' &&
       rest[end] != '.'))
    return std::optional<RegRef>();
  std::string text(rest.substr(0, end));
  BPFHOST_TRY(reg, register_index(rest.substr(1, end - 1), text));
  c.set_position(c.position() + end);
  return std::optional<RegRef>(RegRef{reg, rest[0] == 'r', text});
}

Result<RegRef> expect_register(Cursor &c) {
  BPFHOST_TRY(reg, try_register(c));
  if (!reg)
    return syntax_error("expected a register, found '" +
                        std::string(c.peek_token()) + "'");
  return *reg;
}

Result<void> require_64(const RegRef &r) {
  if (r.is64)
    return {};
  return syntax_error("expected a 64-bit register, found '" + r.text + "'");
}

Result<void> expect(Cursor &c, std::string_view lit) {
  if (c.eat(lit))
    return {};
  std::string_view found = c.peek_token();
  return syntax_error("expected '" + std::string(lit) + "', found " +
                      (found.empty() ? std::string("nothing")
                                     : "'" + std::string(found) + "'"));
}

Result<Address> parse_typed_pointer(Cursor &c) {
  if (auto r = expect(c, "("); !r)
    return r.error();
  Address a;
  a.type = std::string(c.take_word());
  const std::string_view bits = a.type.size() > 1
                                    ? std::string_view(a.type).substr(1)
                                    : std::string_view();
  a.is_signed = !a.type.empty() && a.type[0] == 's';
  const bool known_sign = !a.type.empty() && (a.type[0] == 'u' || a.is_signed);
  if (known_sign && bits == "8")
    a.width = Width::B;
  else if (known_sign && bits == "16")
    a.width = Width::H;
  else if (known_sign && bits == "32")
    a.width = Width::W;
  else if (a.type == "u64")
    a.width = Width::DW;
  else
    return syntax_error("unknown access size '" + a.type + "'");
  if (auto r = expect(c, "*"); !r)
    return r.error();
  if (auto r = expect(c, ")"); !r)
    return r.error();
  return a;
}

Result<void> parse_base(Cursor &c, Address &a) {
  if (auto r = expect(c, "("); !r)
    return r.error();
  BPFHOST_TRY(base, expect_register(c));
  if (auto r = require_64(base); !r)
    return r.error();
  a.base = base.reg;
  if (c.eat(")"))
    return {};
  BPFHOST_TRY(lit, c.signed_literal("an offset"));
  BPFHOST_TRY(off, to_off16(lit));
  a.off = off;
  return expect(c, ")");
}

Result<Address> parse_address(Cursor &c) {
  BPFHOST_TRY(a, parse_typed_pointer(c));
  if (auto r = parse_base(c, a); !r)
    return r.error();
  return a;
}

Result<Statement> parse_bpftool_statement(std::string_view text) {
  Cursor c(text);
  c.allow_unsigned_decimal();
  BPFHOST_TRY(statement, parse_statement(c));
  if (auto r = c.end("after the instruction"); !r)
    return r.error();
  return statement;
}

} // namespace bpfhost::isa::detail
