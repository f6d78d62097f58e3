using System.Net;
using System.Text.Json;
using Newsroom.IntegrationTests.Support;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>Search over HTTP on the local host: the demo paper, seeded by the local host, found by the worker's index.</summary>
public sealed class SearchApiTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task An_unaccented_query_finds_the_demo_papers_accented_text_with_highlights_and_paging()
    {
        // The demo seeder writes from the local host's process; the worker's index takes it from the tables.
        var page = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/search?q=dan%20van&limit=1")).RootElement.Clone(),
            p => p.GetProperty("total").GetInt64() > 1, "the demo paper in the search index");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var title = item.GetProperty("title").GetString()!;
            var snippet = item.GetProperty("snippet").GetString()!;
            var highlighted = item.GetProperty("titleHighlights").EnumerateArray().Select(r => title.Substring(r.GetProperty("start").GetInt32(), r.GetProperty("length").GetInt32()))
                .Concat(item.GetProperty("snippetHighlights").EnumerateArray().Select(r => snippet.Substring(r.GetProperty("start").GetInt32(), r.GetProperty("length").GetInt32())))
                .ToList();
            Assert.Contains(highlighted, h => string.Equals(h, "dân vận", StringComparison.OrdinalIgnoreCase));
            Assert.False(string.IsNullOrEmpty(item.GetProperty("slug").GetString()));
        }
        var next = page.GetProperty("nextCursor").GetString();
        using var second = await Client.GetAsync($"/api/search?q=dan%20van&limit=1&cursor={next}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.CacheControl?.Public);
    }

    [Theory]
    [InlineData("/api/search", HttpStatusCode.BadRequest)]
    [InlineData("/api/search?q=a", HttpStatusCode.BadRequest)]
    [InlineData("/api/search?q=lua&sort=oldest", HttpStatusCode.BadRequest)]
    public async Task Bad_searches_are_problems(string path, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Only_an_administrator_may_rebuild_the_index()
    {
        var reporter = await DeskClient.SignInAsync(Client, "Hoàng Minh Đức", "Reporter");
        using (var refused = await reporter.SendAsync(HttpMethod.Post, "/api/search/rebuild", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var admin = await DeskClient.SignInAsync(Client, "Nguyễn Thị Lan", "Admin");
        using var rebuilt = await admin.SendAsync(HttpMethod.Post, "/api/search/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.True(JsonDocument.Parse(await rebuilt.Content.ReadAsStringAsync()).RootElement.GetProperty("indexed").GetInt32() > 10);
    }
}
