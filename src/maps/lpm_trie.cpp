// LPM trie (see lpm_trie.hpp); follows trie_lookup_elem, trie_update_elem,
// trie_delete_elem and trie_get_next_key of Linux 6.x.
#include "maps/lpm_trie.hpp"

#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace bpfhost::maps {

struct LpmTrie::Node {
  Retired retired;
  std::atomic<Node *> child[2] = {nullptr, nullptr};
  std::uint32_t prefixlen = 0;
  // Intermediate nodes only route; a real node becomes one when deleted
  // while it has two children.
  std::atomic<bool> intermediate{false};

  unsigned char *data() {
    return reinterpret_cast<unsigned char *>(this) + sizeof(Node);
  }
};

namespace {

using Node = LpmTrie::Node;

std::uint32_t key_prefixlen(const void *key) {
  std::uint32_t n = 0;
  std::memcpy(&n, key, 4);
  return n;
}

const unsigned char *key_data(const void *key) {
  return static_cast<const unsigned char *>(key) + 4;
}

bool extract_bit(const unsigned char *data, std::uint32_t index) {
  return (data[index / 8] >> (7 - index % 8)) & 1;
}

// Number of leading bits `node` and `key` share, at most the shorter prefix.
std::uint32_t longest_prefix_match(Node *node, const void *key) {
  std::uint32_t limit = std::min(node->prefixlen, key_prefixlen(key));
  const unsigned char *a = node->data();
  const unsigned char *b = key_data(key);
  std::uint32_t matched = 0;
  for (std::uint32_t i = 0; matched < limit; ++i) {
    unsigned diff = a[i] ^ b[i];
    if (diff != 0) {
      while (!(diff & 0x80)) {
        diff <<= 1;
        ++matched;
      }
      break;
    }
    matched += 8;
  }
  return std::min(matched, limit);
}

void free_node(Retired *item) {
  auto *node = reinterpret_cast<Node *>(item);
  node->~Node();
  ::operator delete(node);
}

Node *load(const std::atomic<Node *> &link) {
  return link.load(std::memory_order_acquire);
}

} // namespace

LpmTrie::LpmTrie(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs), data_size_(attr.key_size - 4),
      max_prefixlen_(data_size_ * 8),
      value_offset_(static_cast<std::uint32_t>(sizeof(Node)) +
                    ((data_size_ + 7) & ~7u)) {}

std::shared_ptr<LpmTrie> LpmTrie::create(const MapAttr &attr,
                                         const MapEnvironment &env) {
  return std::make_shared<LpmTrie>(attr, env);
}

LpmTrie::~LpmTrie() {
  std::vector<Node *> stack;
  if (Node *root = root_.load(std::memory_order_relaxed))
    stack.push_back(root);
  while (!stack.empty()) {
    Node *node = stack.back();
    stack.pop_back();
    for (auto &child : node->child)
      if (Node *c = child.load(std::memory_order_relaxed))
        stack.push_back(c);
    free_node(&node->retired);
  }
}

Node *LpmTrie::allocate(const void *key, const void *value, bool intermediate) {
  std::size_t size = value_offset_ + (intermediate ? 0 : value_size());
  void *memory = ::operator new(size, std::nothrow);
  if (memory == nullptr)
    return nullptr;
  auto *node = new (memory) Node;
  node->retired.reclaim = &free_node;
  node->prefixlen = key_prefixlen(key);
  node->intermediate.store(intermediate, std::memory_order_relaxed);
  std::memcpy(node->data(), key_data(key), data_size_);
  if (!intermediate)
    std::memcpy(reinterpret_cast<unsigned char *>(node) + value_offset_, value,
                value_size());
  return node;
}

void LpmTrie::retire(Node *node) { epochs().retire(&node->retired); }

void *LpmTrie::find(const void *key) {
  Node *found = nullptr;
  for (Node *node = load(root_); node != nullptr;) {
    std::uint32_t matchlen = longest_prefix_match(node, key);
    if (matchlen == max_prefixlen_) {
      found = node;
      break;
    }
    if (matchlen < node->prefixlen)
      break;
    if (!node->intermediate.load(std::memory_order_acquire))
      found = node;
    node = load(node->child[extract_bit(key_data(key), node->prefixlen)]);
  }
  if (found == nullptr)
    return nullptr;
  return reinterpret_cast<unsigned char *>(found) + value_offset_;
}

// trie_check_add_elem: a new element needs room and no BPF_EXIST.
Status LpmTrie::check_add(std::uint64_t flags) {
  if (flags == kBpfExist)
    return Errno::NoEnt;
  if (n_entries_ == max_entries())
    return Errno::NoSpc;
  ++n_entries_;
  return {};
}

Status LpmTrie::insert(const void *key, const void *value,
                       std::uint64_t flags) {
  if (flags > kBpfExist)
    return Errno::Inval;
  std::uint32_t prefixlen = key_prefixlen(key);
  if (prefixlen > max_prefixlen_)
    return Errno::Inval;
  Node *fresh = allocate(key, value, false);
  if (fresh == nullptr)
    return Errno::NoMem;
  std::unique_lock<SpinLock> lock(lock_);
  auto fail = [&](Status status) {
    lock.unlock();
    free_node(&fresh->retired);
    return status;
  };
  std::atomic<Node *> *slot = &root_;
  Node *node = nullptr;
  std::uint32_t matchlen = 0;
  while ((node = slot->load(std::memory_order_relaxed)) != nullptr) {
    matchlen = longest_prefix_match(node, key);
    if (node->prefixlen != matchlen || node->prefixlen == prefixlen ||
        node->prefixlen == max_prefixlen_)
      break;
    slot = &node->child[extract_bit(key_data(key), node->prefixlen)];
  }
  if (node == nullptr) {
    if (Status status = check_add(flags); !status)
      return fail(status);
    slot->store(fresh, std::memory_order_release);
    return {};
  }
  if (node->prefixlen == matchlen && matchlen == prefixlen) {
    if (!node->intermediate.load(std::memory_order_relaxed)) {
      if (flags == kBpfNoexist)
        return fail(Errno::Exist);
    } else if (Status status = check_add(flags); !status) {
      return fail(status);
    }
    for (int i = 0; i < 2; ++i)
      fresh->child[i].store(node->child[i].load(std::memory_order_relaxed),
                            std::memory_order_relaxed);
    slot->store(fresh, std::memory_order_release);
    lock.unlock();
    retire(node);
    return {};
  }
  if (Status status = check_add(flags); !status)
    return fail(status);
  if (matchlen == prefixlen) { // the new node is an ancestor of `node`
    fresh->child[extract_bit(node->data(), matchlen)].store(
        node, std::memory_order_relaxed);
    slot->store(fresh, std::memory_order_release);
    return {};
  }
  Node *im = allocate(key, nullptr, true);
  if (im == nullptr) {
    --n_entries_;
    return fail(Errno::NoMem);
  }
  im->prefixlen = matchlen;
  std::memcpy(im->data(), node->data(), data_size_);
  bool bit = extract_bit(key_data(key), matchlen);
  im->child[bit].store(fresh, std::memory_order_relaxed);
  im->child[!bit].store(node, std::memory_order_relaxed);
  slot->store(im, std::memory_order_release);
  return {};
}

Status LpmTrie::remove(const void *key) {
  std::uint32_t prefixlen = key_prefixlen(key);
  if (prefixlen > max_prefixlen_)
    return Errno::Inval;
  std::unique_lock<SpinLock> lock(lock_);
  std::atomic<Node *> *trim = &root_;
  std::atomic<Node *> *trim2 = trim;
  Node *parent = nullptr;
  Node *node = nullptr;
  std::uint32_t matchlen = 0;
  while ((node = trim->load(std::memory_order_relaxed)) != nullptr) {
    matchlen = longest_prefix_match(node, key);
    if (node->prefixlen != matchlen || node->prefixlen == prefixlen)
      break;
    parent = node;
    trim2 = trim;
    trim = &node->child[extract_bit(key_data(key), node->prefixlen)];
  }
  if (node == nullptr || node->prefixlen != prefixlen ||
      node->prefixlen != matchlen ||
      node->intermediate.load(std::memory_order_relaxed))
    return Errno::NoEnt;
  --n_entries_;
  Node *left = node->child[0].load(std::memory_order_relaxed);
  Node *right = node->child[1].load(std::memory_order_relaxed);
  if (left != nullptr && right != nullptr) {
    node->intermediate.store(true, std::memory_order_release);
    return {};
  }
  if (parent != nullptr &&
      parent->intermediate.load(std::memory_order_relaxed) && left == nullptr &&
      right == nullptr) {
    Node *sibling =
        parent
            ->child[parent->child[0].load(std::memory_order_relaxed) == node
                        ? 1
                        : 0]
            .load(std::memory_order_relaxed);
    trim2->store(sibling, std::memory_order_release);
    lock.unlock();
    retire(parent);
    retire(node);
    return {};
  }
  trim->store(left != nullptr ? left : right, std::memory_order_release);
  lock.unlock();
  retire(node);
  return {};
}

void *LpmTrie::lookup(const void *key, ExecutionSlot) { return find(key); }

Status LpmTrie::update(const void *key, const void *value, std::uint64_t flags,
                       ExecutionSlot) {
  return insert(key, value, flags);
}

Status LpmTrie::erase(const void *key, ExecutionSlot) { return remove(key); }

Status LpmTrie::sys_lookup(const void *key, void *value, std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  EpochDomain::ExternalGuard guard(epochs());
  void *found = find(key);
  if (found == nullptr)
    return Errno::NoEnt;
  std::memcpy(value, found, value_size());
  return {};
}

Status LpmTrie::sys_update(const void *key, const void *value,
                           std::uint64_t flags) {
  return insert(key, value, flags);
}

Status LpmTrie::sys_delete(const void *key) { return remove(key); }

// trie_get_next_key: the node after `key` in post order (children before
// parents, left before right); a null, missing or over-long key gives the
// first node in post order.
Status LpmTrie::get_next_key(const void *key, void *next_key) {
  EpochDomain::ExternalGuard guard(epochs());
  Node *search_root = load(root_);
  if (search_root == nullptr)
    return Errno::NoEnt;
  Node *next = nullptr;
  if (key != nullptr && key_prefixlen(key) <= max_prefixlen_) {
    std::vector<Node *> stack;
    Node *node = search_root;
    std::uint32_t matchlen = 0;
    for (; node != nullptr;) {
      stack.push_back(node);
      matchlen = longest_prefix_match(node, key);
      if (node->prefixlen != matchlen || node->prefixlen == key_prefixlen(key))
        break;
      node = load(node->child[extract_bit(key_data(key), node->prefixlen)]);
    }
    if (node != nullptr && node->prefixlen == matchlen &&
        node->prefixlen == key_prefixlen(key) &&
        !node->intermediate.load(std::memory_order_acquire)) {
      search_root = nullptr;
      node = stack.back();
      for (std::size_t depth = stack.size() - 1; depth > 0; --depth) {
        Node *parent = stack[depth - 1];
        if (load(parent->child[0]) == node) {
          search_root = load(parent->child[1]);
          if (search_root != nullptr)
            break;
        }
        if (!parent->intermediate.load(std::memory_order_acquire)) {
          next = parent;
          break;
        }
        node = parent;
      }
      if (next == nullptr && search_root == nullptr)
        return Errno::NoEnt;
    }
  }
  if (next == nullptr) { // leftmost real node below search_root
    for (Node *node = search_root; node != nullptr;) {
      if (node->intermediate.load(std::memory_order_acquire)) {
        node = load(node->child[0]);
      } else {
        next = node;
        node = load(node->child[0]);
        if (node == nullptr)
          node = load(next->child[1]);
      }
    }
  }
  if (next == nullptr)
    return Errno::NoEnt;
  auto *out = static_cast<unsigned char *>(next_key);
  std::memcpy(out, &next->prefixlen, 4);
  std::memcpy(out + 4, next->data(), data_size_);
  return {};
}

} // namespace bpfhost::maps
