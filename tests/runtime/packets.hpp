// Test packets for the XDP programs of tests/progs: Ethernet + IPv4 + UDP
// (or TCP protocol number with the same bytes), and an ARP frame.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bpfhost::test {

inline std::vector<uint8_t> ipv4_packet(uint16_t dport, uint8_t proto = 17) {
  std::vector<uint8_t> p = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  const std::string payload = "hello world!";
  const uint16_t udp_len = static_cast<uint16_t>(8 + payload.size());
  const uint16_t ip_len = static_cast<uint16_t>(20 + udp_len);
  std::vector<uint8_t> ip = {0x45,
                             0,
                             uint8_t(ip_len >> 8),
                             uint8_t(ip_len),
                             0,
                             1,
                             0,
                             0,
                             64,
                             proto,
                             0,
                             0,
                             10,
                             0,
                             0,
                             1,
                             10,
                             0,
                             0,
                             2};
  uint32_t sum = 0;
  for (size_t i = 0; i < ip.size(); i += 2)
    sum += (ip[i] << 8) | ip[i + 1];
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = uint8_t(~sum >> 8);
  ip[11] = uint8_t(~sum);
  p.insert(p.end(), ip.begin(), ip.end());
  std::vector<uint8_t> udp = {0x04,
                              0xd2,
                              uint8_t(dport >> 8),
                              uint8_t(dport),
                              uint8_t(udp_len >> 8),
                              uint8_t(udp_len),
                              0,
                              0};
  p.insert(p.end(), udp.begin(), udp.end());
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

inline std::vector<uint8_t> arp_packet() {
  std::vector<uint8_t> p(42, 0);
  p[12] = 0x08;
  p[13] = 0x06;
  return p;
}

struct NamedPacket {
  const char *name;
  std::vector<uint8_t> bytes;
};

inline std::vector<NamedPacket> test_packets() {
  return {{"udp53", ipv4_packet(53)},
          {"udp80", ipv4_packet(80)},
          {"tcp80", ipv4_packet(80, 6)},
          {"arp", arp_packet()}};
}

} // namespace bpfhost::test
