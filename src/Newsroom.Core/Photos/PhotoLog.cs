using Microsoft.Extensions.Logging;

namespace Newsroom.Photos;

internal static partial class PhotoLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Photo {PhotoId} ready: {Width}x{Height}, {Count} renditions")]
    public static partial void Ready(ILogger logger, string photoId, int width, int height, int count);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Photo {PhotoId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string photoId, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Resize job for photo {PhotoId} skipped: it is {Status} already")]
    public static partial void AlreadyDone(ILogger logger, string photoId, PhotoStatus status);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Resize job for unknown photo {PhotoId} dropped")]
    public static partial void JobForMissingPhoto(ILogger logger, string photoId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Photo {PhotoId} was made ready by another delivery of its job")]
    public static partial void RacedToReady(ILogger logger, string photoId);
}
