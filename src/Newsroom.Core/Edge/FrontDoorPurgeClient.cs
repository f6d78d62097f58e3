using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Newsroom.Edge;

/// <summary>Pipeline options of the purge client; tests give it a fake transport.</summary>
public sealed class EdgeClientOptions : ClientOptions
{
    public EdgeClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}

/// <summary>
/// Purges paths from a Front Door endpoint's cache through Azure Resource Manager
/// (POST {endpoint}/purge, the AFDEndpoints_PurgeContent operation), signed in as the app's managed identity
/// through the Azure SDK's pipeline (retries, bearer token for management.azure.com). Front Door accepts the
/// purge (202) and completes it at every point of presence within a minute or two; nothing waits for that.
/// </summary>
public sealed class FrontDoorPurgeClient
{
    public const string Scope = "https://management.azure.com/.default";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _purgeUri;
    private readonly string[] _domains;

    public FrontDoorPurgeClient(EdgeOptions options, TokenCredential credential, EdgeClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            throw new ArgumentException("Edge:EndpointResourceId is not set.", nameof(options));
        }
        _purgeUri = new Uri(options.ManagementEndpoint, $"{options.EndpointResourceId!.TrimStart('/')}/purge?api-version={Uri.EscapeDataString(options.ApiVersion)}");
        _domains = options.Domains;
        _pipeline = HttpPipelineBuilder.Build(clientOptions ?? new EdgeClientOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>Asks Front Door to drop <paramref name="paths"/> (absolute paths, "/*" wildcards allowed) from its caches.</summary>
    public async Task PurgeAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return;
        }
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_purgeUri);
        request.Headers.Add("Content-Type", "application/json");
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new PurgeBody(paths, _domains.Length > 0 ? _domains : null), PurgeJson));
        await _pipeline.SendAsync(message, cancellationToken);
        if (message.Response.Status is not (200 or 202))
        {
            throw new RequestFailedException(message.Response);
        }
    }

    private static readonly JsonSerializerOptions PurgeJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record PurgeBody(IReadOnlyCollection<string> ContentPaths, string[]? Domains);
}
