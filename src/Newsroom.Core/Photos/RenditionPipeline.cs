using Microsoft.Extensions.Options;
using NetVips;

namespace Newsroom.Photos;

public sealed record RenditionOutput(int Width, int Height, string Format, string ContentType, byte[] Bytes);

/// <summary>What a run made: the decoded size, the renditions, the placeholder and dominant colour, and where the time went.</summary>
public sealed record PipelineResult(int Width, int Height, IReadOnlyList<RenditionOutput> Renditions, string Placeholder, string DominantColor)
{
    public PipelineTimings Timings { get; init; } = new(0, 0, 0);
}

/// <summary>Milliseconds spent decoding (once), resizing and encoding, up to the point a result was handed over.</summary>
public sealed record PipelineTimings(double DecodeMs, double ResizeMs, double EncodeMs);

/// <summary>
/// The image work, with libvips, in two stages: one decode (shrink-on-load straight to the largest width needed,
/// EXIF orientation applied, converted to sRGB) held in memory; first the usable set (<see cref="PhotoOptions.UsableWidths"/>,
/// with the placeholder and dominant colour), each width resized from the next larger one already made, handed over
/// as soon as it is encoded; then the other widths, the same way. The encodes of a
/// stage run in parallel. Outputs carry no metadata at all: no EXIF (so no GPS), no XMP, no IPTC, no ICC (sRGB is
/// the web's default).
/// </summary>
public sealed class RenditionPipeline(IOptions<PhotoOptions> options) : IDisposable
{
    // However many jobs the queue listener runs at once (batchSize + newBatchThreshold), at most
    // MaxConcurrentResizes images are decoded at a time, so an instance's memory stays bounded.
    private readonly SemaphoreSlim _gate = new(options.Value.MaxConcurrentResizes, options.Value.MaxConcurrentResizes);

    /// <summary>
    /// Runs the pipeline off the request thread, once a resize slot is free. When the photo is larger than the usable
    /// set, <paramref name="usable"/> gets that set first, and the other widths are made once it has returned (its
    /// writes get the cores they need, rather than waiting behind the larger encodes); the whole set is returned.
    /// </summary>
    public async Task<PipelineResult> RunAsync(string path, Func<PipelineResult, Task>? usable, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var staged = await Task.Run(() => Start(path), cancellationToken);
            if (staged.HasMore && usable is not null)
            {
                await usable(staged.First);
            }
            return await Task.Run(staged.Finish, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<PipelineResult> RunAsync(string path, CancellationToken cancellationToken) => RunAsync(path, null, cancellationToken);

    public void Dispose() => _gate.Dispose();

    static RenditionPipeline()
    {
        // A server sees each image once: libvips' operation cache would only hold memory.
        Cache.Max = 0;
        Cache.MaxFiles = 0;
    }

    /// <summary>The widths to make for an original <paramref name="width"/> wide: never an upscale, always at least one.</summary>
    public static IReadOnlyList<int> PlanWidths(int width, IReadOnlyList<int> configured)
    {
        var smaller = configured.Where(w => w > 0 && w < width).Distinct().Order().ToList();
        if (width < configured.Max())
        {
            smaller.Add(width);
        }
        else
        {
            smaller.Add(configured.Max());
        }
        return smaller.Distinct().Order().ToList();
    }

    /// <summary>The height for a width, keeping the aspect ratio and never 0.</summary>
    public static int HeightFor(int width, int originalWidth, int originalHeight) =>
        Math.Max(1, (int)Math.Round((double)originalHeight * width / originalWidth, MidpointRounding.AwayFromZero));

    /// <summary>The whole set, at once (the benchmark's and the tests' entry).</summary>
    public PipelineResult Run(string path)
    {
        using var staged = Start(path);
        return staged.Finish();
    }

    /// <summary>Decodes the photo and makes its usable set (all of it, for a photo no wider); <see cref="Staged.Finish"/> makes the rest.</summary>
    private Staged Start(string path)
    {
        var o = options.Value;
        var (orientedWidth, _) = OrientedSize(path);
        var widths = PlanWidths(orientedWidth, o.Widths);
        // A photo no wider than the usable set is made in one stage; a larger one gets the usable widths first.
        var first = widths[^1] <= o.UsableWidths.Max() ? [.. widths] : widths.Where(o.UsableWidths.Contains).ToList();
        var later = widths.Where(w => !first.Contains(w)).ToList();

        // Decode once, at the largest size needed. thumbnail applies the EXIF orientation and imports any
        // embedded ICC profile to sRGB; fail on truncated or corrupt data instead of serving grey bands.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Image? decoded = null;
        try
        {
            using (var loaded = Image.Thumbnail(path, widths[^1], height: 10_000_000, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated))
            using (var srgb = loaded.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw or Enums.Interpretation.Grey16
                ? loaded.Copy()
                : loaded.Colourspace(Enums.Interpretation.Srgb))
            {
                decoded = srgb.CopyMemory();
            }
            var timings = new Stage { DecodeMs = clock.Elapsed.TotalMilliseconds };

            // The usable set: the largest of it from the decoded pixels, each smaller one from the one before.
            var images = Chain(decoded, first, timings);
            try
            {
                var smallest = images[^1].Image;
                using var tiny = smallest.ThumbnailImage(16, height: 16);
                var placeholder = "data:image/webp;base64," + Convert.ToBase64String(tiny.WebpsaveBuffer(q: 40, keep: Enums.ForeignKeep.None));
                using var opaqueSmallest = smallest.HasAlpha() ? smallest.Flatten(background: [255, 255, 255]) : smallest.Copy();
                using var average = opaqueSmallest.ThumbnailImage(1, height: 1, size: Enums.Size.Force);
                var pixel = average.Getpoint(0, 0);
                var color = pixel.Length >= 3
                    ? $"#{(byte)pixel[0]:x2}{(byte)pixel[1]:x2}{(byte)pixel[2]:x2}"
                    : $"#{(byte)pixel[0]:x2}{(byte)pixel[0]:x2}{(byte)pixel[0]:x2}";
                var outputs = Encode(images, timings);
                return new Staged(this, decoded, later, outputs, placeholder, color, timings);
            }
            finally
            {
                foreach (var (image, _, _) in images)
                {
                    image.Dispose();
                }
            }
        }
        catch
        {
            decoded?.Dispose();
            throw;
        }
    }

    /// <summary>A photo decoded, its usable set made (<see cref="First"/>); <see cref="Finish"/> makes the other widths from the same pixels.</summary>
    private sealed class Staged(RenditionPipeline pipeline, Image decoded, IReadOnlyList<int> later, List<RenditionOutput> outputs, string placeholder, string color, Stage timings) : IDisposable
    {
        public bool HasMore => later.Count > 0;

        public PipelineResult First { get; } = Result(decoded, outputs, placeholder, color, timings);

        public PipelineResult Finish()
        {
            if (later.Count > 0)
            {
                // The other widths, from the decoded pixels down, as the usable set was.
                var images = Chain(decoded, later, timings);
                try
                {
                    outputs.AddRange(pipeline.Encode(images, timings));
                }
                finally
                {
                    foreach (var (image, _, _) in images)
                    {
                        image.Dispose();
                    }
                }
            }
            return Result(decoded, outputs, placeholder, color, timings);
        }

        public void Dispose() => decoded.Dispose();

        private static PipelineResult Result(Image decoded, List<RenditionOutput> outputs, string placeholder, string color, Stage timings) =>
            new(decoded.Width, decoded.Height, [.. outputs.OrderBy(r => r.Width).ThenBy(r => r.Format, StringComparer.Ordinal)], placeholder, color)
            {
                Timings = new PipelineTimings(timings.DecodeMs, timings.ResizeMs, timings.EncodeMs),
            };
    }

    private sealed class Stage
    {
        public double DecodeMs { get; init; }
        public double ResizeMs { get; set; }
        public double EncodeMs { get; set; }
    }

    /// <summary>
    /// The images of <paramref name="widths"/>, largest first, each resized from the next larger one made (the largest
    /// from <paramref name="decoded"/>) and held in memory: a chain of small resizes instead of one large one per width.
    /// </summary>
    private static List<(Image Image, int Width, int Height)> Chain(Image decoded, IReadOnlyList<int> widths, Stage timings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var images = new List<(Image, int, int)>();
        var from = decoded;
        foreach (var width in widths.OrderDescending())
        {
            var height = HeightFor(width, decoded.Width, decoded.Height);
            using var sized = Sized(from, width, height);
            var image = sized.CopyMemory();
            images.Add((image, width, height));
            from = image;
        }
        timings.ResizeMs += clock.Elapsed.TotalMilliseconds;
        return images;
    }

    /// <summary>WebP and progressive JPEG (on white where there is alpha), and AVIF when asked, of every image, encoded in parallel.</summary>
    private List<RenditionOutput> Encode(IReadOnlyList<(Image Image, int Width, int Height)> images, Stage timings)
    {
        var o = options.Value;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var formats = o.Avif ? new[] { "webp", "jpeg", "avif" } : ["webp", "jpeg"];
        var work = images.SelectMany(i => formats.Select(f => (i.Image, i.Width, i.Height, Format: f))).ToList();
        var outputs = new RenditionOutput[work.Count];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, n =>
        {
            var (image, width, height, format) = work[n];
            outputs[n] = format switch
            {
                "webp" => new RenditionOutput(width, height, "webp", "image/webp",
                    image.WebpsaveBuffer(q: o.WebpQuality, effort: 4, smartSubsample: true, keep: Enums.ForeignKeep.None)),
                "jpeg" => new RenditionOutput(width, height, "jpeg", "image/jpeg", Jpeg(image, o.JpegQuality)),
                _ => new RenditionOutput(width, height, "avif", "image/avif",
                    image.HeifsaveBuffer(q: o.AvifQuality, compression: Enums.ForeignHeifCompression.Av1, effort: 2, keep: Enums.ForeignKeep.None)),
            };
        });
        timings.EncodeMs += clock.Elapsed.TotalMilliseconds;
        return [.. outputs];
    }

    private static byte[] Jpeg(Image image, int quality)
    {
        using var opaque = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();
        return opaque.JpegsaveBuffer(q: quality, interlace: true, optimizeCoding: true, keep: Enums.ForeignKeep.None);
    }

    /// <summary>Width and height as displayed: EXIF orientations 5–8 swap them. Reads the header only.</summary>
    public static (int Width, int Height) OrientedSize(string path)
    {
        using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
        var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
        return orientation is >= 5 and <= 8 ? (header.Height, header.Width) : (header.Width, header.Height);
    }

    // At the source's own size the source itself serves: CopyMemory of an image already in memory is a new
    // reference to the same pixels, not a second copy of them (13 MB for a 2560-wide photo).
    internal static Image Sized(Image source, int width, int height) =>
        width == source.Width && height == source.Height
            ? source.CopyMemory()
            : source.Resize((double)width / source.Width, vscale: (double)height / source.Height, kernel: Enums.Kernel.Lanczos3);
}
