#include "map_test_util.hpp"

#include <mutex>

namespace bpfhost::maps::testing {

MapEnvironment test_env(unsigned cpus) {
  // Domains must outlive their maps: keep every test's domain to the end.
  static std::vector<std::unique_ptr<EpochDomain>> domains;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  domains.push_back(std::make_unique<EpochDomain>(cpus));
  MapEnvironment env;
  env.epochs = domains.back().get();
  return env;
}

std::shared_ptr<Map> must_create(const MapAttr &attr,
                                 const MapEnvironment &env) {
  auto map = create_map(attr, env);
  EXPECT_TRUE(map.ok()) << (map.ok() ? "" : map.error().to_string());
  return map.ok() ? *map : nullptr;
}

MapAttr attr_of(MapType type, std::uint32_t key_size, std::uint32_t value_size,
                std::uint32_t max_entries, std::uint32_t flags) {
  MapAttr attr;
  attr.type = type;
  attr.key_size = key_size;
  attr.value_size = value_size;
  attr.max_entries = max_entries;
  attr.map_flags = flags;
  return attr;
}

std::vector<unsigned char> bytes(std::uint64_t v, std::size_t size) {
  std::vector<unsigned char> out(size);
  for (std::size_t i = 0; i < size && i < 8; ++i)
    out[i] = static_cast<unsigned char>(v >> (8 * i));
  return out;
}

std::uint64_t as_int(const void *p, std::size_t size) {
  std::uint64_t v = 0;
  const auto *b = static_cast<const unsigned char *>(p);
  for (std::size_t i = 0; i < size && i < 8; ++i)
    v |= std::uint64_t{b[i]} << (8 * i);
  return v;
}

std::vector<unsigned char> lpm4(std::uint32_t prefixlen, unsigned a, unsigned b,
                                unsigned c, unsigned d) {
  std::vector<unsigned char> key = bytes(prefixlen, 4);
  for (unsigned octet : {a, b, c, d})
    key.push_back(static_cast<unsigned char>(octet));
  return key;
}

std::vector<unsigned char> lpm6(std::uint32_t prefixlen,
                                std::vector<std::uint16_t> groups) {
  std::vector<unsigned char> key = bytes(prefixlen, 4);
  groups.resize(8);
  for (std::uint16_t g : groups) {
    key.push_back(static_cast<unsigned char>(g >> 8));
    key.push_back(static_cast<unsigned char>(g));
  }
  return key;
}

} // namespace bpfhost::maps::testing

namespace bpfhost::maps::testing {

void run_steps(Map &map, const std::vector<Step> &steps) {
  std::size_t ks = map.key_size();
  std::size_t vs = map.value_size();
  std::vector<unsigned char> out(
      std::max<std::size_t>(map.user_value_size(), 8));
  std::vector<unsigned char> next(std::max<std::size_t>(ks, 8));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step &s = steps[i];
    SCOPED_TRACE("step " + std::to_string(i));
    auto key = bytes(s.key, ks);
    std::vector<unsigned char> value(
        std::max<std::size_t>(map.user_value_size(), vs));
    auto v = bytes(s.value, vs);
    for (std::size_t off = 0; off + vs <= value.size();
         off += (vs + 7) & ~std::size_t{7})
      std::copy(v.begin(), v.end(), value.begin() + off);
    Status status;
    bool check_value = false;
    const void *got = out.data();
    switch (s.kind) {
    case Step::Update:
      status = map.sys_update(key.data(), value.data(), s.flags);
      break;
    case Step::Lookup:
      status = map.sys_lookup(key.data(), out.data(), 0);
      check_value = true;
      break;
    case Step::Delete:
      status = map.sys_delete(key.data());
      break;
    case Step::LookupDel:
      status = map.sys_lookup_and_delete(key.data(), out.data(), s.flags);
      check_value = true;
      break;
    case Step::Next:
      status =
          map.get_next_key(s.key == kNoKey ? nullptr : key.data(), next.data());
      if (status.ok() && s.expect == Errno::Ok) {
        EXPECT_EQ(as_int(next.data(), ks), s.value);
      }
      break;
    case Step::ProgUpdate: {
      EpochDomain::Guard guard(
          map.epochs(),
          ExecutionSlot{static_cast<std::uint32_t>(s.flags >> 32)});
      status =
          map.update(key.data(), v.data(), s.flags & 0xffffffffu,
                     ExecutionSlot{static_cast<std::uint32_t>(s.flags >> 32)});
      break;
    }
    case Step::ProgLookup: {
      ExecutionSlot slot{static_cast<std::uint32_t>(s.flags)};
      EpochDomain::Guard guard(map.epochs(), slot);
      void *p = map.lookup(key.data(), slot);
      status = p != nullptr ? Status{} : Status{Errno::NoEnt};
      if (p != nullptr && s.expect == Errno::Ok) {
        EXPECT_EQ(as_int(p, vs), s.value);
      }
      break;
    }
    case Step::ProgDelete:
      status = map.erase(key.data(), ExecutionSlot{0});
      break;
    case Step::Push:
      status = map.push(v.data(), s.flags);
      break;
    case Step::Pop:
      status = map.pop(out.data());
      check_value = true;
      break;
    case Step::Peek:
      status = map.peek(out.data());
      check_value = true;
      break;
    }
    EXPECT_EQ(errno_name(status.code()), errno_name(s.expect));
    if (check_value && status.ok() && s.expect == Errno::Ok) {
      EXPECT_EQ(as_int(got, vs), s.value);
    }
  }
}

} // namespace bpfhost::maps::testing
