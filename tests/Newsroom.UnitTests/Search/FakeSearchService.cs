using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;

namespace Newsroom.UnitTests.Search;

/// <summary>
/// Azure AI Search faked at the wire (no emulator exists): records every request the SDK sends through its
/// real pipeline (auth, serialization) and answers with a canned body chosen by the request.
/// </summary>
public sealed class FakeSearchService : RecordingPipelineTransport
{
    public const string Endpoint = "https://fake-search.search.windows.net";

    /// <summary>The body of the answer to a search; the default finds nothing.</summary>
    public string SearchResponse { get; set; } = """{"@odata.count":0,"value":[]}""";

    /// <summary>Answers to the next searches, in order, before <see cref="SearchResponse"/> again.</summary>
    public Queue<string> NextSearchResponses { get; } = new();

    public RecordingTokenCredential Credential { get; } = new("fake-token");

    public SearchIndexClient CreateClient() => new(new Uri(Endpoint), Credential, new SearchClientOptions
    {
        Transport = this,
        Retry = { MaxRetries = 0 },
    });

    public RecordedRequest Single(string method, string pathContains) =>
        Requests.Single(r => r.Method == method && r.Uri.AbsolutePath.Contains(pathContains, StringComparison.Ordinal));

    protected override Response Answer(RecordedRequest request)
    {
        var path = request.Uri.AbsolutePath;
        return (request.Method, path) switch
        {
            ("PUT", _) when path.StartsWith("/indexes(", StringComparison.Ordinal) => new FakeResponse(201, request.Body),
            ("DELETE", _) => new FakeResponse(404, """{"error":{"code":"","message":"No index with the name 'x' was found."}}"""),
            ("POST", _) when path.EndsWith("/docs/search.index", StringComparison.Ordinal) => new FakeResponse(200, IndexingResult(request.Body)),
            ("POST", _) when path.EndsWith("/docs/search.post.search", StringComparison.Ordinal) =>
                new FakeResponse(200, NextSearchResponses.TryDequeue(out var next) ? next : SearchResponse),
            _ => new FakeResponse(400, """{"error":{"code":"","message":"unexpected request"}}"""),
        };
    }

    /// <summary>Every action in the batch succeeded, as the service reports it.</summary>
    private static string IndexingResult(string batch)
    {
        using var json = JsonDocument.Parse(batch);
        var results = json.RootElement.GetProperty("value").EnumerateArray()
            .Select(a => new { key = a.GetProperty("id").GetString(), status = true, errorMessage = (string?)null, statusCode = 200 });
        return JsonSerializer.Serialize(new { value = results });
    }
}

/// <summary>An HTTP response with a status and a JSON body, as a fake transport answers.</summary>
public sealed class FakeResponse(int status, string body) : Response
{
    public override int Status => status;
    public override string ReasonPhrase => status < 300 ? "OK" : "Error";
    public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(body));
    public override string ClientRequestId { get; set; } = "";
    public override void Dispose() { }
    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);
    protected override IEnumerable<HttpHeader> EnumerateHeaders() => [new HttpHeader("Content-Type", "application/json; charset=utf-8")];

    protected override bool TryGetHeader(string name, out string value)
    {
        var found = name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
        value = found ? "application/json; charset=utf-8" : "";
        return found;
    }

    protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
    {
        var found = TryGetHeader(name, out var value);
        values = found ? [value] : [];
        return found;
    }
}

/// <summary>A credential that hands out a known token and records the scopes asked for.</summary>
public sealed class RecordingTokenCredential(string token) : TokenCredential
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
