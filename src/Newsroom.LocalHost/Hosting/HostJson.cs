using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// The parts of host.json the local host honours, with the Functions host's defaults where host.json is
/// silent: the HTTP route prefix, the queue listener's settings and the function timeout.
/// </summary>
public sealed record HostJson(
    string RoutePrefix,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    int BatchSize,
    int NewBatchThreshold,
    QueueMessageEncoding MessageEncoding,
    TimeSpan FunctionTimeout)
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "host.json");

    public static HostJson Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        var extensions = root.TryGetProperty("extensions", out var e) ? e : default;
        var http = Section(extensions, "http");
        var queues = Section(extensions, "queues");
        var batchSize = Int(queues, "batchSize") ?? 16;
        return new HostJson(
            RoutePrefix: http?.TryGetProperty("routePrefix", out var p) == true ? p.GetString() ?? "api" : "api",
            MaxDequeueCount: Int(queues, "maxDequeueCount") ?? 5,
            VisibilityTimeout: Time(queues, "visibilityTimeout") ?? TimeSpan.Zero,
            MaxPollingInterval: Time(queues, "maxPollingInterval") ?? TimeSpan.FromMinutes(1),
            BatchSize: batchSize,
            // The extension's default: half a batch per processor.
            NewBatchThreshold: Int(queues, "newBatchThreshold") ?? batchSize / 2 * Environment.ProcessorCount,
            MessageEncoding: queues?.TryGetProperty("messageEncoding", out var m) == true && string.Equals(m.GetString(), "none", StringComparison.OrdinalIgnoreCase)
                ? QueueMessageEncoding.None
                : QueueMessageEncoding.Base64,
            FunctionTimeout: root.TryGetProperty("functionTimeout", out var t) && t.GetString() is { } timeout
                ? TimeSpan.Parse(timeout, CultureInfo.InvariantCulture)
                : TimeSpan.FromMinutes(30));
    }

    private static int? Int(JsonElement? section, string name) =>
        section?.TryGetProperty(name, out var v) == true ? v.GetInt32() : null;

    private static TimeSpan? Time(JsonElement? section, string name) =>
        section?.TryGetProperty(name, out var v) == true ? TimeSpan.Parse(v.GetString()!, CultureInfo.InvariantCulture) : null;

    private static JsonElement? Section(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var s) ? s : null;
}
