using Microsoft.Extensions.Logging;

namespace Newsroom.Publishing;

internal static partial class PublishingLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Article {ArticleId} was saved but its indexes could not be brought up to date now; the outbox keeps it marked and the next homepage rebuild finishes them")]
    public static partial void IndexingDeferred(ILogger logger, string articleId, Exception exception);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Scheduled article {ArticleId} could not be marked published on the desk this pass (readers see it anyway); the next pass tries again")]
    public static partial void PromotionFailed(ILogger logger, string articleId, Exception exception);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Index backfill: {Count} articles stored before the desk existed re-indexed (done: {Done})")]
    public static partial void Backfilled(ILogger logger, int count, bool done);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Article {ArticleId} was saved but no edge purge could be asked for; the edge serves its old copy until max-age passes")]
    public static partial void EdgePurgeNotRequested(ILogger logger, string articleId, Exception exception);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Article {ArticleId} could not be recorded as expired this pass (readers no longer see it); the next pass tries again")]
    public static partial void ExpiryFailed(ILogger logger, string articleId, Exception exception);
}
