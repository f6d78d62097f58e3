using Microsoft.Extensions.Logging;

namespace Newsroom.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Storage tables, containers and queues ensured")]
    public static partial void Provisioned(ILogger logger);
}
