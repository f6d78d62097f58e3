using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>Editors over HTTP on the local host: bearer tokens, If-Match, validation, and publish → homepage via the queue trigger.</summary>
public sealed class EditorApiTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    private DeskClient? _publisher;

    private async Task<DeskClient> PublisherAsync() => _publisher ??= await DeskClient.PublisherAsync(Client);

    private async Task<HttpRequestMessage> Request(HttpMethod method, string path, object? body = null, string? ifMatch = null) =>
        (await PublisherAsync()).Request(method, path, body, ifMatch);

    private static object Draft(string title) => new
    {
        title,
        summary = "Tóm tắt <i>ngắn</i>.",
        category = new { slug = "van-hoa", name = "ignored" },
        events = new[] { "chuyen-doi-so" },
        blocks = new object[] { new { type = "paragraph", text = "Nội dung <script>alert(1)</script>." }, new { type = "heading", text = "Tiểu mục" } },
        authors = new[] { new { name = "Vũ Đình Khải", position = "Cộng tác viên" } },
    };

    [Theory]
    [InlineData(null)]
    [InlineData(LocalHostFixture.FunctionKey)]
    public async Task Desk_routes_without_a_token_are_401_problem_json_with_a_bearer_challenge_and_write_nothing(string? functionKey)
    {
        // A function key grants nothing any more: only a signed-in member of the newsroom writes.
        using var request = DeskClient.Request(HttpMethod.Post, "/api/articles", token: null, Draft("Không có thẻ"));
        if (functionKey is not null)
        {
            request.Headers.Add("x-functions-key", functionKey);
        }
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Authorization: Bearer", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var layout = await Client.GetAsync($"/api/homepage/layout?code={LocalHostFixture.FunctionKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, layout.StatusCode);
        using var listing = await Client.GetAsync("/api/categories/van-hoa/articles?limit=50");
        Assert.DoesNotContain("Không có thẻ", await listing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_edit_publish_then_the_homepage_shows_it_and_markup_stays_escaped()
    {
        using var created = await Client.SendAsync(await Request(HttpMethod.Post, "/api/articles", Draft("Liên hoan nghệ thuật quần chúng")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var etag = created.Headers.ETag!.ToString();
        var location = created.Headers.Location!.ToString();
        var draftJson = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", draftJson, StringComparison.Ordinal);
        using var draft = JsonDocument.Parse(draftJson);
        var id = draft.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/articles/{id}/draft", location);

        // GET, edit, PUT back the same JSON.
        var edited = draftJson.Replace("Liên hoan nghệ thuật quần chúng", "Liên hoan nghệ thuật quần chúng toàn tỉnh", StringComparison.Ordinal);
        using var missing = await Client.SendAsync(await Request(HttpMethod.Put, $"/api/articles/{id}", edited));
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        using var put = await Client.SendAsync(await Request(HttpMethod.Put, $"/api/articles/{id}", edited, ifMatch: etag));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var stale = await Client.SendAsync(await Request(HttpMethod.Put, $"/api/articles/{id}", edited, ifMatch: etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        var published = await (await PublisherAsync()).PublishAsync(id);
        Assert.Equal("published", published.Status);

        // The publish queued a rebuild; the local host's queue listener runs HomepageRebuildRequested.
        await Eventually.PollAsync(
            async () => JsonDocument.Parse(await Client.GetStringAsync("/api/homepage")).RootElement.GetProperty("topStories")[0].GetProperty("id").GetString(),
            top => top == id, "the published article to lead the homepage");

        using var article = await Client.GetAsync("/api/articles/lien-hoan-nghe-thuat-quan-chung-toan-tinh");
        Assert.Equal(HttpStatusCode.OK, article.StatusCode);
        // It was renamed while a draft, which readers never saw: its first slug leads nowhere.
        using var draftSlug = await Client.GetAsync("/api/articles/lien-hoan-nghe-thuat-quan-chung");
        Assert.Equal(HttpStatusCode.NotFound, draftSlug.StatusCode);

        // Renamed once published, its old slug redirects.
        var current = await Client.SendAsync(await Request(HttpMethod.Get, $"/api/articles/{id}/draft"));
        var renamed = (await current.Content.ReadAsStringAsync()).Replace("toàn tỉnh", "toàn tỉnh năm 2026", StringComparison.Ordinal);
        using var put2 = await Client.SendAsync(await Request(HttpMethod.Put, $"/api/articles/{id}", renamed, ifMatch: current.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, put2.StatusCode);
        using var moved = await Client.GetAsync("/api/articles/lien-hoan-nghe-thuat-quan-chung-toan-tinh");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/api/articles/lien-hoan-nghe-thuat-quan-chung-toan-tinh-nam-2026", moved.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_homepage_is_cacheable_and_revalidates_with_304()
    {
        using var first = await Client.GetAsync("/api/homepage");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.CacheControl!.MaxAge);
        Assert.Contains("stale-if-error=600", first.Headers.CacheControl.ToString(), StringComparison.Ordinal);
        // Other tests of this class publish and the timer rebuilds: the page may change between two reads, so
        // revalidate with the tag just read until a read and its revalidation fall within one snapshot.
        var status = await Eventually.PollAsync(async () =>
        {
            using var latest = await Client.GetAsync("/api/homepage");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/homepage");
            request.Headers.IfNoneMatch.Add(latest.Headers.ETag!);
            using var second = await Client.SendAsync(request);
            return (second.StatusCode, Changed: second.StatusCode == HttpStatusCode.OK && second.Headers.ETag != latest.Headers.ETag);
        }, r => !r.Changed, "a read and its revalidation within one homepage snapshot");
        Assert.Equal(HttpStatusCode.NotModified, status.StatusCode);
    }

    [Theory]
    [InlineData("{\"title\":\"x\",\"category\":\"thoi-su\",\"blocks\":[{\"type\":\"marquee\"}]}", HttpStatusCode.BadRequest, "block \"type\"")]
    [InlineData("{\"title\":\"x\",", HttpStatusCode.BadRequest, "could not be read")]
    [InlineData("{\"title\":\"\",\"category\":\"khong-co\"}", HttpStatusCode.UnprocessableEntity, "problem(s)")]
    public async Task Bad_articles_are_refused_with_problem_json(string body, HttpStatusCode status, string detail)
    {
        using var response = await Client.SendAsync(await Request(HttpMethod.Post, "/api/articles", body));
        Assert.Equal(status, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduling_hides_an_article_until_its_time()
    {
        using var created = await Client.SendAsync(await Request(HttpMethod.Post, "/api/articles", Draft("Tin hẹn giờ ngày mai")));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var scheduled = await (await PublisherAsync()).PublishAsync(id!, DateTimeOffset.UtcNow.AddDays(1).ToOffset(TimeSpan.FromHours(7)));
        Assert.Equal("scheduled", scheduled.Status);
        using var article = await Client.GetAsync("/api/articles/tin-hen-gio-ngay-mai");
        Assert.Equal(HttpStatusCode.NotFound, article.StatusCode);
        using var draft = await Client.SendAsync(await Request(HttpMethod.Get, $"/api/articles/{id}/draft"));
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
    }
}
