#!/usr/bin/env node
// Draws Casetrail's app icons (the favicon's white "T" on the brand blue) as PNG files in static/,
// with nothing but node:zlib, because the manifest needs raster icons and no image tool is
// installed. The PNGs are committed; run this again only when the design changes:
//   node scripts/make-icons.mjs
//
// icon-192.png, icon-512.png   purpose "any": rounded square, transparent corners.
// icon-maskable-512.png        purpose "maskable": full-bleed square; the glyph stays inside the
//                              central circle of radius 0.4 that every mask shape keeps.
// apple-touch-icon.png (180)   iOS adds its own corners and shows transparency as black, so
//                              full-bleed like the maskable one; iOS finds it at this path itself.
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BRAND = [0x1d, 0x4e, 0x89, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

// The favicon's drawing, in its 64-unit viewBox: <rect rx="12"/> and the path
// M18 20h28v6H35v22h-6V26H18z, which is two rectangles.
const GLYPH = [
	{ x0: 18, y0: 20, x1: 46, y1: 26 },
	{ x0: 29, y0: 26, x1: 35, y1: 48 }
];
const CORNER = 12;

/** The colour of the point (x, y) of the 64-unit drawing; `rounded` cuts the corners. */
function colourAt(x, y, rounded) {
	if (GLYPH.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)) return WHITE;
	if (!rounded) return BRAND;
	const cx = Math.min(Math.max(x, CORNER), 64 - CORNER);
	const cy = Math.min(Math.max(y, CORNER), 64 - CORNER);
	return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2 ? BRAND : CLEAR;
}

/** RGBA pixels of a size x size icon, 4 x 4 samples per pixel so the edges are smooth. */
function draw(size, rounded) {
	const samples = 4;
	const pixels = new Uint8Array(size * size * 4);
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			const sum = [0, 0, 0, 0];
			for (let sy = 0; sy < samples; sy++) {
				for (let sx = 0; sx < samples; sx++) {
					const x = ((px + (sx + 0.5) / samples) * 64) / size;
					const y = ((py + (sy + 0.5) / samples) * 64) / size;
					const [r, g, b, a] = colourAt(x, y, rounded);
					// Premultiplied while summing, so transparent samples do not darken the edge.
					sum[0] += (r * a) / 255;
					sum[1] += (g * a) / 255;
					sum[2] += (b * a) / 255;
					sum[3] += a;
				}
			}
			const n = samples * samples;
			const alpha = sum[3] / n;
			const at = (py * size + px) * 4;
			for (let c = 0; c < 3; c++) pixels[at + c] = alpha ? Math.round((sum[c] / n) * (255 / alpha)) : 0;
			pixels[at + 3] = Math.round(alpha);
		}
	}
	return pixels;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** A PNG file (8-bit RGBA, no interlace, filter 0 on every row) of the given pixels. */
function encodePng(size, pixels) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 6; // colour type: RGBA
	const rows = Buffer.alloc(size * (size * 4 + 1));
	for (let y = 0; y < size; y++) {
		rows[y * (size * 4 + 1)] = 0;
		Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const icons = [
	{ file: 'icon-192.png', size: 192, rounded: true },
	{ file: 'icon-512.png', size: 512, rounded: true },
	{ file: 'icon-maskable-512.png', size: 512, rounded: false },
	{ file: 'apple-touch-icon.png', size: 180, rounded: false }
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const dir = new URL('../static/', import.meta.url);
	for (const { file, size, rounded } of icons) {
		const png = encodePng(size, draw(size, rounded));
		writeFileSync(new URL(file, dir), png);
		console.log(`static/${file}: ${size} x ${size}, ${png.length} bytes`);
	}
}
