// The driver both sharp pipelines share: node <script> <repeat> <file>...; one warm-up, then every file <repeat>
// times, one at a time; prints the JSON bench/photos.sh reads (engine, images, seconds, images/s, output bytes).
module.exports = function measure(engine, renditions) {
  (async () => {
    const [repeat, ...files] = process.argv.slice(2);
    await renditions(files[0]); // warm-up
    const start = process.hrtime.bigint();
    let images = 0;
    let outputBytes = 0;
    for (let r = 0; r < Number(repeat); r++) {
      for (const file of files) {
        outputBytes += await renditions(file);
        images++;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify({ engine, images, seconds, imagesPerSecond: images / seconds, outputBytes }));
  })().catch((e) => { console.error(e); process.exit(1); });
};
