using System.Text.Json;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Storage;
using Newsroom.Telemetry;

namespace Newsroom.Edge;

/// <summary>Paths to purge from the edge, and why; carried by the edge-purge queue.</summary>
public sealed record EdgePurgeRequest(IReadOnlyList<string> Paths, string Reason)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public static EdgePurgeRequest FromMessage(BinaryData body) =>
        JsonSerializer.Deserialize<EdgePurgeRequest>(body.ToMemory().Span, NewsroomJson.Stored) is { Paths: { Count: > 0 } paths } request
            && paths.All(p => p.StartsWith('/'))
            ? request
            : throw new InvalidDataException("The edge purge message names no paths.");
}

/// <summary>
/// Takes content down at the edge after a change. A save asks for it through the edge-purge queue (so the
/// editor does not wait for Azure Resource Manager, and a failed purge is retried by the queue and, failing
/// every retry, lands in the poison queue that an alert watches); the EdgePurge function does it. With no
/// edge configured (locally) the purge is logged and nothing else.
/// </summary>
public sealed class EdgePurger
{
    private readonly StorageClients _storage;
    private readonly FrontDoorPurgeClient? _frontDoor;
    private readonly ILogger<EdgePurger> _log;
    private readonly TimeSpan _delay;

    public EdgePurger(StorageClients storage, IOptions<EdgeOptions> options, IOptions<Reading.ReaderOptions> reader, ILogger<EdgePurger> log)
        : this(storage, options.Value.Enabled ? new FrontDoorPurgeClient(options.Value, Credential(options.Value)) : null, TimeSpan.FromSeconds(reader.Value.CacheSeconds + reader.Value.SharedCacheSeconds + 1), log)
    {
    }

    internal EdgePurger(StorageClients storage, FrontDoorPurgeClient? frontDoor, TimeSpan delay, ILogger<EdgePurger> log)
    {
        _storage = storage;
        _frontDoor = frontDoor;
        _delay = delay;
        _log = log;
    }

    /// <summary>Queues a purge. Asked for after a change is saved, so it never fails the request; a lost one is logged.</summary>
    public async Task RequestAsync(IReadOnlyList<string> paths, string reason, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return;
        }
        try
        {
            var request = new EdgePurgeRequest(paths, reason) { TraceParent = NewsroomTelemetry.CurrentTraceParent };
            // Visible only once every instance's in-memory copy has expired, so the edge refills with the new state.
            await _storage.Queue(StorageNames.EdgePurgeQueue).SendMessageAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(request, NewsroomJson.Stored)),
                visibilityTimeout: _delay,
                timeToLive: TimeSpan.FromDays(1),
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e) || e is Azure.RequestFailedException)
        {
            // Whatever storage answers, the change itself is saved: a lost purge costs freshness, not the request.
            EdgeLog.PurgeRequestLost(_log, reason, string.Join(' ', paths), e);
        }
    }

    /// <summary>Purges the paths of one request (the EdgePurge queue trigger); throws so the queue retries.</summary>
    public async Task PurgeAsync(EdgePurgeRequest request, CancellationToken cancellationToken)
    {
        using var activity = NewsroomTelemetry.StartFromMessage("edge.purge", request.TraceParent);
        activity?.SetTag("newsroom.edge.paths", request.Paths.Count);
        if (_frontDoor is null)
        {
            EdgeLog.PurgeSkipped(_log, request.Reason, string.Join(' ', request.Paths));
            return;
        }
        await _frontDoor.PurgeAsync(request.Paths, cancellationToken);
        EdgeLog.Purged(_log, request.Reason, string.Join(' ', request.Paths));
    }

    private static Azure.Core.TokenCredential Credential(EdgeOptions options) =>
        NewsroomServiceCollectionExtensions.CreateCredential("managedidentity", options.ClientId);
}

internal static partial class EdgeLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Edge purge ({Reason}): {Paths}")]
    public static partial void Purged(ILogger logger, string reason, string paths);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Edge purge ({Reason}) skipped, no edge configured (Edge:EndpointResourceId): {Paths}")]
    public static partial void PurgeSkipped(ILogger logger, string reason, string paths);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Edge purge ({Reason}) not queued, storage refused or unavailable; the edge keeps {Paths} until max-age passes")]
    public static partial void PurgeRequestLost(ILogger logger, string reason, string paths, Exception exception);
}
