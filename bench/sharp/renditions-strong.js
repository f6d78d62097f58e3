// The strongest sharp pipeline we could write for Newsroom's rendition set: decode once, with shrink-on-load,
// straight to the largest width needed (EXIF orientation applied), keep those raw pixels, and resize every width
// from them; the same encoders and settings as renditions.js (WebP q75 effort 4 smart subsampling, progressive
// JPEG q80 with optimised coding on white, metadata stripped, 8 widths up to 2560 never upscaling, a 16 px WebP
// placeholder and the dominant colour), the two encodes of a width in parallel.
// Usage: node renditions-strong.js <repeat> <file>...
const sharp = require('sharp');

sharp.cache(false);
const widths = [160, 320, 480, 640, 960, 1280, 1920, 2560];

async function renditions(file) {
  const { width: w0, height: h0, orientation } = await sharp(file).metadata();
  const width = orientation >= 5 ? h0 : w0;
  const plan = widths.filter((w) => w < width);
  plan.push(width < widths[widths.length - 1] ? width : widths[widths.length - 1]);
  const largest = Math.max(...plan);
  // One decode: shrink-on-load to the largest width, oriented, as raw sRGB pixels held in memory.
  const { data, info } = await sharp(file, { failOn: 'truncated' }).rotate()
    .resize({ width: largest, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  let bytes = 0;
  for (const w of [...new Set(plan)].sort((a, b) => b - a)) {
    const [webp, jpeg] = await Promise.all([
      sharp(data, raw).resize({ width: w }).webp({ quality: 75, effort: 4, smartSubsample: true }).toBuffer(),
      sharp(data, raw).resize({ width: w }).flatten({ background: '#ffffff' }).jpeg({ quality: 80, progressive: true, optimiseCoding: true }).toBuffer(),
    ]);
    bytes += webp.length + jpeg.length;
  }
  const placeholder = await sharp(data, raw).resize({ width: 16, height: 16, fit: 'inside' }).webp({ quality: 40 }).toBuffer();
  await sharp(data, raw).stats();
  return bytes + placeholder.length;
}

require('./measure')(`sharp ${sharp.versions.sharp} strong (libvips ${sharp.versions.vips})`, renditions);
