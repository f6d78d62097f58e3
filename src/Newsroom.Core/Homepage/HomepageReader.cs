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
    private Held? _held;

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

        // Only an instance's first request waits for storage, and no longer than a reader's deadline.
        return await StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds), async token =>
        {
            await _refresh.WaitAsync(token);
            try
            {
                return await RevalidateAsync(token);
            }
            finally
            {
                _refresh.Release();
            }
        }, cancellationToken);
    }

    public void Dispose() => _refresh.Dispose();

    private async Task<JsonPayload> RevalidateAsync(CancellationToken cancellationToken)
    {
        var held = _held;
        var now = time.GetUtcNow();
        if (held is not null && now - held.CheckedAt < TimeSpan.FromSeconds(options.Value.RevalidateSeconds))
        {
            return held.Payload;
        }
        try
        {
            var fresh = await store.GetSnapshotIfChangedAsync(held?.ETag, cancellationToken);
            if (fresh is null && held is null)
            {
                // No homepage yet (a new deployment): build the first one now.
                await publisher.RebuildAsync(cancellationToken);
                fresh = await store.GetSnapshotAsync(cancellationToken)
                    ?? throw new InvalidOperationException("The homepage snapshot is missing right after a rebuild.");
            }
            _held = fresh is not null && (held is null || fresh.Version > held.Version)
                ? new Held(JsonPayload.FromBytes(fresh.Body), fresh.Version, fresh.ETag, now)
                : fresh is not null && fresh.Version == held!.Version
                    // The same snapshot with new metadata (a rebuild found nothing changed): remember its ETag.
                    ? held with { ETag = fresh.ETag, CheckedAt = now }
                    : held! with { CheckedAt = now };
        }
        catch (Exception e) when (held is not null)
        {
            HomepageLog.ServingStale(log, e, held.Version);
            _held = held with { CheckedAt = now };
        }
        return _held!.Payload;
    }
}
