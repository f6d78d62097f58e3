namespace Newsroom.Storage;

/// <summary>
/// Bounds the storage work of one request: past the deadline, or when storage answers that it cannot
/// serve, the caller gets a <see cref="ServiceUnavailableException"/> (503 with Retry-After) within seconds
/// instead of waiting out the SDK's retries. The work is cancelled, not abandoned, so a write stops where a
/// crash would have stopped it, and its crash-safe ordering leaves nothing half-written visible.
/// </summary>
public static class StorageDeadline
{
    public static async Task<T> RunAsync<T>(TimeSpan deadline, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            return await work(timeout.Token);
        }
        catch (Exception e) when (e is not NewsroomException && !cancellationToken.IsCancellationRequested
            && (timeout.IsCancellationRequested || StorageFailures.IsUnavailable(e)))
        {
            throw new ServiceUnavailableException(timeout.IsCancellationRequested
                ? $"Storage did not answer within {deadline.TotalSeconds:0} s."
                : "Storage cannot be reached right now.", e);
        }
    }
}
