// The same work as Newsroom's RenditionPipeline, written the way sharp's documentation suggests:
// one input pipeline with EXIF auto-rotation, a clone per output, WebP q75 and progressive JPEG q80 for
// every width up to 2560 (never upscaling), metadata stripped (sharp's default), a 16 px WebP
// placeholder and the dominant colour. Usage: node renditions.js <repeat> <file>...
const sharp = require('sharp');

sharp.cache(false);
const widths = [160, 320, 480, 640, 960, 1280, 1920, 2560];

async function renditions(file) {
  const input = sharp(file, { failOn: 'truncated' }).rotate();
  const { width: w0, height: h0, orientation } = await sharp(file).metadata();
  const width = orientation >= 5 ? h0 : w0;
  const plan = widths.filter((w) => w < width);
  plan.push(width < widths[widths.length - 1] ? width : widths[widths.length - 1]);
  let bytes = 0;
  for (const w of [...new Set(plan)].sort((a, b) => b - a)) {
    const [webp, jpeg] = await Promise.all([
      input.clone().resize({ width: w }).webp({ quality: 75, effort: 4, smartSubsample: true }).toBuffer(),
      input.clone().resize({ width: w }).flatten({ background: '#ffffff' }).jpeg({ quality: 80, progressive: true, optimiseCoding: true }).toBuffer(),
    ]);
    bytes += webp.length + jpeg.length;
  }
  const placeholder = await input.clone().resize({ width: 16, height: 16, fit: 'inside' }).webp({ quality: 40 }).toBuffer();
  const { dominant } = await input.clone().stats();
  return bytes + placeholder.length + (dominant ? 0 : 0);
}

require('./measure')(`sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})`, renditions);
