using System.Globalization;

namespace Newsroom.Listings;

/// <summary>
/// Names of listing partitions and the inverted-time row keys that keep each partition newest first.
/// Row key = (DateTimeOffset.MaxValue.UtcTicks − publishedAt.UtcTicks) as 19 digits, "_", article id: an
/// ascending range scan reads newest first, and "RowKey ≥ key(now)" leaves out what is scheduled for later,
/// so a scheduled article appears on time with no job having to run.
/// </summary>
public static class ListingKey
{
    public const string All = "all";

    /// <summary>Articles with a video block, for the homepage's featured clips ("Video Clip nổi bật").</summary>
    public const string Videos = "videos";

    public static string Category(string slug) => "category:" + slug;

    public static string Event(string slug) => "event:" + slug;

    public static string Column(string key) => "column:" + key;

    public static string RowKey(DateTimeOffset publishedAt, string articleId) => TimePrefix(publishedAt) + "_" + articleId;

    /// <summary>The smallest row key an article published at or before <paramref name="now"/> can have.</summary>
    public static string VisibleFrom(DateTimeOffset now) => TimePrefix(now);

    private static string TimePrefix(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
