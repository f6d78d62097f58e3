using System.ComponentModel.DataAnnotations;

namespace Newsroom.Reading;

/// <summary>How the public read side caches and sizes what it serves.</summary>
public sealed class ReaderOptions
{
    public const string SectionName = "Reader";
    public const int MaxPageSize = 50;

    /// <summary>How long an instance keeps a rendered response in memory before it reads storage again.</summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 5;

    /// <summary>Cache-Control max-age for browsers and CDNs.</summary>
    [Range(0, 3600)]
    public int MaxAgeSeconds { get; set; } = 60;

    [Range(0, 86400)]
    public int StaleWhileRevalidateSeconds { get; set; } = 300;

    [Range(0, 604800)]
    public int StaleIfErrorSeconds { get; set; } = 86400;

    [Range(1, MaxPageSize)]
    public int DefaultPageSize { get; set; } = 20;

    [Range(0, 20)]
    public int SameEventCount { get; set; } = 5;

    [Range(0, 20)]
    public int OtherNewsCount { get; set; } = 6;
}
