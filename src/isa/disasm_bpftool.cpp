// The bpftool ("pseudo-C") printer: the formats of kernel/bpf/disasm.c's
// print_bpf_insn(), without its "(%02x) " opcode prefix.
#include <cinttypes>
#include <cstdio>

#include "isa/disasm_printers.hpp"
#include "isa/lddw_source.hpp"
#include "isa/overloaded.hpp"

namespace bpfhost::isa::detail {
namespace {

std::string reg(Reg r, bool is64 = true) {
  return (is64 ? "r" : "w") + std::to_string(r.index);
}

std::string signed_text(int64_t v) {
  return (v < 0 ? "" : "+") + std::to_string(v);
}

// "%#x" of the 32-bit pattern, as the kernel prints jump immediates.
std::string hex32(int32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", static_cast<uint32_t>(v));
  return buf;
}

std::string size_name(Width w, bool is_signed = false) {
  return (is_signed ? "s" : "u") + std::to_string(bytes(w) * 8);
}

// "*(u32 *)(r10 -8)", or without the leading '*' for the atomic_* forms.
std::string mem(Width w, Reg base, int16_t off, bool is_signed = false) {
  return "*(" + size_name(w, is_signed) + " *)(" + reg(base) + " " +
         signed_text(off) + ")";
}

const char *alu_op_text(AluOp op) {
  switch (op) {
  case AluOp::Add:
    return "+=";
  case AluOp::Sub:
    return "-=";
  case AluOp::Mul:
    return "*=";
  case AluOp::Div:
    return "/=";
  case AluOp::SDiv:
    return "s/=";
  case AluOp::Or:
    return "|=";
  case AluOp::And:
    return "&=";
  case AluOp::Lsh:
    return "<<=";
  case AluOp::Rsh:
    return ">>=";
  case AluOp::Mod:
    return "%=";
  case AluOp::SMod:
    return "s%=";
  case AluOp::Xor:
    return "^=";
  case AluOp::Arsh:
    return "s>>=";
  case AluOp::Mov:
    return "=";
  case AluOp::MovSx8:
    return "= (s8)";
  case AluOp::MovSx16:
    return "= (s16)";
  case AluOp::MovSx32:
    return "= (s32)";
  }
  return "?";
}

const char *jump_op_text(JumpCond cond) {
  switch (cond) {
  case JumpCond::Always:
    return "jmp";
  case JumpCond::Eq:
    return "==";
  case JumpCond::Gt:
    return ">";
  case JumpCond::Ge:
    return ">=";
  case JumpCond::Set:
    return "&";
  case JumpCond::Ne:
    return "!=";
  case JumpCond::SGt:
    return "s>";
  case JumpCond::SGe:
    return "s>=";
  case JumpCond::Lt:
    return "<";
  case JumpCond::Le:
    return "<=";
  case JumpCond::SLt:
    return "s<";
  case JumpCond::SLe:
    return "s<=";
  }
  return "?";
}

const char *atomic_op_name(AtomicOp op) {
  switch (op) {
  case AtomicOp::Add:
    return "add";
  case AtomicOp::Or:
    return "or";
  case AtomicOp::And:
    return "and";
  case AtomicOp::Xor:
    return "xor";
  case AtomicOp::Xchg:
    return "xchg";
  case AtomicOp::CmpXchg:
    return "cmpxchg";
  }
  return "?";
}

const char *atomic_op_text(AtomicOp op) {
  switch (op) {
  case AtomicOp::Add:
    return "+=";
  case AtomicOp::Or:
    return "|=";
  case AtomicOp::And:
    return "&=";
  case AtomicOp::Xor:
    return "^=";
  case AtomicOp::Xchg:
    return "x=";
  case AtomicOp::CmpXchg:
    return "cx=";
  }
  return "?";
}

const char *byte_order_name(ByteOrder order) {
  switch (order) {
  case ByteOrder::ToLittle:
    return "le";
  case ByteOrder::ToBig:
    return "be";
  case ByteOrder::Swap:
    return "bswap";
  }
  return "?";
}

std::string print_alu(const Alu &a) {
  std::string src =
      std::visit(overloaded{[&](Reg r) { return reg(r, a.is64); },
                            [](Imm i) { return std::to_string(i.value); }},
                 a.src);
  const char *op = alu_op_text(a.op);
  // "r0 = (s8)r1": the kernel writes the cast against the register.
  const char *space = (op[0] == '=' && op[1] == ' ') ? "" : " ";
  return reg(a.dst, a.is64) + " " + op + space + src;
}

// kernel: "lock *(u64 *)(r10 -8) += r1", "r1 = atomic64_fetch_add((u64 *)
// (r10 -8), r1)", "r1 = atomic_xchg(...)", "r0 = atomic64_cmpxchg(..., r0,
// r1)".
std::string print_atomic(const Atomic &a) {
  const bool plain =
      !a.fetch && a.op != AtomicOp::Xchg && a.op != AtomicOp::CmpXchg;
  std::string addr = mem(a.width, a.base, a.off);
  if (plain)
    return "lock " + addr + " " + atomic_op_text(a.op) + " " + reg(a.src);
  std::string fn =
      std::string("atomic") + (a.width == Width::DW ? "64" : "") +
      (a.op == AtomicOp::Xchg || a.op == AtomicOp::CmpXchg ? "_" : "_fetch_") +
      atomic_op_name(a.op);
  addr = addr.substr(1); // "(u64 *)(r10 -8)"
  if (a.op == AtomicOp::CmpXchg)
    return "r0 = " + fn + "(" + addr + ", r0, " + reg(a.src) + ")";
  return reg(a.src) + " = " + fn + "(" + addr + ", " + reg(a.src) + ")";
}

std::string print_jump(const Jump &j) {
  if (j.cond == JumpCond::Always)
    return (j.is32 ? "gotol pc" : "goto pc") + signed_text(j.offset);
  std::string src =
      std::visit(overloaded{[&](Reg r) { return reg(r, !j.is32); },
                            [](Imm i) { return hex32(i.value); }},
                 j.src);
  return "if " + reg(j.dst, !j.is32) + " " + jump_op_text(j.cond) + " " + src +
         " goto pc" + signed_text(j.offset);
}

std::string print_lddw(const LoadImm64 &l) {
  if (l.kind != LddwKind::Imm)
    return reg(l.dst) + " = " + format_pseudo_lddw(l);
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, l.value());
  return reg(l.dst) + " = " + buf + " ll";
}

std::string print_packet_load(const PacketLoad &p) {
  std::string head = "r0 = *(" + size_name(p.width) + " *)skb[";
  if (!p.index)
    return head + std::to_string(p.imm) + "]";
  return head + reg(*p.index) + " + " + std::to_string(p.imm) + "]";
}

} // namespace

std::string print_bpftool(const Insn &insn) {
  return std::visit(
      overloaded{
          [](const Alu &a) { return print_alu(a); },
          [](const Neg &n) {
            return reg(n.dst, n.is64) + " = -" + reg(n.dst, n.is64);
          },
          [](const Endian &e) {
            return reg(e.dst) + " = " + byte_order_name(e.order) +
                   std::to_string(e.bits) + " " + reg(e.dst);
          },
          [](const Load &l) {
            return reg(l.dst) + " = " +
                   mem(l.width, l.base, l.off, l.sign_extend);
          },
          [](const Store &s) {
            std::string value = std::visit(
                overloaded{[](Reg r) { return reg(r); },
                           [](Imm i) { return std::to_string(i.value); }},
                s.value);
            return mem(s.width, s.base, s.off) + " = " + value;
          },
          [](const Atomic &a) { return print_atomic(a); },
          [](const Jump &j) { return print_jump(j); },
          [](const Call &c) { return "call " + std::to_string(c.helper_id); },
          [](const CallLocal &c) { return "call pc" + signed_text(c.offset); },
          [](const CallBtf &c) {
            std::string out =
                "call kernel-function#" + std::to_string(c.btf_id);
            if (c.module != 0)
              out += " module " + std::to_string(c.module);
            return out;
          },
          [](const CallX &c) { return "callx " + reg(c.reg); },
          [](const Exit &) { return std::string("exit"); },
          [](const LoadImm64 &l) { return print_lddw(l); },
          [](const PacketLoad &p) { return print_packet_load(p); },
      },
      insn);
}

} // namespace bpfhost::isa::detail
