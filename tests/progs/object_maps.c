// Object loader fixture: BTF-defined maps with __uint and __type attributes,
// flags, pinning, a map-in-map with an initial value and a program array
// with an initial program.
// <linux/bpf.h> first: libbpf's headers use its types.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct key {
  __u32 addr;
  __u16 port;
  __u16 proto;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct key);
  __type(value, __u64);
  __uint(max_entries, 1024);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(key_size, 4);
  __uint(value_size, 24);
  __uint(max_entries, 8);
} sized SEC(".maps");

struct inner {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u32);
  __uint(max_entries, 2);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 4);
  __type(key, __u32);
  __array(values, struct inner);
} outer SEC(".maps") = {
    .values = {[2] = &inner_b},
};

SEC("xdp")
int tail(struct xdp_md *ctx) { return XDP_PASS; }

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 3);
  __type(key, __u32);
  __array(values, int(void *));
} jumps SEC(".maps") = {
    .values = {[1] = (void *)&tail},
};

SEC("xdp")
int lookup(struct xdp_md *ctx) {
  struct key k = {ctx->ingress_ifindex, 80, 6};
  __u64 *count = bpf_map_lookup_elem(&flows, &k);
  __u32 zero = 0;
  void *in = bpf_map_lookup_elem(&outer, &zero);
  if (in && bpf_map_lookup_elem(in, &zero))
    return XDP_DROP;
  void *s = bpf_map_lookup_elem(&sized, &zero);
  if (s)
    return XDP_ABORTED;
  bpf_tail_call(ctx, &jumps, 1);
  return count ? XDP_PASS : XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
