// The tray and app icons in assets/ are what Windows shows: every .ico must carry the sizes the
// shell picks from at 100–300 % scaling, and the committed files must match what the script draws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICO_SIZES, TRAY_STATES, appLayers, rasterize, trayLayers } from '../../../scripts/make-icons.js';

const ASSETS = join(import.meta.dirname, '../../../assets');

interface IcoEntry { width: number; height: number; bits: number; png: Buffer }

function readIco(file: Buffer): IcoEntry[] {
  expect(file.readUInt16LE(0)).toBe(0);
  expect(file.readUInt16LE(2)).toBe(1); // type 1 = icon
  const count = file.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + 16 * i;
    const size = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    return {
      width: file.readUInt8(at) || 256,
      height: file.readUInt8(at + 1) || 256,
      bits: file.readUInt16LE(at + 6),
      png: file.subarray(offset, offset + size),
    };
  });
}

/** Width, height and the unfiltered RGBA pixels of one of our PNGs (filter 0 rows). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, rgba };
}

const icons = [...TRAY_STATES.map((state) => ({ file: `tray/${state}.ico`, layers: trayLayers(state) })), { file: 'icon.ico', layers: appLayers() }];

describe('icons in assets/', () => {
  it.each(icons)('$file holds every size Windows asks for, each a PNG of that size', ({ file }) => {
    const entries = readIco(readFileSync(join(ASSETS, file)));
    expect(entries.map((e) => e.width)).toEqual([...ICO_SIZES]);
    for (const entry of entries) {
      expect(entry.height).toBe(entry.width);
      expect(entry.bits).toBe(32);
      const png = decodePng(entry.png);
      expect([png.width, png.height]).toEqual([entry.width, entry.height]);
    }
  });

  it.each(icons)('$file is what scripts/make-icons.ts draws today', ({ file, layers }) => {
    const entries = readIco(readFileSync(join(ASSETS, file)));
    const small = entries.find((e) => e.width === 32)!;
    expect(decodePng(small.png).rgba.equals(rasterize(32, layers))).toBe(true);
  });

  it.each(TRAY_STATES)('tray/%s.png and @2x exist at 16 and 32 px', (state) => {
    expect(decodePng(readFileSync(join(ASSETS, `tray/${state}.png`))).width).toBe(16);
    expect(decodePng(readFileSync(join(ASSETS, `tray/${state}@2x.png`))).width).toBe(32);
  });

  it('the states are told apart by the shape of the glyph, not only by colour', () => {
    const glyphMasks = TRAY_STATES.map((state) => Buffer.from(rasterize(32, [trayLayers(state)[1]!]).filter((_, i) => i % 4 === 3)).toString('hex'));
    expect(new Set(glyphMasks).size).toBe(TRAY_STATES.length);
  });
});
