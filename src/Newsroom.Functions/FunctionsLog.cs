using Microsoft.Extensions.Logging;

namespace Newsroom.Functions;

public static partial class FunctionsLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Function} refused the request ({Kind}): {Detail}")]
    public static partial void RequestRefused(ILogger logger, string function, string kind, string detail);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "{Function} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "{Function} stopped: the request was cancelled before the answer was ready")]
    public static partial void RequestAbandoned(ILogger logger, string function);
}
