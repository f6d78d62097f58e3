using Microsoft.Extensions.Logging;
using Newsroom.Homepage;
using Newsroom.Storage;

namespace Newsroom.Telemetry;

/// <summary>
/// Samples what the alerts watch and no request shows: how old the homepage snapshot is, and how many
/// messages lie in each poison queue. The HomepageRefresh timer runs it once a period, after its rebuild,
/// so the age is measured even when rebuilds fail (and a missing sample is itself a sign).
/// </summary>
public sealed class HealthSampler(HomepageStore homepage, StorageClients storage, TimeProvider time, ILogger<HealthSampler> log)
{
    public static IReadOnlyList<string> PoisonQueues { get; } =
        [.. StorageNames.AllQueues.Where(q => q.EndsWith(StorageNames.PoisonSuffix, StringComparison.Ordinal))];

    public async Task<HealthSample> SampleAsync(CancellationToken cancellationToken)
    {
        double? age = null;
        var poison = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            if (await homepage.GetSnapshotInfoAsync(cancellationToken) is { } snapshot)
            {
                age = Math.Max(0, (time.GetUtcNow() - snapshot.AsOf).TotalSeconds);
                NewsroomTelemetry.SnapshotAge.Record(age.Value);
            }
            foreach (var queue in PoisonQueues)
            {
                var properties = await storage.Queue(queue).GetPropertiesAsync(cancellationToken);
                poison[queue] = properties.Value.ApproximateMessagesCount;
                NewsroomTelemetry.PoisonMessages.Record(poison[queue], new KeyValuePair<string, object?>("queue", queue));
            }
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e) || e is Azure.RequestFailedException)
        {
            TelemetryLog.SampleFailed(log, e);
        }
        return new HealthSample(age, poison);
    }
}

/// <summary>What one sample saw: the snapshot's age in seconds (none yet: null) and each poison queue's length.</summary>
public sealed record HealthSample(double? SnapshotAgeSeconds, IReadOnlyDictionary<string, long> PoisonMessages);

internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Health sample incomplete: storage did not answer")]
    public static partial void SampleFailed(ILogger logger, Exception exception);
}
