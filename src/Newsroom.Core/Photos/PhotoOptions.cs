using System.ComponentModel.DataAnnotations;

namespace Newsroom.Photos;

public sealed class PhotoOptions
{
    public const string SectionName = "Photos";

    /// <summary>Largest upload accepted, in bytes (413 above it).</summary>
    [Range(1024, 200L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 40L * 1024 * 1024;

    /// <summary>Largest image accepted, in pixels, decided from the header (422 above it).</summary>
    [Range(1, 1_000_000_000)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Rendition widths; none wider than the original is made.</summary>
    [MinLength(1)]
    public int[] Widths { get; set; } = [160, 320, 480, 640, 960, 1280, 1920, 2560];

    /// <summary>
    /// The usable set: a photo wider than its largest is usable (placed in an article, offered to readers with the
    /// renditions that exist) once these widths, in every format, the placeholder and the dominant colour are written;
    /// the other widths follow. A photo no wider is made in one stage.
    /// </summary>
    [MinLength(1)]
    public int[] UsableWidths { get; set; } = [320, 640, 1280];

    [Range(1, 100)] public int JpegQuality { get; set; } = 80;
    [Range(1, 100)] public int WebpQuality { get; set; } = 75;

    /// <summary>Also write AVIF (libheif with AV1 in NetVips.Native). Off by default: see bench/RESULTS.md for its cost.</summary>
    public bool Avif { get; set; }

    [Range(1, 100)] public int AvifQuality { get; set; } = 50;

    /// <summary>Where browsers fetch renditions, e.g. a CDN in front of the renditions container. Empty: the container's own URL.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Attempts before a photo is marked failed; keep equal to host.json's queues.maxDequeueCount.</summary>
    [Range(1, 20)] public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// A photo still processing this long after its job was (last) sent is looked at by the sweep: its job is
    /// sent again, or, after <see cref="MaxResends"/>, the photo fails. Longer than a job's retries take
    /// (maxDequeueCount × (visibilityTimeout + a resize)).
    /// </summary>
    [Range(1, 1440)] public int StuckAfterMinutes { get; set; } = 15;

    /// <summary>How many times the sweep sends a stuck photo's job again before it fails the photo.</summary>
    [Range(0, 10)] public int MaxResends { get; set; } = 1;

    /// <summary>Renditions made at once on an instance, whatever the queue's concurrency: bounds memory (see bench/RESULTS.md).</summary>
    [Range(1, 16)] public int MaxConcurrentResizes { get; set; } = 2;
}
