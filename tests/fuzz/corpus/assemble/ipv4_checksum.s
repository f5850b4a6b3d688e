# Computes the IPv4 header checksum (RFC 1071) of the 20-byte header that r1
# points to, with its checksum field (bytes 10-11) taken as zero.
# r2 holds the length; anything shorter than 20 bytes returns -1.
mov %r0, 0xffffffff
jlt %r2, 20, done
mov %r0, 0
mov %r3, 0
loop:
mov %r4, %r1
add %r4, %r3
ldxh %r5, [%r4+0]
be16 %r5
jeq %r3, 10, skip
add %r0, %r5
skip:
add %r3, 2
jlt %r3, 20, loop
# Fold the carries twice, then complement.
mov %r4, %r0
rsh %r4, 16
and %r0, 0xffff
add %r0, %r4
mov %r4, %r0
rsh %r4, 16
add %r0, %r4
xor %r0, 0xffff
and %r0, 0xffff
done:
exit
