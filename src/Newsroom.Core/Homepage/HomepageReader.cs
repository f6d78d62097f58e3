using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Homepage;

/// <summary>
/// Serves the homepage from memory. Every few seconds a background task revalidates the snapshot with a
/// conditional GET (a 304 costs no body), while every request keeps getting the copy in hand; a snapshot
/// with a lower version than the one held is never taken, and if storage fails the last good snapshot
/// keeps being served. Only the very first request of an instance waits for storage.
/// </summary>
public sealed class HomepageReader(
    HomepageStore store,
    HomepagePublisher publisher,
    IOptions<HomepageOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<HomepageReader> log) : IDisposable
{
    private sealed record Held(JsonPayload Payload, long Version, ETag ETag, DateTimeOffset CheckedAt);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Held? _held;

    public async Task<JsonPayload> GetAsync(CancellationToken cancellationToken)
    {
        var held = _held;
        if (held is not null)
        {
            // Stale-while-revalidate: the copy in hand is served at once; one background task revalidates.
            if (time.GetUtcNow() - held.CheckedAt >= TimeSpan.FromSeconds(options.Value.RevalidateSeconds) && _refresh.Wait(0, CancellationToken.None))
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await RevalidateAsync(CancellationToken.None);
                    }
                    finally
                    {
                        _refresh.Release();
                    }
                }, CancellationToken.None);
            }
            return held.Payload;
        }

        return await LoadFirstAsync(cancellationToken);
    }

    /// <summary>
    /// An instance's first request: the only one that waits for storage. Reading the snapshot gets a reader's
    /// deadline (503 if storage does not answer); on a new deployment with no homepage yet, the first rebuild
    /// then takes what it takes, since storage has just answered.
    /// </summary>
    private async Task<JsonPayload> LoadFirstAsync(CancellationToken cancellationToken)
    {
        var deadline = TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds);
        if (!await _refresh.WaitAsync(deadline, cancellationToken))
        {
            throw new ServiceUnavailableException($"The homepage is still being loaded after {deadline.TotalSeconds:0} s.");
        }
        try
        {
            if (_held is { } loaded)
            {
                return loaded.Payload;
            }
            var snapshot = await StorageDeadline.RunAsync(deadline, store.GetSnapshotAsync, cancellationToken);
            if (snapshot is null)
            {
                await publisher.RebuildAsync(cancellationToken);
                snapshot = await store.GetSnapshotAsync(cancellationToken)
                    ?? throw new InvalidOperationException("The homepage snapshot is missing right after a rebuild.");
            }
            var held = new Held(JsonPayload.FromBytes(snapshot.Body), snapshot.Version, snapshot.ETag, time.GetUtcNow());
            _held = held;
            return held.Payload;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>Revalidates the copy in hand with a conditional GET; on failure the copy in hand stays.</summary>
    private async Task RevalidateAsync(CancellationToken cancellationToken)
    {
        var held = _held!;
        var now = time.GetUtcNow();
        if (now - held.CheckedAt < TimeSpan.FromSeconds(options.Value.RevalidateSeconds))
        {
            return;
        }
        try
        {
            var fresh = await store.GetSnapshotIfChangedAsync(held.ETag, cancellationToken);
            _held = fresh is not null && fresh.Version > held.Version
                ? new Held(JsonPayload.FromBytes(fresh.Body), fresh.Version, fresh.ETag, now)
                : fresh is not null && fresh.Version == held.Version
                    // The same snapshot with new metadata (a rebuild found nothing changed): remember its ETag.
                    ? held with { ETag = fresh.ETag, CheckedAt = now }
                    : held! with { CheckedAt = now };
        }
        catch (Exception e)
        {
            HomepageLog.ServingStale(log, e, held.Version);
            _held = held with { CheckedAt = now };
        }
    }
}
