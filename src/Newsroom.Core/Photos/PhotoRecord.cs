using System.Text.Json.Serialization;

namespace Newsroom.Photos;

public enum PhotoStatus
{
    Processing,
    Ready,
    Failed,
}

/// <summary>One web rendition: its size, format and public URL.</summary>
public sealed record Rendition(int Width, int Height, string Format, string Url)
{
    /// <summary>Size of the file in bytes (feeds' enclosures need it); null for renditions made before it was kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? Bytes { get; init; }
}

/// <summary>A photo as editors and readers see it: its words, its size and its renditions once ready.</summary>
public sealed record PhotoRecord
{
    public required string Id { get; init; }
    public PhotoStatus Status { get; init; } = PhotoStatus.Processing;

    /// <summary>
    /// Its usable set is written (Photos:UsableWidths in every format, the placeholder, the dominant colour): it can be
    /// placed and shown, with the <see cref="Renditions"/> that exist, while the larger widths are still being made.
    /// </summary>
    public bool Usable { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public string? Caption { get; init; }
    public string? Credit { get; init; }
    public string? Alt { get; init; }
    public IReadOnlyList<Rendition> Renditions { get; init; } = [];
    /// <summary>A tiny WebP as a data: URI, to show while the real image loads.</summary>
    public string? Placeholder { get; init; }
    /// <summary>"#rrggbb".</summary>
    public string? DominantColor { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who uploaded it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Identity.DeskActor? UploadedBy { get; init; }

    /// <summary>What readers get: the photo without who on the staff uploaded it (the desk's library shows that).</summary>
    public PhotoRecord ForReaders() => this with { UploadedBy = null };

    /// <summary>Private: where the original is, and the hash of its bytes.</summary>
    [JsonIgnore]
    public string? OriginalBlob { get; init; }

    [JsonIgnore]
    public string? ContentHash { get; init; }
}
