using Microsoft.Extensions.Logging;

namespace Newsroom.Reading;

internal static partial class ReadingLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Loading {Key} failed; serving a stale copy: {HasStale}")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string key, bool hasStale);
}
