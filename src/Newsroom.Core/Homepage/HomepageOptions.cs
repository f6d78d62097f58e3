using System.ComponentModel.DataAnnotations;

namespace Newsroom.Homepage;

/// <summary>The homepage's shape and how instances serve it.</summary>
public sealed class HomepageOptions
{
    public const string SectionName = "Homepage";

    /// <summary>The app setting the HomepageRefresh timer reads its NCRONTAB schedule from.</summary>
    public const string ScheduleSetting = "HomepageRefreshSchedule";

    [Range(1, 20)] public int TopStories { get; set; } = 5;
    [Range(1, 50)] public int Latest { get; set; } = 10;
    [Range(1, 20)] public int SectionSize { get; set; } = 4;
    [Range(0, 10)] public int EventsInFocus { get; set; } = 3;
    [Range(1, 10)] public int EventItems { get; set; } = 3;
    [Range(0, 20)] public int FeaturedVideos { get; set; } = 4;
    [Range(0, 20)] public int MaxPinned { get; set; } = 10;

    /// <summary>Rows kept per listing in the heads table, newest first: more than a rebuild ever reads.</summary>
    [Range(50, 5000)] public int HeadSize { get; set; } = 200;

    /// <summary>How often an instance revalidates its in-memory snapshot against storage (a conditional GET).</summary>
    [Range(1, 300)] public int RevalidateSeconds { get; set; } = 5;

    [Range(0, 3600)] public int MaxAgeSeconds { get; set; } = 30;
    [Range(0, 86400)] public int StaleWhileRevalidateSeconds { get; set; } = 60;
    [Range(0, 604800)] public int StaleIfErrorSeconds { get; set; } = 600;

    /// <summary>Outbox entries older than this are repaired by the rebuild (younger ones belong to writes in flight).</summary>
    [Range(1, 3600)] public int RepairGraceSeconds { get; set; } = 60;

    /// <summary>Repair passes an outbox entry may fail before it is set aside (and an error logged for an alert).</summary>
    [Range(1, 100)] public int MaxRepairAttempts { get; set; } = 5;

    /// <summary>How many of the newest articles the rebuild looks at to find the running stories that are active.</summary>
    [Range(10, 1000)] public int ActiveEventWindow { get; set; } = 100;
}
