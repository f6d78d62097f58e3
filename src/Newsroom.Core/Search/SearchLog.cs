using Microsoft.Extensions.Logging;

namespace Newsroom.Search;

internal static partial class SearchLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Information, Message = "Search index opened at {Location} with {Documents} documents")]
    public static partial void IndexOpened(ILogger logger, string location, int documents);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Debug, Message = "Indexed {Count} documents ({Unchanged} more already indexed as they are)")]
    public static partial void Upserted(ILogger logger, int count, int unchanged);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Debug, Message = "Removed {Count} documents from the search index")]
    public static partial void Deleted(ILogger logger, int count);

    [LoggerMessage(EventId = 11005, Level = LogLevel.Information, Message = "Search index {IndexName} created or updated")]
    public static partial void IndexEnsured(ILogger logger, string indexName);

    [LoggerMessage(EventId = 11006, Level = LogLevel.Debug, Message = "Search for {Terms} terms found {Total} articles in {ElapsedMs} ms")]
    public static partial void Searched(ILogger logger, int terms, long total, double elapsedMs);

    [LoggerMessage(EventId = 11008, Level = LogLevel.Information, Message = "Search index merged into one segment in {ElapsedMs} ms")]
    public static partial void Compacted(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 11007, Level = LogLevel.Information, Message = "Search index rebuilt from the tables: {Articles} articles, {Others} other documents")]
    public static partial void Rebuilt(ILogger logger, int articles, int others);
}
