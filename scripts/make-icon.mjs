// Draws media/icon.png (128x128, the Marketplace size): a teal rounded square with a three-node pipeline and a check
// mark. Plain Node (zlib + a hand-written PNG encoder) so the icon can be regenerated without any image tool:
//   node scripts/make-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const SS = 4; // supersampling per axis, for smooth edges

const clamp = (x, a, b) => Math.max(a, Math.min(b, x));
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0, 1);
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
function roundRect(px, py, x0, y0, x1, y1, r) {
  const qx = Math.max(x0 + r - px, 0, px - (x1 - r)),
    qy = Math.max(y0 + r - py, 0, py - (y1 - r));
  return Math.hypot(qx, qy) - r; // <= 0 inside
}

// Layers, back to front: [inside(x, y) -> bool, [r, g, b]]
const nodes = [
  [34, 40],
  [34, 88],
  [70, 64],
];
const layers = [
  [(x, y) => roundRect(x, y, 4, 4, 124, 124, 24) <= 0, null], // background, coloured by gradient below
  [(x, y) => segDist(x, y, 34, 40, 70, 64) <= 4 || segDist(x, y, 34, 88, 70, 64) <= 4, [205, 240, 236]],
  [(x, y) => nodes.some(([cx, cy]) => Math.hypot(x - cx, y - cy) <= 11), [255, 255, 255]],
  [(x, y) => Math.hypot(x - 96, y - 88) <= 22, [255, 196, 61]],
  [(x, y) => segDist(x, y, 85, 88, 93, 97) <= 4.2 || segDist(x, y, 93, 97, 108, 78) <= 4.2, [38, 50, 56]],
];

const px = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  px[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const fx = x + (sx + 0.5) / SS,
          fy = y + (sy + 0.5) / SS;
        let c = null;
        for (const [inside, col] of layers) {
          if (!inside(fx, fy)) continue;
          const t = (fx + fy) / (2 * N);
          c = col ?? [Math.round(0 + 20 * t), Math.round(137 - 40 * t), Math.round(123 + 20 * t)];
        }
        if (c) {
          r += c[0];
          g += c[1];
          b += c[2];
          a += 255;
        }
      }
    }
    const k = SS * SS,
      o = y * (N * 4 + 1) + 1 + x * 4;
    const cov = a / k;
    // Straight (not premultiplied) alpha: average colour of the covered samples.
    const n = a / 255 || 1;
    px[o] = Math.round(r / n);
    px[o + 1] = Math.round(g / n);
    px[o + 2] = Math.round(b / n);
    px[o + 3] = Math.round(cov);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(px, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
