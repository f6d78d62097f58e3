using Azure;

namespace Newsroom.Storage;

/// <summary>Tells a failure of storage itself (unreachable, throttled, timed out) from one of the data.</summary>
public static class StorageFailures
{
    /// <summary>
    /// True when storage did not answer, or answered that it cannot serve now: no network answer (status 0),
    /// 408, 429 or 5xx after the SDK's retries, or a timeout. Such a failure says nothing about the data, so it
    /// must not count against it (an outbox entry, a photo) and a request answers 503, not 500.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException e => e.Status is 0 or 408 or 429 or >= 500,
        TimeoutException or OperationCanceledException or HttpRequestException or System.Net.Sockets.SocketException => true,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
