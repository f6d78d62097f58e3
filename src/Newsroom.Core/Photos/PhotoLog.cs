using Microsoft.Extensions.Logging;

namespace Newsroom.Photos;

internal static partial class PhotoLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Photo {PhotoId} ready: {Width}x{Height}, {Count} renditions, {SinceUploadMs} ms after upload (queued {QueuedMs} ms; download {DownloadMs} ms, decode {DecodeMs} ms, resize {ResizeMs} ms, encode {EncodeMs} ms)")]
    public static partial void Ready(ILogger logger, string photoId, int width, int height, int count, double sinceUploadMs, double queuedMs, double downloadMs, double decodeMs, double resizeMs, double encodeMs);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Photo {PhotoId} usable: {Count} renditions, {SinceUploadMs} ms after upload (queued {QueuedMs} ms; download {DownloadMs} ms, decode {DecodeMs} ms, resize {ResizeMs} ms, encode {EncodeMs} ms)")]
    public static partial void Usable(ILogger logger, string photoId, int count, double sinceUploadMs, double queuedMs, double downloadMs, double decodeMs, double resizeMs, double encodeMs);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Photo {PhotoId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string photoId, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Resize job for photo {PhotoId} skipped: it is {Status} already")]
    public static partial void AlreadyDone(ILogger logger, string photoId, PhotoStatus status);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Resize job for unknown photo {PhotoId} dropped")]
    public static partial void JobForMissingPhoto(ILogger logger, string photoId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Photo {PhotoId} was made ready by another delivery of its job")]
    public static partial void RacedToReady(ILogger logger, string photoId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Photo {PhotoId} still processing {Minutes} min after its job was sent: job sent again (resend {Resend} of {MaxResends})")]
    public static partial void JobResent(ILogger logger, string photoId, int minutes, int resend, int maxResends);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Photo {PhotoId} was never stored (an upload interrupted before its record was written): original {OriginalBlob} removed")]
    public static partial void OrphanRemoved(ILogger logger, string photoId, string originalBlob);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Error, Message = "Resize job for photo {PhotoId} reached the poison queue: the photo is marked failed")]
    public static partial void JobPoisoned(ILogger logger, string photoId);
}
