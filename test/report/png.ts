/** Reads a PNG screenshot (8-bit RGB/RGBA, non-interlaced, as Chromium writes it): decodes it, counts pixels by colour. */
import { inflateSync } from 'node:zlib';

/** A decoded image: `channels` bytes per pixel (3 = RGB, 4 = RGBA), rows top to bottom. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

export const PNG = {
  decode(png: Uint8Array): Pixels {
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
    const data = new Uint8Array(stride * height);
    const zero = new Uint8Array(stride);
    for (let y = 0; y < height; y++) {
      const filter = raw[y * (stride + 1)];
      const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
      const prev = y ? data.subarray((y - 1) * stride, y * stride) : zero;
      const row = data.subarray(y * stride, (y + 1) * stride);
      for (let i = 0; i < stride; i++) {
        const a = i >= channels ? row[i - channels] : 0;
        const b = prev[i];
        const c = i >= channels ? prev[i - channels] : 0;
        const p = a + b - c;
        const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
        row[i] = (line[i] + [0, a, b, (a + b) >> 1, pr][filter]) & 0xff;
      }
    }
    return { width, height, channels, data };
  },

  /** Pixels whose (r, g, b) passes `test`. */
  count(png: Uint8Array, test: (r: number, g: number, b: number) => boolean): number {
    const { width, height, channels, data } = PNG.decode(png);
    let n = 0;
    for (let o = 0; o < width * height * channels; o += channels) if (test(data[o], data[o + 1], data[o + 2])) n++;
    return n;
  },

  countNonWhite(png: Uint8Array): number {
    return PNG.count(png, (r, g, b) => r < 235 || g < 235 || b < 235);
  },
};
