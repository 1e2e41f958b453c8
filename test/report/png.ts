/** Reads a PNG screenshot (8-bit RGB/RGBA, non-interlaced, as Chromium writes it) and counts non-white pixels. */
import { inflateSync } from 'node:zlib';

export const PNG = {
  countNonWhite(png: Uint8Array): number {
    const buf = Buffer.from(png);
    let pos = 8;
    let width = 0;
    let height = 0;
    let channels = 4;
    const idat: Buffer[] = [];
    while (pos < buf.length) {
      const len = buf.readUInt32BE(pos);
      const type = buf.toString('latin1', pos + 4, pos + 8);
      const body = buf.subarray(pos + 8, pos + 8 + len);
      if (type === 'IHDR') {
        width = body.readUInt32BE(0);
        height = body.readUInt32BE(4);
        channels = body[9] === 6 ? 4 : 3;
        if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      } else if (type === 'IDAT') idat.push(body);
      pos += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const prev = Buffer.alloc(stride);
    const row = Buffer.alloc(stride);
    let count = 0;
    for (let y = 0; y < height; y++) {
      const filter = raw[y * (stride + 1)];
      const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
      for (let i = 0; i < stride; i++) {
        const a = i >= channels ? row[i - channels] : 0;
        const b = prev[i];
        const c = i >= channels ? prev[i - channels] : 0;
        const p = a + b - c;
        const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
        row[i] = (line[i] + [0, a, b, (a + b) >> 1, pr][filter]) & 0xff;
      }
      for (let x = 0; x < width; x++) {
        const o = x * channels;
        if (row[o] < 235 || row[o + 1] < 235 || row[o + 2] < 235) count++;
      }
      row.copy(prev);
    }
    return count;
  },
};
