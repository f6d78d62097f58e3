using System.ComponentModel.DataAnnotations;

namespace Newsroom.Reading;

/// <summary>How the public read side caches and sizes what it serves.</summary>
public sealed class ReaderOptions
{
    public const string SectionName = "Reader";
    public const int MaxPageSize = 50;

    /// <summary>How long an instance serves a rendered response from memory before it revalidates it with storage.</summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 5;

    /// <summary>
    /// How long an instance reuses what many responses are built from (the taxonomy, the listing heads behind
    /// article pages' related lists) before it revalidates it. Apart from <see cref="CacheSeconds"/>, so that
    /// rendered responses can be kept briefly (or not at all) while a miss still costs only its own reads.
    /// </summary>
    [Range(0, 300)]
    public int SharedCacheSeconds { get; set; } = 5;

    /// <summary>Cache-Control max-age for browsers and CDNs.</summary>
    [Range(0, 3600)]
    public int MaxAgeSeconds { get; set; } = 60;

    [Range(0, 86400)]
    public int StaleWhileRevalidateSeconds { get; set; } = 300;

    [Range(0, 604800)]
    public int StaleIfErrorSeconds { get; set; } = 86400;

    /// <summary>How long a request that has a stale copy waits for its revalidation before it is served the stale copy.</summary>
    [Range(0, 10_000)]
    public int StaleWaitMilliseconds { get; set; } = 500;

    /// <summary>Memory for rendered responses and their stale copies, per instance.</summary>
    [Range(1, 4096)]
    public int CacheMegabytes { get; set; } = 128;

    [Range(1, MaxPageSize)]
    public int DefaultPageSize { get; set; } = 20;

    [Range(0, 20)]
    public int SameEventCount { get; set; } = 5;

    [Range(0, 20)]
    public int OtherNewsCount { get; set; } = 6;
}
