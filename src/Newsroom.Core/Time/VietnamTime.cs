namespace Newsroom.Time;

/// <summary>
/// Vietnam time (Asia/Ho_Chi_Minh): UTC+07:00 all year, with no daylight saving since 1975, so a fixed
/// offset is exact for every date the paper deals with. Storage keeps UTC; everything the API returns is
/// in Vietnam time, and a time an editor sends without an offset means Vietnam time, never the server's zone.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>The same instant, written with +07:00.</summary>
    public static DateTimeOffset ToVietnam(this DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The instant as a person reads it in a message: "2026-12-31 17:00 +07:00".</summary>
    public static string Display(this DateTimeOffset instant) =>
        instant.ToVietnam().ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time in Vietnam (no zone of its own) as an instant.</summary>
    public static DateTimeOffset FromWallClock(DateTime wallClock) =>
        new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), Offset);
}
