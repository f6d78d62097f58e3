using Microsoft.Extensions.Logging;

namespace Newsroom.Homepage;

internal static partial class HomepageLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Homepage snapshot v{Version} published (data as of {AsOf:o}, {Bytes} bytes)")]
    public static partial void Published(ILogger logger, long version, DateTimeOffset asOf, int bytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Homepage rebuild as of {AsOf:o} dropped: a rebuild with newer data ({CurrentAsOf:o}) published first")]
    public static partial void RebuildSuperseded(ILogger logger, DateTimeOffset asOf, DateTimeOffset currentAsOf);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Homepage rebuild requested at {RequestedAt:o} skipped: the snapshot is as of {AsOf:o}")]
    public static partial void RebuildCoalesced(ILogger logger, DateTimeOffset requestedAt, DateTimeOffset asOf);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Repaired the listings of {Count} article(s) left by interrupted writes")]
    public static partial void Repaired(ILogger logger, int count);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Homepage revalidation failed; serving the last good snapshot v{Version}")]
    public static partial void ServingStale(ILogger logger, Exception exception, long version);
}
