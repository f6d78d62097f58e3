using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Json;

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

        // Only an instance's first request waits for storage.
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            return await RevalidateAsync(cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
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
