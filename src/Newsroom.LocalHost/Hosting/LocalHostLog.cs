namespace Newsroom.LocalHost.Hosting;

internal static partial class LocalHostLog
{
    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Timer {Function} scheduled by '{Schedule}', next at {Next:o}")]
    public static partial void TimerScheduled(ILogger logger, string function, string schedule, DateTimeOffset next);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Queue message {MessageId} of {Queue} failed on attempt {DequeueCount} of {MaxDequeueCount}")]
    public static partial void QueueMessageFailed(ILogger logger, Exception exception, string messageId, string queue, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Queue message {MessageId} of {Queue} moved to {PoisonQueue} after {DequeueCount} attempts")]
    public static partial void QueueMessagePoisoned(ILogger logger, string messageId, string queue, string poisonQueue, long dequeueCount);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Azurite started: blob {BlobPort}, queue {QueuePort}, table {TablePort}, data in {Location}")]
    public static partial void AzuriteStarted(ILogger logger, int blobPort, int queuePort, int tablePort, string location);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Local host serving {Count} functions under /{RoutePrefix}: {Functions}")]
    public static partial void FunctionsLoaded(ILogger logger, int count, string routePrefix, string functions);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Demo data: {Categories} categories, {Events} events, {Created} articles created, {Existing} already there")]
    public static partial void DemoSeeded(ILogger logger, int categories, int events, int created, int existing);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Timer {Function} failed: {Error}")]
    public static partial void TimerFailed(ILogger logger, string function, string error);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; backing off")]
    public static partial void QueuePollFailed(ILogger logger, Exception exception, string queue);
}
