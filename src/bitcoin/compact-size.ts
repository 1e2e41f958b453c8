/**
 * Bitcoin's CompactSize unsigned integer (the "varint" of the P2P serialisation): one byte below
 * 0xfd, else a marker byte 0xfd / 0xfe / 0xff followed by 2, 4 or 8 little-endian bytes.
 */

/** Encodes `n` (0 ≤ n < 2³²) as a CompactSize. */
export function encodeCompactSize(n: number): Buffer {
  if (n < 0xfd) return Buffer.of(n);
  if (n <= 0xffff) return Buffer.of(0xfd, n & 0xff, n >> 8);
  const b = Buffer.alloc(5);
  b[0] = 0xfe;
  b.writeUInt32LE(n, 1);
  return b;
}
