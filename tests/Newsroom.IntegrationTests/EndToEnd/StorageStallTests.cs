using System.Net;
using System.Text;
using System.Text.Json;
using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// Storage that hangs (a throttled or unreachable account, played by a frozen Azurite: SIGSTOP, connections
/// open, no answers) must not take readers down: what an instance has served it keeps serving, what it has
/// not answers 503 with Retry-After within seconds, writes too, and everything resumes when storage does.
/// </summary>
public sealed class StorageStallTests : IAsyncLifetime
{
    private LocalHostApp _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["LocalHost:AzuriteInMemory"] = "true",
            ["LocalHost:FunctionKey"] = LocalHostFixture.FunctionKey,
            ["LocalHost:DemoArticles"] = "12",
            // Short freshness, so what was read before the freeze is stale during it.
            ["Reader:CacheSeconds"] = "1",
            ["Reader:SharedCacheSeconds"] = "1",
            ["Homepage:RevalidateSeconds"] = "1",
        });
        _client = TestLocalHost.ClientFor(_host);
        _desk = await DeskClient.PublisherAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private DeskClient _desk = null!;

    private HttpRequestMessage Editor(HttpMethod method, string path, string? body = null) => _desk.Request(method, path, body);

    private static async Task Assert503Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to try again");
        Assert.Contains("try again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readers_keep_reading_while_storage_hangs_uncached_reads_and_writes_get_503_and_everything_resumes()
    {
        // Before the freeze: the homepage, a listing and one article are served (and so held by this instance).
        // Storage is healthy but the machine may be busy (the production deadlines are in force): retry a 503.
        await Eventually.PollAsync(async () => (await _client.GetAsync("/api/homepage")).StatusCode, s => s == HttpStatusCode.OK, "the homepage");
        var listing = await Eventually.PollAsync(async () => JsonDocument.Parse(await _client.GetStringAsync("/api/categories/thoi-su/articles")), _ => true, "the listing");
        var slugs = listing.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()!).ToList();
        Assert.True(slugs.Count >= 2);
        var (served, notYetRead) = (slugs[0], slugs[1]);
        await Eventually.PollAsync(async () => (await _client.GetAsync("/api/articles/" + served)).StatusCode, s => s == HttpStatusCode.OK, "the first article");
        var id = await Eventually.PollAsync(async () =>
        {
            using var created = await _client.SendAsync(Editor(HttpMethod.Post, "/api/articles",
                """{"title":"Bài viết trong lúc lưu trữ treo","category":"thoi-su","blocks":[{"type":"paragraph","text":"Nội dung."}]}"""));
            created.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }, _ => true, "a draft");
        // Through review, so that publishing is what is left to do.
        foreach (var step in new[] { "submit", "approve" })
        {
            await Eventually.PollAsync(async () => (await _client.SendAsync(Editor(HttpMethod.Post, $"/api/articles/{id}/{step}"))).StatusCode,
                s => s == HttpStatusCode.OK, "the draft to be " + step + (step == "submit" ? "ted" : "d"));
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // past Reader:CacheSeconds: every copy held is stale now

        _host.Azurite!.Freeze();
        try
        {
            // Eight readers on the homepage at once: every one answered from memory.
            var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                var seen = new List<HttpStatusCode>();
                for (var i = 0; i < 25; i++)
                {
                    using var response = await _client.GetAsync("/api/homepage");
                    seen.Add(response.StatusCode);
                }
                return seen;
            })));
            Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.OK, s));

            // What was served before: stale, but served.
            using (var article = await _client.GetAsync("/api/articles/" + served))
            {
                Assert.Equal(HttpStatusCode.OK, article.StatusCode);
            }
            using (var page = await _client.GetAsync("/api/categories/thoi-su/articles"))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            // What was not: 503 with Retry-After (the client's own ceiling is minutes, so an answer at all is the point).
            await Assert503Async(await _client.GetAsync("/api/articles/" + notYetRead));
            await Assert503Async(await _client.SendAsync(Editor(HttpMethod.Post, $"/api/articles/{id}/publish")));
        }
        finally
        {
            _host.Azurite.Thaw();
        }

        // Storage is back: reads and writes resume, and nothing is lost.
        await Eventually.PollAsync(async () => (await _client.GetAsync("/api/articles/" + notYetRead)).StatusCode, s => s == HttpStatusCode.OK, "the unread article after the thaw");
        var published = await Eventually.PollAsync(async () => (await _client.SendAsync(Editor(HttpMethod.Post, $"/api/articles/{id}/publish"))).StatusCode,
            s => s == HttpStatusCode.OK, "a publish after the thaw");
        using var draft = JsonDocument.Parse(await (await _client.SendAsync(Editor(HttpMethod.Get, $"/api/articles/{id}/draft"))).Content.ReadAsStringAsync());
        Assert.Equal("published", draft.RootElement.GetProperty("status").GetString());
        var slug = draft.RootElement.GetProperty("slug").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/articles/" + slug)).StatusCode);
        Assert.Contains(slug, await _client.GetStringAsync("/api/categories/thoi-su/articles?limit=50"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/articles/" + served)).StatusCode);
    }
}
