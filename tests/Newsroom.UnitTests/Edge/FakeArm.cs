using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Newsroom.UnitTests.Edge;

/// <summary>A transport that records each request and answers with a status: Azure Resource Manager, faked at the wire.</summary>
public sealed class RecordingTransport(params int[] statuses) : HttpPipelineTransport
{
    private int _calls;

    public List<(string Method, Uri Uri, Dictionary<string, string> Headers, byte[] Body)> Requests { get; } = [];

    public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var body = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            await content.WriteToAsync(body, message.CancellationToken);
        }
        lock (Requests)
        {
            Requests.Add((message.Request.Method.Method, message.Request.Uri.ToUri(),
                message.Request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), body.ToArray()));
        }
        var status = statuses.Length == 0 ? 202 : statuses[Math.Min(Interlocked.Increment(ref _calls) - 1, statuses.Length - 1)];
        message.Response = new Newsroom.UnitTests.Search.FakeResponse(status, "{}");
    }
}
