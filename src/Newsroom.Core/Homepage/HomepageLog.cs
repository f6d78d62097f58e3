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

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Re-indexing article {ArticleId} failed (attempt {Attempt} of {MaxAttempts}); the rebuild goes on without it")]
    public static partial void RepairFailed(ILogger logger, Exception exception, string articleId, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Article {ArticleId} could not be re-indexed after {Attempts} attempts and was set aside (outbox partition 'setaside'); its listings may be out of step until it is saved again: {Reason}")]
    public static partial void RepairSetAside(ILogger logger, Exception exception, string articleId, int attempts, string reason);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Pinned article {ArticleId} could not be read; the homepage is built without it")]
    public static partial void PinnedUnreadable(ILogger logger, Exception exception, string articleId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Homepage unchanged; marked fresh as of {AsOf:o}")]
    public static partial void MarkedFresh(ILogger logger, DateTimeOffset asOf);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Re-indexed {Count} article(s) with the renditions of photos that turned ready after they were saved")]
    public static partial void PhotosAdded(ILogger logger, int count);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Homepage rebuild request ({Reason}, article {ArticleId}) could not be queued; the refresh timer rebuilds within its period")]
    public static partial void RebuildRequestLost(ILogger logger, string reason, string? articleId, Exception exception);
}
