using Microsoft.Extensions.Options;
using NetVips;

namespace Newsroom.Photos;

public sealed record RenditionOutput(int Width, int Height, string Format, string ContentType, byte[] Bytes);

public sealed record PipelineResult(int Width, int Height, IReadOnlyList<RenditionOutput> Renditions, string Placeholder, string DominantColor);

/// <summary>
/// The image work, with libvips: one decode (shrink-on-load straight to the largest width needed, EXIF
/// orientation applied, converted to sRGB) held in memory, and every rendition resized from it. Outputs
/// carry no metadata at all: no EXIF (so no GPS), no XMP, no IPTC, no ICC (sRGB is the web's default).
/// </summary>
public sealed class RenditionPipeline(IOptions<PhotoOptions> options) : IDisposable
{
    // However many jobs the queue listener runs at once (batchSize + newBatchThreshold), at most
    // MaxConcurrentResizes images are decoded at a time, so an instance's memory stays bounded.
    private readonly SemaphoreSlim _gate = new(options.Value.MaxConcurrentResizes, options.Value.MaxConcurrentResizes);

    /// <summary>Runs the pipeline off the request thread, once a resize slot is free.</summary>
    public async Task<PipelineResult> RunAsync(string path, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Run(path), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

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

    public PipelineResult Run(string path)
    {
        var o = options.Value;
        var (orientedWidth, _) = OrientedSize(path);
        var widths = PlanWidths(orientedWidth, o.Widths);

        // Decode once, at the largest size needed. thumbnail applies the EXIF orientation and imports any
        // embedded ICC profile to sRGB; fail on truncated or corrupt data instead of serving grey bands.
        using var loaded = Image.Thumbnail(path, widths[^1], height: 10_000_000, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        using var srgb = loaded.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw or Enums.Interpretation.Grey16
            ? loaded.Copy()
            : loaded.Colourspace(Enums.Interpretation.Srgb);
        using var decoded = srgb.CopyMemory();
        using var opaque = decoded.HasAlpha() ? decoded.Flatten(background: [255, 255, 255]) : decoded.Copy();

        var outputs = new List<RenditionOutput>();
        foreach (var width in widths.Reverse())
        {
            var height = HeightFor(width, decoded.Width, decoded.Height);
            using var sized = Sized(decoded, width, height);
            using var sizedOpaque = decoded.HasAlpha() ? Sized(opaque, width, height) : sized.Copy();
            outputs.Add(new RenditionOutput(width, height, "webp", "image/webp",
                sized.WebpsaveBuffer(q: o.WebpQuality, effort: 4, smartSubsample: true, keep: Enums.ForeignKeep.None)));
            outputs.Add(new RenditionOutput(width, height, "jpeg", "image/jpeg",
                sizedOpaque.JpegsaveBuffer(q: o.JpegQuality, interlace: true, optimizeCoding: true, keep: Enums.ForeignKeep.None)));
            if (o.Avif)
            {
                outputs.Add(new RenditionOutput(width, height, "avif", "image/avif",
                    sized.HeifsaveBuffer(q: o.AvifQuality, compression: Enums.ForeignHeifCompression.Av1, effort: 2, keep: Enums.ForeignKeep.None)));
            }
        }

        using var tiny = decoded.ThumbnailImage(16, height: 16);
        var placeholder = "data:image/webp;base64," + Convert.ToBase64String(tiny.WebpsaveBuffer(q: 40, keep: Enums.ForeignKeep.None));
        using var average = opaque.ThumbnailImage(1, height: 1, size: Enums.Size.Force);
        var pixel = average.Getpoint(0, 0);
        var color = pixel.Length >= 3
            ? $"#{(byte)pixel[0]:x2}{(byte)pixel[1]:x2}{(byte)pixel[2]:x2}"
            : $"#{(byte)pixel[0]:x2}{(byte)pixel[0]:x2}{(byte)pixel[0]:x2}";

        return new PipelineResult(decoded.Width, decoded.Height, [.. outputs.OrderBy(r => r.Width).ThenBy(r => r.Format, StringComparer.Ordinal)], placeholder, color);
    }

    /// <summary>Width and height as displayed: EXIF orientations 5–8 swap them. Reads the header only.</summary>
    public static (int Width, int Height) OrientedSize(string path)
    {
        using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
        var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
        return orientation is >= 5 and <= 8 ? (header.Height, header.Width) : (header.Width, header.Height);
    }

    private static Image Sized(Image source, int width, int height) =>
        width == source.Width && height == source.Height
            ? source.Copy()
            : source.Resize((double)width / source.Width, vscale: (double)height / source.Height, kernel: Enums.Kernel.Lanczos3);
}
