#include "verifier/assertions.hpp"

#include "isa/overloaded.hpp"

namespace bpfhost::verifier {

using isa::AluOp;

TypeSet pointer_types() {
  return TypeSet(RegType::Ctx) | RegType::Stack | RegType::Packet |
         RegType::Shared;
}
TypeSet initialized_types() { return TypeSet::all().without(RegType::Uninit); }
TypeSet ptr_or_num_types() { return pointer_types() | RegType::Number; }

namespace {

std::string reg(Reg r) { return "r" + std::to_string(r.index); }

std::string width_text(const std::variant<isa::Imm, Reg> &w) {
  if (auto i = std::get_if<isa::Imm>(&w))
    return std::to_string(i->value);
  return reg(std::get<Reg>(w));
}

const TypeSet kNumber = RegType::Number;
const TypeSet kMem =
    TypeSet(RegType::Stack) | RegType::Packet | RegType::Shared;

struct Extractor {
  const PlatformSpec &platform;
  const VerifyOptions &options;
  const AssertionContext &where;
  std::vector<Assertion> out;

  void type(Reg r, TypeSet t) { out.push_back(TypeConstraint{r, t}); }

  void operator()(const isa::Alu &a) {
    const Reg *src = std::get_if<Reg>(&a.src);
    switch (a.op) {
    case AluOp::Mov:
      if (src && !a.is64)
        type(*src, kNumber);
      return;
    case AluOp::MovSx8:
    case AluOp::MovSx16:
    case AluOp::MovSx32:
      if (src)
        type(*src, kNumber);
      return;
    case AluOp::Add:
      if (!a.is64) {
        type(a.dst, kNumber);
        if (src)
          type(*src, kNumber);
        return;
      }
      type(a.dst, ptr_or_num_types());
      if (src) {
        type(*src, ptr_or_num_types());
        out.push_back(Addable{*src, a.dst});
        out.push_back(Addable{a.dst, *src});
      }
      return;
    case AluOp::Sub:
      if (!a.is64) {
        type(a.dst, kNumber);
        if (src)
          type(*src, kNumber);
        return;
      }
      type(a.dst, ptr_or_num_types());
      if (src)
        out.push_back(Comparable{*src, a.dst, true});
      return;
    case AluOp::Div:
    case AluOp::SDiv:
    case AluOp::Mod:
    case AluOp::SMod:
      type(a.dst, kNumber);
      if (src)
        out.push_back(ValidDivisor{*src});
      return;
    case AluOp::Mul:
    case AluOp::Or:
    case AluOp::And:
    case AluOp::Lsh:
    case AluOp::Rsh:
    case AluOp::Xor:
    case AluOp::Arsh:
      type(a.dst, kNumber);
      if (src)
        type(*src, kNumber);
      return;
    }
  }
  void operator()(const isa::Neg &n) { type(n.dst, kNumber); }
  void operator()(const isa::Endian &e) { type(e.dst, kNumber); }
  void access(Reg base, int16_t off, isa::Width w, AccessKind kind) {
    if (base.index != isa::kFrameRegister)
      type(base, pointer_types());
    out.push_back(ValidAccess{
        base, off, isa::Imm{static_cast<int32_t>(isa::bytes(w))}, kind, false});
  }
  void operator()(const isa::Load &l) {
    access(l.base, l.off, l.width, AccessKind::Read);
  }
  void operator()(const isa::Store &s) {
    access(s.base, s.off, s.width, AccessKind::Write);
    if (auto v = std::get_if<Reg>(&s.value);
        v && s.base.index != isa::kFrameRegister) {
      if (s.width != isa::Width::DW && !platform.privileged)
        type(*v, kNumber);
      else if (!platform.privileged)
        out.push_back(ValidStore{s.base, *v});
    }
  }
  void operator()(const isa::Atomic &a) {
    access(a.base, a.off, a.width, AccessKind::ReadWrite);
    type(a.src, kNumber);
    if (a.op == isa::AtomicOp::CmpXchg)
      type(Reg{0}, kNumber);
  }
  void operator()(const isa::Jump &j) {
    if (j.cond == isa::JumpCond::Always)
      return;
    for (auto &a :
         assertions_for(Condition{j.cond, j.is32, j.dst, j.src}, platform))
      out.push_back(a);
  }
  void call(int32_t id, std::optional<Reg> via) {
    out.push_back(ValidCall{id, via, where.in_subprogram});
    const HelperPrototype *h = platform.helper(id);
    if (!h)
      return;
    std::optional<Reg> map_reg;
    for (uint8_t i = 0; i < 5; ++i) {
      const Reg r{static_cast<uint8_t>(i + 1)};
      switch (h->args[i]) {
      case ArgKind::DontCare:
        break;
      case ArgKind::Anything:
        if (!platform.privileged)
          type(r, kNumber);
        break;
      case ArgKind::ConstSize:
      case ArgKind::ConstSizeOrZero:
        type(r, kNumber);
        out.push_back(ValidSize{r, h->args[i] == ArgKind::ConstSizeOrZero});
        break;
      case ArgKind::PtrToCtx:
        out.push_back(ZeroOffsetCtx{r});
        break;
      case ArgKind::PtrToMap:
        type(r, TypeSet(RegType::MapFd) | RegType::MapFdPrograms);
        map_reg = r;
        break;
      case ArgKind::PtrToMapOfPrograms:
        type(r, RegType::MapFdPrograms);
        break;
      case ArgKind::PtrToMapKey:
      case ArgKind::PtrToMapValue:
        type(r, kMem);
        if (map_reg)
          out.push_back(ValidMapKeyValue{r, *map_reg,
                                         h->args[i] == ArgKind::PtrToMapKey});
        break;
      case ArgKind::PtrToMem:
      case ArgKind::PtrToMemOrNull:
      case ArgKind::PtrToUninitMem: {
        const bool or_null = h->args[i] == ArgKind::PtrToMemOrNull;
        type(r, or_null ? kMem | RegType::Number : kMem);
        if (i + 1 < 5 && (h->args[i + 1] == ArgKind::ConstSize ||
                          h->args[i + 1] == ArgKind::ConstSizeOrZero))
          out.push_back(ValidAccess{r, 0, Reg{static_cast<uint8_t>(i + 2)},
                                    h->args[i] == ArgKind::PtrToUninitMem
                                        ? AccessKind::Write
                                        : AccessKind::Read,
                                    or_null});
        break;
      }
      case ArgKind::PtrToStack:
        type(r, RegType::Stack);
        break;
      }
    }
  }
  void operator()(const isa::Call &c) { call(c.helper_id, std::nullopt); }
  void operator()(const isa::CallX &c) {
    type(c.reg, kNumber);
    if (where.callx_target)
      call(*where.callx_target, c.reg);
    else
      out.push_back(ValidCall{-1, c.reg, where.in_subprogram});
  }
  void operator()(const isa::CallLocal &) {}
  void operator()(const isa::CallBtf &) {
    out.push_back(ValidCall{-2, std::nullopt, where.in_subprogram});
  }
  void operator()(const isa::Exit &) {
    if (where.in_subprogram)
      return;
    type(Reg{0}, kNumber);
    if (platform.check_return_range)
      out.push_back(ValidReturn{});
  }
  void operator()(const isa::LoadImm64 &) {}
  void operator()(const isa::PacketLoad &p) {
    out.push_back(ZeroOffsetCtx{Reg{6}});
    if (p.index)
      type(*p.index, kNumber);
  }
};

} // namespace

std::vector<Assertion> assertions_for(const Condition &c,
                                      const PlatformSpec &platform) {
  std::vector<Assertion> out;
  (void)platform;
  out.push_back(TypeConstraint{c.dst, initialized_types()});
  if (auto imm = std::get_if<isa::Imm>(&c.src)) {
    if (imm->value != 0 || c.is32)
      out.push_back(TypeConstraint{c.dst, RegType::Number});
    return out;
  }
  const Reg src = std::get<Reg>(c.src);
  out.push_back(TypeConstraint{src, initialized_types()});
  if (c.is32) {
    out.push_back(TypeConstraint{c.dst, RegType::Number});
    out.push_back(TypeConstraint{src, RegType::Number});
    return out;
  }
  if (c.op != isa::JumpCond::Eq && c.op != isa::JumpCond::Ne)
    out.push_back(TypeConstraint{
        c.dst, initialized_types().without(TypeSet(RegType::MapFd) |
                                           RegType::MapFdPrograms)});
  out.push_back(Comparable{c.dst, src});
  return out;
}

std::vector<Assertion> assertions_for(const isa::Insn &insn,
                                      const PlatformSpec &platform,
                                      const VerifyOptions &options,
                                      const AssertionContext &where) {
  Extractor e{platform, options, where, {}};
  if (where.is_assume) {
    const auto &j = std::get<isa::Jump>(insn);
    return assertions_for(Condition{j.cond, j.is32, j.dst, j.src}, platform);
  }
  std::visit(e, insn);
  return e.out;
}

std::string to_string(const Assertion &a) {
  return std::visit(
      isa::overloaded{
          [](const TypeConstraint &t) {
            return reg(t.reg) + ".type" +
                   (t.allowed.is_single() ? " == " : " in ") +
                   to_string(t.allowed);
          },
          [](const ValidAccess &v) {
            std::string off =
                v.off == 0 ? ""
                           : (v.off > 0 ? "+" : "") + std::to_string(v.off);
            const char *kind = v.access == AccessKind::Read ? "read"
                               : v.access == AccessKind::Write
                                   ? "write"
                                   : "read and write";
            return "valid_access(" + reg(v.base) + ".offset" + off +
                   ", width=" + width_text(v.width) + ") for " + kind;
          },
          [](const ValidDivisor &d) { return reg(d.reg) + " != 0"; },
          [](const ValidStore &s) {
            return reg(s.base) + ".type != stack -> " + reg(s.value) +
                   ".type == number";
          },
          [](const ValidMapKeyValue &m) {
            return "within stack(" + reg(m.access) + ":" +
                   (m.key ? "key_size(" : "value_size(") + reg(m.map_fd) + "))";
          },
          [](const Comparable &c) {
            return reg(c.a) + ".type == " + reg(c.b) +
                   ".type or both are numbers";
          },
          [](const Addable &a) {
            return reg(a.ptr) + ".type in pointers -> " + reg(a.num) +
                   ".type == number";
          },
          [](const ValidSize &s) {
            return reg(s.reg) + (s.can_be_zero ? " >= 0" : " > 0");
          },
          [](const ValidCall &c) {
            return "valid call(" +
                   (c.via ? reg(*c.via) : std::to_string(c.helper_id)) + ")";
          },
          [](const ZeroOffsetCtx &z) {
            return reg(z.reg) + ".type == ctx and " + reg(z.reg) +
                   ".ctx_offset == 0";
          },
          [](const ValidReturn &) {
            return std::string("r0 within the program type's return range");
          },
      },
      a);
}

} // namespace bpfhost::verifier
