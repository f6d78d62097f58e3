using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Newsroom.Telemetry;

/// <summary>
/// The names of the custom metrics, as the alerts in infra/ query them (infra/telemetry-names.json lists the
/// same names; a test holds the two together).
/// </summary>
public static class MetricNames
{
    public const string RebuildDuration = "newsroom.homepage.rebuild.duration";
    public const string RebuildFailures = "newsroom.homepage.rebuild.failures";
    public const string SnapshotAge = "newsroom.homepage.snapshot.age";
    public const string PhotoPipelineDuration = "newsroom.photos.pipeline.duration";
    public const string PhotoUsableDuration = "newsroom.photos.usable.duration";
    public const string PoisonMessages = "newsroom.queue.poison.messages";
    public const string Poisoned = "newsroom.queue.poisoned";
}

/// <summary>
/// Newsroom's own traces and metrics, on the .NET APIs that OpenTelemetry listens to (the Functions app exports
/// them to Azure Monitor; nothing is recorded when nobody listens). A trace follows work across a queue: the
/// sender puts the W3C traceparent of its activity into the message, and the receiver continues it.
/// </summary>
public static class NewsroomTelemetry
{
    public const string Name = "Newsroom";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> RebuildDuration = Meter.CreateHistogram<double>(
        MetricNames.RebuildDuration, "ms", "How long a homepage rebuild took, repair of the index outbox included.");

    public static readonly Counter<long> RebuildFailures = Meter.CreateCounter<long>(
        MetricNames.RebuildFailures, "{rebuild}", "Homepage rebuilds that failed (the next one tries again).");

    public static readonly Gauge<double> SnapshotAge = Meter.CreateGauge<double>(
        MetricNames.SnapshotAge, "s", "Age of the published homepage snapshot: time since the data it shows was read.");

    public static readonly Histogram<double> PhotoUsableDuration = Meter.CreateHistogram<double>(
        MetricNames.PhotoUsableDuration, "ms", "From upload to the photo's usable set written (what an editor waits for to place it).");

    public static readonly Histogram<double> PhotoPipelineDuration = Meter.CreateHistogram<double>(
        MetricNames.PhotoPipelineDuration, "ms", "From a photo's upload to its renditions being ready, queue wait included.");

    public static readonly Gauge<long> PoisonMessages = Meter.CreateGauge<long>(
        MetricNames.PoisonMessages, "{message}", "Messages in a poison queue: work that failed every retry.");

    public static readonly Counter<long> Poisoned = Meter.CreateCounter<long>(
        MetricNames.Poisoned, "{message}", "Messages that failed every retry and that a poison-queue handler took (so no queue length shows them).");

    /// <summary>The W3C traceparent of the current activity, for a queue message; null when nothing is traced.</summary>
    public static string? CurrentTraceParent =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts an activity that continues the trace a queue message carries (or a new one).</summary>
    public static Activity? StartFromMessage(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Consumer, parent)
            : Source.StartActivity(name, ActivityKind.Consumer);
}
