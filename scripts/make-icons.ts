/**
 * Draws the tray icons (one per state) and the app icon, and writes them as PNG and multi-size
 * ICO into assets/. Shapes are signed-distance functions sampled per pixel, so every size is
 * drawn crisp rather than scaled. No image library: a PNG is a few zlib-compressed chunks.
 *   node --import tsx scripts/make-icons.ts [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const TRAY_STATES = ['ok', 'warn', 'fail', 'unknown', 'checking'] as const;
export type TrayState = (typeof TRAY_STATES)[number];
/** Windows picks from these for the tray (100%–300% scaling), Explorer and the taskbar. */
export const ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 256] as const;

type Rgb = readonly [number, number, number];
type Shape = (x: number, y: number) => number; // signed distance in unit space, <0 inside

const COLOURS: Record<TrayState, { fill: Rgb; glyph: Rgb }> = {
  ok: { fill: [46, 125, 50], glyph: [255, 255, 255] },
  warn: { fill: [242, 169, 0], glyph: [33, 33, 33] },
  fail: { fill: [198, 40, 40], glyph: [255, 255, 255] },
  unknown: { fill: [96, 110, 125], glyph: [255, 255, 255] },
  checking: { fill: [21, 101, 192], glyph: [255, 255, 255] },
};

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => Math.hypot(x - cx, y - cy) - r;

/** A line segment with round caps, `w` wide. */
function stroke(ax: number, ay: number, bx: number, by: number, w: number): Shape {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) - w / 2;
  };
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    const qx = Math.abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
    const qy = Math.abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

const union = (...shapes: Shape[]): Shape => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const subtract = (a: Shape, b: Shape): Shape => (x, y) => Math.max(a(x, y), -b(x, y));

/** The glyph per state: the shape says the state too, so colour is never the only signal. */
function glyph(state: TrayState): Shape {
  const w = 0.13;
  switch (state) {
    case 'ok':
      return union(stroke(0.3, 0.52, 0.44, 0.66, w), stroke(0.44, 0.66, 0.71, 0.36, w));
    case 'warn':
      return union(stroke(0.5, 0.27, 0.5, 0.56, w), circle(0.5, 0.72, w * 0.62));
    case 'fail':
      return union(stroke(0.34, 0.34, 0.66, 0.66, w), stroke(0.66, 0.34, 0.34, 0.66, w));
    case 'unknown':
      return union(
        subtract(subtract(circle(0.5, 0.4, 0.15 + w / 2), circle(0.5, 0.4, 0.15 - w / 2)), (x, y) => Math.max(x - 0.5, 0.4 - y)),
        stroke(0.5, 0.55, 0.5, 0.6, w),
        circle(0.5, 0.74, w * 0.62),
      );
    case 'checking':
      return union(circle(0.3, 0.5, 0.075), circle(0.5, 0.5, 0.075), circle(0.7, 0.5, 0.075));
  }
}

interface Layer {
  shape: Shape;
  colour: Rgb;
}

/** Renders layers (last on top) into RGBA with 4×4 supersampling per pixel. */
export function rasterize(size: number, layers: Layer[]): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          let colour: Rgb | undefined;
          for (const layer of layers) if (layer.shape(x, y) < 0) colour = layer.colour;
          if (colour) {
            r += colour[0]; g += colour[1]; b += colour[2]; a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return out;
}

export function trayLayers(state: TrayState): Layer[] {
  const { fill, glyph: ink } = COLOURS[state];
  return [{ shape: circle(0.5, 0.5, 0.47), colour: fill }, { shape: glyph(state), colour: ink }];
}

/** The app icon: a screen with a stand and a check mark on it. */
export function appLayers(): Layer[] {
  return [
    { shape: roundedRect(0.04, 0.04, 0.96, 0.96, 0.2), colour: [21, 101, 192] },
    { shape: union(roundedRect(0.18, 0.22, 0.82, 0.66, 0.05), stroke(0.5, 0.66, 0.5, 0.78, 0.08), stroke(0.34, 0.8, 0.66, 0.8, 0.07)), colour: [255, 255, 255] },
    { shape: union(stroke(0.37, 0.45, 0.46, 0.54, 0.075), stroke(0.46, 0.54, 0.64, 0.35, 0.075)), colour: [46, 125, 50] },
  ];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA pixels → PNG (8-bit RGBA, filter 0 on every row). */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** PNG images → ICO (PNG-compressed entries, supported since Windows Vista). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

function icoOf(layers: Layer[]): Buffer {
  return encodeIco(ICO_SIZES.map((size) => ({ size, png: encodePng(size, rasterize(size, layers)) })));
}

/** Writes every asset; returns the paths written, relative to outDir. */
export function writeIcons(outDir: string, faviconPath?: string): string[] {
  const written: string[] = [];
  const put = (name: string, data: Buffer) => {
    writeFileSync(join(outDir, name), data);
    written.push(name);
  };
  mkdirSync(join(outDir, 'tray'), { recursive: true });
  for (const state of TRAY_STATES) {
    const layers = trayLayers(state);
    put(`tray/${state}.ico`, icoOf(layers));
    put(`tray/${state}.png`, encodePng(16, rasterize(16, layers)));
    put(`tray/${state}@2x.png`, encodePng(32, rasterize(32, layers)));
  }
  put('icon.ico', icoOf(appLayers()));
  put('icon.png', encodePng(512, rasterize(512, appLayers())));
  if (faviconPath) {
    writeFileSync(faviconPath, encodePng(32, rasterize(32, appLayers())));
    written.push(faviconPath);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(root, 'assets'));
  // The window's own icon (tab, demo) is served with the page, from renderer/public.
  mkdirSync(join(root, 'renderer/public'), { recursive: true });
  for (const name of writeIcons(outDir, process.argv[2] ? undefined : join(root, 'renderer/public/favicon.png'))) console.log(resolve(outDir, name));
}
