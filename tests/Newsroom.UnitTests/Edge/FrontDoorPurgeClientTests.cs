using System.Text.Json;
using Azure;
using Azure.Core;
using Newsroom.Edge;

namespace Newsroom.UnitTests.Edge;

public sealed class FrontDoorPurgeClientTests
{
    private const string Endpoint = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-news/providers/Microsoft.Cdn/profiles/afd-news/afdEndpoints/news";

    private static (FrontDoorPurgeClient Client, RecordingTransport Transport, Newsroom.UnitTests.Search.RecordingTokenCredential Credential) Create(string[] domains, params int[] statuses)
    {
        var transport = new RecordingTransport(statuses);
        var credential = new Newsroom.UnitTests.Search.RecordingTokenCredential("token-of-the-apps-identity");
        var options = new EdgeClientOptions { Transport = transport };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        var client = new FrontDoorPurgeClient(new EdgeOptions { EndpointResourceId = Endpoint, Domains = domains }, credential, options);
        return (client, transport, credential);
    }

    [Fact]
    public async Task A_purge_posts_the_paths_and_domains_to_the_endpoints_purge_operation_signed_in_for_resource_manager()
    {
        var (client, transport, credential) = Create(["news.azurefd.net", "baothainguyen.example.vn"]);

        await client.PurgeAsync(["/api/articles/lu-quet", "/api/categories/thoi-su/articles"], CancellationToken.None);

        var request = Assert.Single(transport.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"https://management.azure.com{Endpoint}/purge?api-version=2024-09-01", request.Uri.ToString());
        Assert.Equal("Bearer token-of-the-apps-identity", request.Headers["Authorization"]);
        Assert.Equal(["https://management.azure.com/.default"], Assert.Single(credential.Scopes));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(["/api/articles/lu-quet", "/api/categories/thoi-su/articles"], body.RootElement.GetProperty("contentPaths").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["news.azurefd.net", "baothainguyen.example.vn"], body.RootElement.GetProperty("domains").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Without_domains_the_request_leaves_them_out_so_every_domain_of_the_endpoint_is_purged()
    {
        var (client, transport, _) = Create([]);
        await client.PurgeAsync(["/api/homepage"], CancellationToken.None);
        using var body = JsonDocument.Parse(Assert.Single(transport.Requests).Body);
        Assert.False(body.RootElement.TryGetProperty("domains", out _));
    }

    [Fact]
    public async Task A_refusal_throws_so_the_queue_retries_and_a_throttled_call_is_retried_by_the_pipeline()
    {
        var (refused, _, _) = Create([], 403);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => refused.PurgeAsync(["/api/homepage"], CancellationToken.None));
        Assert.Equal(403, e.Status);

        var (throttled, transport, _) = Create([], 429, 202);
        await throttled.PurgeAsync(["/api/homepage"], CancellationToken.None);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Nothing_to_purge_makes_no_call()
    {
        var (client, transport, _) = Create([]);
        await client.PurgeAsync([], CancellationToken.None);
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData("/subscriptions/x/resourceGroups/y/providers/Microsoft.Cdn/profiles/p/afdEndpoints/e", true)]
    [InlineData("/subscriptions/x/resourceGroups/y/providers/Microsoft.Cdn/profiles/p", false)]
    [InlineData("https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Cdn/profiles/p/afdEndpoints/e", false)]
    public void The_endpoint_setting_must_be_a_front_door_endpoints_resource_id(string value, bool valid)
    {
        var options = new EdgeOptions { EndpointResourceId = value };
        var ok = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), new List<System.ComponentModel.DataAnnotations.ValidationResult>(), validateAllProperties: true);
        Assert.Equal(valid, ok);
    }
}
