// Parses Ethernet/IPv4 and counts packets per IP protocol in a hash map and
// bytes in an array; passes IPv4, drops everything else.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, __u64);
} proto_count SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} bytes SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_ABORTED;
  if (eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_DROP;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end)
    return XDP_ABORTED;
  __u32 key = ip->protocol;
  __u64 one = 1;
  __u64 *count = bpf_map_lookup_elem(&proto_count, &key);
  if (count)
    __sync_fetch_and_add(count, 1);
  else
    bpf_map_update_elem(&proto_count, &key, &one, BPF_NOEXIST);
  __u32 zero = 0;
  __u64 *total = bpf_map_lookup_elem(&bytes, &zero);
  if (total)
    *total += data_end - data;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
