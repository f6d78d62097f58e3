using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Newsroom.UnitTests.Search;

/// <summary>One request as it left the Azure SDK's pipeline.</summary>
public sealed record RecordedRequest(string Method, Uri Uri, Dictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A service faked at the wire: records every request the SDK sends through its real pipeline (auth,
/// serialization, retries) and answers it as the fake decides.
/// </summary>
public abstract class RecordingPipelineTransport : HttpPipelineTransport
{
    public List<RecordedRequest> Requests { get; } = [];

    public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var body = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            await content.WriteToAsync(body, message.CancellationToken);
        }
        var request = new RecordedRequest(
            message.Request.Method.Method,
            message.Request.Uri.ToUri(),
            message.Request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase),
            Encoding.UTF8.GetString(body.ToArray()));
        lock (Requests)
        {
            Requests.Add(request);
        }
        message.Response = Answer(request);
    }

    /// <summary>The fake's answer to a recorded request.</summary>
    protected abstract Response Answer(RecordedRequest request);
}
