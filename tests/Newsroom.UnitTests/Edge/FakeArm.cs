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
        message.Response = new FakeResponse(status);
    }

    private sealed class FakeResponse(int status) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => status == 202 ? "Accepted" : "Error";
        public override Stream? ContentStream { get; set; } = new MemoryStream("{}"u8.ToArray());
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, out string value) { value = ""; return false; }
        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values) { values = []; return false; }
    }
}

/// <summary>A credential that hands out a known token and records the scopes asked for.</summary>
public sealed class RecordingCredential(string token) : TokenCredential
{
    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.Add(requestContext.Scopes);
        }
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
