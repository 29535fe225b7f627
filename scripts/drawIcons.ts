/**
 * Draws the two Teams app icons into appPackage/: `color.png` (192×192, full colour) and
 * `outline.png` (32×32, white on transparent).
 *
 * @remarks
 * We draw them in code, with Node built-ins only, so the icons are ours, reviewable as source,
 * and can be redrawn after a design change with `npx ts-node --transpile-only scripts/drawIcons.ts`.
 * The motif is two overlapping speech bubbles: two people, each with their own view, in one
 * conversation.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/** A region of the plane, in pixel units (the pixel (0,0) covers [0,1)×[0,1)). */
export type Shape = (x: number, y: number) => boolean;

export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** An 8-bit RGBA image, rows top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Teal behind the colour icon; the manifest's accentColor uses the same value. */
export const ACCENT_COLOR = '#1F7A80';

const TEAL: Rgba = { r: 0x1f, g: 0x7a, b: 0x80, a: 255 };
const MINT: Rgba = { r: 0xc4, g: 0xeb, b: 0xe6, a: 255 };
const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };

// ---------------------------------------------------------------------------------------------
// Shapes

export function roundedRect(left: number, top: number, right: number, bottom: number, radius: number): Shape {
  return (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return false;
    // Distance to the inner rectangle whose corners are the arc centres.
    const dx = Math.max(left + radius - x, 0, x - (right - radius));
    const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
    return dx * dx + dy * dy <= radius * radius;
  };
}

export function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
}

export function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number): number =>
    (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const s1 = side(ax, ay, bx, by, x, y);
    const s2 = side(bx, by, cx, cy, x, y);
    const s3 = side(cx, cy, ax, ay, x, y);
    // Inside when the point is on the same side of all three edges, whatever the winding.
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

export function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

export function difference(base: Shape, cut: Shape): Shape {
  return (x, y) => base(x, y) && !cut(x, y);
}

/** Moves a shape by (dx, dy); used to cut a stroke from a shape and a smaller copy of it. */
export function translate(shape: Shape, dx: number, dy: number): Shape {
  return (x, y) => shape(x - dx, y - dy);
}

/** A speech bubble: a rounded body with a small tail under one bottom corner. */
function speechBubble(left: number, top: number, right: number, bottom: number, radius: number, tail: 'left' | 'right'): Shape {
  const width = right - left;
  const height = bottom - top;
  const tailWidth = width * 0.22;
  const tailDepth = height * 0.3;
  const body = roundedRect(left, top, right, bottom, radius);
  const tailShape =
    tail === 'left'
      ? triangle(left + width * 0.16, bottom - 1, left + width * 0.16 + tailWidth, bottom - 1, left + width * 0.08, bottom + tailDepth)
      : triangle(right - width * 0.16, bottom - 1, right - width * 0.16 - tailWidth, bottom - 1, right - width * 0.08, bottom + tailDepth);
  return union(body, tailShape);
}

// ---------------------------------------------------------------------------------------------
// Rasterising

/**
 * Fraction of each pixel covered by the shape, found by sampling a `samples`×`samples` grid
 * inside the pixel; this is the anti-aliasing.
 */
export function coverage(width: number, height: number, shape: Shape, samples = 8): Float64Array {
  const result = new Float64Array(width * height);
  const step = 1 / samples;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (shape(px + (sx + 0.5) * step, py + (sy + 0.5) * step)) hits++;
        }
      }
      result[py * width + px] = hits / (samples * samples);
    }
  }
  return result;
}

export function blankImage(width: number, height: number, fill: Rgba): RgbaImage {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels.set([fill.r, fill.g, fill.b, fill.a], i * 4);
  return { width, height, pixels };
}

/** Paints `color` over the image wherever the shape covers it ("source over" compositing). */
export function paint(image: RgbaImage, shape: Shape, color: Rgba): void {
  const cover = coverage(image.width, image.height, shape);
  const { pixels } = image;
  for (let i = 0; i < cover.length; i++) {
    const srcA = (cover[i] * color.a) / 255;
    if (srcA === 0) continue;
    const o = i * 4;
    const dstA = pixels[o + 3] / 255;
    const outA = srcA + dstA * (1 - srcA);
    const mix = (src: number, dst: number): number => Math.round((src * srcA + dst * dstA * (1 - srcA)) / outA);
    pixels[o] = mix(color.r, pixels[o]);
    pixels[o + 1] = mix(color.g, pixels[o + 1]);
    pixels[o + 2] = mix(color.b, pixels[o + 2]);
    pixels[o + 3] = Math.round(outA * 255);
  }
}

// ---------------------------------------------------------------------------------------------
// PNG encoding

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes an 8-bit RGBA, non-interlaced PNG (colour type 6), every row with filter 0. */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace.
  const rowBytes = width * 4;
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (rowBytes + 1)] = 0;
    raw.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The two icons

/** 192×192: a white bubble behind a mint bubble with three teal dots, on teal. */
export function drawColorIcon(): RgbaImage {
  const size = 192;
  const image = blankImage(size, size, TEAL);
  const back = speechBubble(30, 40, 126, 110, 24, 'left');
  const front = speechBubble(68, 80, 164, 148, 24, 'right');
  paint(image, back, WHITE);
  // A teal rim around the front bubble keeps the two bubbles apart where they overlap.
  const rim = union(
    front,
    translate(front, -5, 0),
    translate(front, 5, 0),
    translate(front, 0, -5),
    translate(front, 0, 5),
    translate(front, -3.5, -3.5),
    translate(front, 3.5, -3.5),
    translate(front, -3.5, 3.5),
    translate(front, 3.5, 3.5),
  );
  paint(image, rim, TEAL);
  paint(image, front, MINT);
  paint(image, union(circle(94, 114, 7), circle(116, 114, 7), circle(138, 114, 7)), TEAL);
  return image;
}

/** 32×32: the same two bubbles as white strokes; the back one is hidden behind the front one. */
export function drawOutlineIcon(): RgbaImage {
  const size = 32;
  const stroke = 2;
  const image = blankImage(size, size, { r: 255, g: 255, b: 255, a: 0 });
  const back = speechBubble(2, 3, 20, 16, 4.5, 'left');
  const front = speechBubble(11, 11, 30, 25, 4.5, 'right');
  // The holes have no tail, so each tail stays a small solid wedge: crisper than a stroked tail at 32 px.
  const frontInner = roundedRect(11 + stroke, 11 + stroke, 30 - stroke, 25 - stroke, 4.5 - stroke);
  const backInner = roundedRect(2 + stroke, 3 + stroke, 20 - stroke, 16 - stroke, 4.5 - stroke);
  // Leave a transparent gap of about one pixel between the back outline and the front bubble.
  const frontWithGap = union(front, translate(front, -1.2, 0), translate(front, 0, -1.2), translate(front, -0.9, -0.9));
  const shape = union(difference(difference(back, backInner), frontWithGap), difference(front, frontInner));
  paint(image, shape, WHITE);
  return image;
}

export function drawIcons(appPackageDir: string): void {
  writeFileSync(path.join(appPackageDir, 'color.png'), encodePng(drawColorIcon()));
  writeFileSync(path.join(appPackageDir, 'outline.png'), encodePng(drawOutlineIcon()));
}

if (require.main === module) {
  const appPackageDir = path.resolve(__dirname, '..', 'appPackage');
  drawIcons(appPackageDir);
  console.log(`Wrote color.png and outline.png to ${appPackageDir}`);
}
