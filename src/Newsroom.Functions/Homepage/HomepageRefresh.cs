using Microsoft.Azure.Functions.Worker;
using Newsroom.Homepage;
using Newsroom.Storage;
using Newsroom.Telemetry;

namespace Newsroom.Functions.Homepage;

/// <summary>
/// Rebuilds the homepage on a timer (which also repairs interrupted writes and lets scheduled articles
/// go live with no reader request) and right after publishing, through the homepage-rebuild queue. A burst
/// of publish messages coalesces: a message older than the snapshot is already covered.
/// </summary>
public sealed class HomepageRefresh(HomepagePublisher publisher, HealthSampler health)
{
    /// <summary>Rebuilds, then samples what the alerts watch (snapshot age, poison queues), even when the rebuild failed.</summary>
    [Function(nameof(HomepageRefresh))]
    public async Task Run([TimerTrigger("%" + HomepageOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.RebuildAsync(cancellationToken);
        }
        finally
        {
            await health.SampleAsync(cancellationToken);
        }
    }

    [Function(nameof(HomepageRebuildRequested))]
    public Task HomepageRebuildRequested(
        [QueueTrigger(StorageNames.HomepageRebuildQueue, Connection = StorageOptions.SectionName)] HomepageRebuildRequest request,
        CancellationToken cancellationToken) =>
        publisher.RebuildIfOlderThanAsync(request.At, cancellationToken, request.TraceParent);
}
