using System.Text.Json;

namespace Newsroom.LocalHost.Hosting;

/// <summary>The parts of host.json the local host honours: the HTTP route prefix and the queue retry settings.</summary>
public sealed record HostJson(string RoutePrefix, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, int BatchSize)
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "host.json");

    public static HostJson Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var extensions = document.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        var http = Section(extensions, "http");
        var queues = Section(extensions, "queues");
        return new HostJson(
            RoutePrefix: http?.TryGetProperty("routePrefix", out var p) == true ? p.GetString() ?? "api" : "api",
            MaxDequeueCount: queues?.TryGetProperty("maxDequeueCount", out var m) == true ? m.GetInt32() : 5,
            VisibilityTimeout: queues?.TryGetProperty("visibilityTimeout", out var v) == true ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Zero,
            MaxPollingInterval: queues?.TryGetProperty("maxPollingInterval", out var i) == true ? TimeSpan.Parse(i.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.FromMinutes(1),
            BatchSize: queues?.TryGetProperty("batchSize", out var b) == true ? b.GetInt32() : 16);
    }

    private static JsonElement? Section(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var s) ? s : null;
}
