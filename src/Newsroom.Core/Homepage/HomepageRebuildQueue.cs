using System.Text.Json;
using Microsoft.Extensions.Logging;
using Newsroom.Json;
using Newsroom.Storage;
using Newsroom.Telemetry;

namespace Newsroom.Homepage;

/// <summary>A request to rebuild the homepage, e.g. after a publish; "at" is when it was asked for.</summary>
public sealed record HomepageRebuildRequest(string Reason, string? ArticleId, DateTimeOffset At)
{
    /// <summary>The W3C traceparent of the change that asked for it, so the rebuild continues its trace.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }
}

/// <summary>Asks for a homepage rebuild through the homepage-rebuild queue (the HomepageRebuildRequested trigger).</summary>
public sealed class HomepageRebuildQueue(StorageClients storage, TimeProvider time, ILogger<HomepageRebuildQueue> log)
{
    /// <summary>
    /// Queues a rebuild now, or, for a scheduled article, one that becomes visible at its time. Asked for after
    /// a change is saved, so it never fails the request: if the queue cannot be reached, the HomepageRefresh
    /// timer rebuilds within its period anyway.
    /// </summary>
    public async Task RequestAsync(string reason, string? articleId, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(reason, articleId, notBefore, cancellationToken);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            HomepageLog.RebuildRequestLost(log, reason, articleId, e);
        }
    }

    private async Task SendAsync(string reason, string? articleId, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var delay = notBefore is { } at && at > now ? at - now : TimeSpan.Zero;
        // A queue message can be hidden for at most 7 days; the timer covers anything later.
        delay = delay > TimeSpan.FromDays(7) ? TimeSpan.FromDays(7) : delay;
        var request = new HomepageRebuildRequest(reason, articleId, notBefore is { } t && t > now ? t : now)
        {
            TraceParent = NewsroomTelemetry.CurrentTraceParent,
        };
        await storage.Queue(StorageNames.HomepageRebuildQueue).SendMessageAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(request, NewsroomJson.Stored)),
            visibilityTimeout: delay,
            timeToLive: TimeSpan.FromDays(8),
            cancellationToken: cancellationToken);
    }
}
