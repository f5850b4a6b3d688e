// Object loader fixture: the legacy "maps" section of struct bpf_map_def
// (libbpf before 1.0), sized by its symbols, and a version section.
// <linux/bpf.h> first: libbpf's headers use its types.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct bpf_map_def {
  unsigned int type;
  unsigned int key_size;
  unsigned int value_size;
  unsigned int max_entries;
  unsigned int map_flags;
};

struct bpf_map_def SEC("maps") counters = {
    .type = BPF_MAP_TYPE_PERCPU_ARRAY,
    .key_size = 4,
    .value_size = 8,
    .max_entries = 16,
};

struct bpf_map_def SEC("maps") table = {
    .type = BPF_MAP_TYPE_LRU_HASH,
    .key_size = 8,
    .value_size = 16,
    .max_entries = 4096,
    .map_flags = 2,
};

SEC("socket")
int count(struct __sk_buff *skb) {
  __u32 key = skb->protocol & 15;
  __u64 *value = bpf_map_lookup_elem(&counters, &key);
  if (value)
    *value += 1;
  __u64 k = skb->len;
  return bpf_map_lookup_elem(&table, &k) ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
__u32 VERSION SEC("version") = 0x050a00;
