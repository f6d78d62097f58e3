using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>The public read API over HTTP on the local host, against the seeded demo paper.</summary>
public sealed class PublicApiTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<ListingPage> ListingAsync(string path) =>
        (await Client.GetFromJsonAsync<ListingPage>(path, NewsroomJson.Options))!;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_category_tree_lists_top_sections_with_their_sub_sections()
    {
        using var tree = JsonDocument.Parse(await Client.GetStringAsync("/api/categories"));
        var top = tree.RootElement.EnumerateArray().ToList();
        Assert.True(top.Count >= 5);
        Assert.Equal("Thời sự", top[0].GetProperty("name").GetString());
        Assert.Contains(top, c => c.GetProperty("children").EnumerateArray().Any(s => s.GetProperty("slug").GetString() == "nong-nghiep"));
    }

    [Fact]
    public async Task An_article_is_served_with_blocks_byline_related_news_a_strong_etag_and_public_caching()
    {
        var teaser = (await ListingAsync("/api/events/chuyen-doi-so/articles?limit=1")).Items.Single();

        using var response = await Client.GetAsync($"/api/articles/{teaser.Slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.True(response.Headers.CacheControl.MaxAge > TimeSpan.Zero);
        Assert.Contains("stale-while-revalidate", response.Headers.CacheControl.ToString(), StringComparison.Ordinal);

        var article = (await response.Content.ReadFromJsonAsync<ArticleView>(NewsroomJson.Options))!;
        Assert.Equal(teaser.Id, article.Id);
        Assert.NotEmpty(article.Blocks);
        Assert.NotEmpty(article.Authors);
        Assert.StartsWith("Ảnh:", article.LeadPhoto!.Credit, StringComparison.Ordinal);
        Assert.Contains(article.Events, e => e.Slug == "chuyen-doi-so");
        Assert.NotEmpty(article.SameEvent);
        Assert.DoesNotContain(article.SameEvent, t => t.Id == article.Id);
        Assert.DoesNotContain(article.OtherNews, t => t.Id == article.Id || article.SameEvent.Any(s => s.Id == t.Id));
    }

    /// <summary>Every photo the JSON shows (lead photos, image blocks, teasers) has its renditions.</summary>
    /// <summary>
    /// Whether every photo in a response has its whole rendition set: a usable photo already has renditions (320, 640,
    /// 1280), a ready one has the smallest width too (the demo photos are all far wider than 160).
    /// </summary>
    internal static bool EveryPhotoReady(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => (!e.TryGetProperty("photoId", out _)
                || (e.TryGetProperty("renditions", out var r) && r.ValueKind == JsonValueKind.Array && r.EnumerateArray().Any(x => x.GetProperty("width").GetInt32() == 160)))
            && e.EnumerateObject().All(p => EveryPhotoReady(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().All(EveryPhotoReady),
        _ => true,
    };

    [Fact]
    public async Task If_none_match_with_the_etag_gets_304_with_no_body()
    {
        var slug = (await ListingAsync("/api/categories/the-thao/articles?limit=1")).Items.Single().Slug;
        // The demo photos may still be processing; once its photos are ready the article stops changing.
        var etag = await Eventually.PollAsync(async () =>
        {
            using var first = await Client.GetAsync($"/api/articles/{slug}");
            using var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
            return EveryPhotoReady(body.RootElement) ? first.Headers.ETag : null;
        }, e => e is not null, "the article's photos to be ready");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/articles/{slug}");
        request.Headers.IfNoneMatch.Add(etag!);

        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/homepage", "br", "-br\"", 5)] // the goal: the homepage at least 5× smaller with Brotli
    [InlineData("/api/homepage", "gzip", "-gz\"", 4)]
    [InlineData("/api/categories/thoi-su/articles", "gzip, deflate, br", "-br\"", 2)]
    [InlineData("/api/rss/latest", "gzip", "-gz\"", 2)]
    public async Task Json_and_xml_go_out_compressed_as_negotiated_each_coding_with_its_own_etag(string path, string acceptEncoding, string tagEnd, int smallerBy)
    {
        // Compare within one snapshot of the content (the demo paper's photos are still being processed in the
        // background): poll until two identity reads agree around the compressed one, and the compressed one's
        // tag still revalidates right after.
        var (identity, compressed, encoding, tag, identityTag, firstTag, revalidated) = await Eventually.PollAsync(async () =>
        {
            using var plain = await Client.GetAsync(path);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            using var packed = await Client.SendAsync(request);
            using var again = await Client.GetAsync(path);
            // The compressed representation revalidates with its own tag; the identity tag does not stand for it.
            using var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
            revalidate.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(packed.Headers.ETag?.Tag ?? "\"none\""));
            using var notModified = await Client.SendAsync(revalidate);
            return (await plain.Content.ReadAsByteArrayAsync(), await packed.Content.ReadAsByteArrayAsync(),
                string.Join(",", packed.Content.Headers.ContentEncoding), packed.Headers.ETag?.Tag ?? "", again.Headers.ETag?.Tag ?? "", plain.Headers.ETag?.Tag ?? "",
                notModified.StatusCode);
        }, r => r.Item6 == r.Item5 && r.Item4.StartsWith(r.Item5[..^1], StringComparison.Ordinal) && r.Item7 == HttpStatusCode.NotModified,
            "a stable response to compare codings of");

        Assert.EndsWith(tagEnd, tag, StringComparison.Ordinal);
        Assert.Equal(identityTag, firstTag);
        Assert.Equal(tagEnd.Contains("br", StringComparison.Ordinal) ? "br" : "gzip", encoding);
        using Stream decoder = encoding == "br"
            ? new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);
        Assert.Equal(identity, decoded.ToArray());
        Assert.True(compressed.Length * smallerBy <= identity.Length, $"{compressed.Length} of {identity.Length} bytes");

        Assert.Equal(HttpStatusCode.NotModified, revalidated);
        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(identityTag));
        using var full = await Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public async Task Listings_page_through_the_demo_paper_with_cursors_and_etags()
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await Client.GetAsync("/api/categories/thoi-su/articles?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.NotNull(response.Headers.ETag);
            var page = (await response.Content.ReadFromJsonAsync<ListingPage>(NewsroomJson.Options))!;
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items.Select(t => t.Id));
            Assert.Equal(page.Items.OrderByDescending(t => t.PublishedAt).Select(t => t.Id), page.Items.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && seen.Count < 100);

        Assert.True(seen.Count > 3);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task The_scheduled_and_draft_demo_articles_are_not_public()
    {
        // Demo article 1 is scheduled for tomorrow and article 2 is a draft: they are in no listing and 404.
        var all = new List<TeaserView>();
        foreach (var category in new[] { "thoi-su", "kinh-te", "xa-hoi", "van-hoa", "the-thao", "phap-luat" })
        {
            all.AddRange((await ListingAsync($"/api/categories/{category}/articles?limit=50")).Items);
        }
        Assert.DoesNotContain(all, t => t.Id is "demo-000001" or "demo-000002");
        Assert.Equal(34, all.Select(t => t.Id).Distinct().Count());

        await AssertProblemAsync(await Client.GetAsync("/api/articles/tinh-day-nhanh-tien-do-giai-ngan-von-dau-tu-cong-nhung-thang-cuoi-nam"), HttpStatusCode.NotFound, "No published article");
        await AssertProblemAsync(await Client.GetAsync("/api/articles/doi-thoai-truc-tiep-giua-lanh-dao-tinh-voi-thanh-nien-ve-khoi-nghiep"), HttpStatusCode.NotFound, "No published article");
    }

    [Fact]
    public async Task The_demo_paper_has_job_notices_with_their_deadlines_one_leaving_during_the_day_themed_columns_and_a_links_box_on_the_homepage()
    {
        var jobs = JsonDocument.Parse(await Client.GetStringAsync("/api/categories/tuyen-dung/articles")).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, jobs.Count);
        var deadlines = jobs.Select(j => (j.GetProperty("job").GetProperty("organisation").GetString(), j.GetProperty("job").GetProperty("deadline").GetDateTimeOffset())).ToList();
        Assert.All(deadlines, d => Assert.False(string.IsNullOrEmpty(d.Item1)));
        Assert.Contains(deadlines, d => d.Item2 < DateTimeOffset.UtcNow.AddHours(7)); // one expires during the demo day
        var soonest = jobs.OrderBy(j => j.GetProperty("job").GetProperty("deadline").GetDateTimeOffset()).First();
        using (var page = await Client.GetAsync("/api/articles/" + soonest.GetProperty("slug").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("stale-if-error=0", page.Headers.CacheControl!.ToString(), StringComparison.Ordinal); // never kept past its expiry
        }

        var homepage = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/homepage")).RootElement.Clone(),
            h => h.TryGetProperty("links", out var links) && links.GetArrayLength() > 0, "the homepage to carry the demo links box");
        var urls = homepage.GetProperty("links").EnumerateArray().Select(l => new Uri(l.GetProperty("url").GetString()!)).ToList();
        Assert.Equal(3, urls.Count);
        Assert.All(urls, u => Assert.Equal(Uri.UriSchemeHttps, u.Scheme));

        // Two themed columns, in order, each with a banner, on the homepage and at /api/columns; each gathers its articles.
        Assert.Equal(["hoc-va-lam-theo-guong-bac", "an-toan-giao-thong"], homepage.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        var columns = JsonDocument.Parse(await Client.GetStringAsync("/api/columns")).RootElement.EnumerateArray().ToList();
        Assert.Equal(["hoc-va-lam-theo-guong-bac", "an-toan-giao-thong"], columns.Select(c => c.GetProperty("slug").GetString()));
        Assert.All(columns, c => Assert.StartsWith("demo-photo-", c.GetProperty("banner").GetProperty("photoId").GetString(), StringComparison.Ordinal));
        foreach (var column in columns)
        {
            var items = (await ListingAsync($"/api/columns/{column.GetProperty("slug").GetString()}/articles")).Items;
            Assert.NotEmpty(items);
            var article = JsonDocument.Parse(await Client.GetStringAsync("/api/articles/" + items[0].Slug)).RootElement;
            Assert.Contains(column.GetProperty("slug").GetString(), article.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        }
        await AssertProblemAsync(await Client.GetAsync("/api/columns/khong-co/articles"), HttpStatusCode.NotFound, "GET /api/columns");
    }

    [Fact]
    public async Task The_demo_legal_documents_are_listed_by_type_issuer_and_year_and_found_by_their_number()
    {
        static IEnumerable<string?> Numbers(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legal").GetProperty("number").GetString());
        var all = JsonDocument.Parse(await Client.GetStringAsync("/api/legal-documents")).RootElement;
        Assert.Equal(4, all.GetProperty("items").GetArrayLength());
        Assert.Equal(["1666/QĐ-BHXH", "25/2026/QĐ-UBND"], Numbers(JsonDocument.Parse(await Client.GetStringAsync("/api/legal-documents?type=quyet-dinh")).RootElement)); // newest first
        Assert.Equal(["25/2026/QĐ-UBND"], Numbers(JsonDocument.Parse(await Client.GetStringAsync("/api/legal-documents?type=quyet-dinh&issuer=ubnd-tinh-thai-nguyen")).RootElement));

        var slug = all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("legal").GetProperty("number").GetString() == "1666/QĐ-BHXH").GetProperty("slug").GetString();
        var document = JsonDocument.Parse(await Client.GetStringAsync("/api/legal-documents/" + slug)).RootElement;
        Assert.Equal("Bảo hiểm xã hội Việt Nam", document.GetProperty("legal").GetProperty("issuer").GetString());
        var found = JsonDocument.Parse(await Client.GetStringAsync("/api/search?q=" + Uri.EscapeDataString("1666/QĐ-BHXH"))).RootElement;
        Assert.Equal(slug, found.GetProperty("items")[0].GetProperty("slug").GetString());

        await AssertProblemAsync(await Client.GetAsync("/api/legal-documents?year=20x6"), HttpStatusCode.BadRequest, "1945 to 2100");
        await AssertProblemAsync(await Client.GetAsync("/api/legal-documents?type=sac-lenh"), HttpStatusCode.BadRequest, "quyet-dinh");
        var article = (await ListingAsync("/api/categories/the-thao/articles?limit=1")).Items[0].Slug;
        await AssertProblemAsync(await Client.GetAsync("/api/legal-documents/" + article), HttpStatusCode.NotFound, "not a legal document");

        // Two of the documents carry their PDF: its address is on the page and leads to the file.
        var attachment = document.GetProperty("legal").GetProperty("attachment");
        Assert.Equal($"/api/legal-documents/{slug}/pdf", attachment.GetProperty("url").GetString());
        using var redirect = await Client.GetAsync(attachment.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        using var storage = new HttpClient();
        Assert.Equal("%PDF-"u8.ToArray(), (await storage.GetByteArrayAsync(redirect.Headers.Location))[..5]);
        Assert.Equal(2, all.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("legal").TryGetProperty("attachment", out _)));
        var plan = all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("legal").GetProperty("number").GetString() == "18/KH-UBND").GetProperty("slug").GetString();
        await AssertProblemAsync(await Client.GetAsync($"/api/legal-documents/{plan}/pdf"), HttpStatusCode.NotFound, "no PDF attached");
    }

    [Fact]
    public async Task The_demo_print_editions_are_listed_newest_first_on_the_homepage_and_download_as_pdf()
    {
        var issues = JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues")).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, issues.Count);
        Assert.All(issues, i => Assert.True(i.GetProperty("pdf").GetProperty("pages").GetInt32() > 0));
        Assert.Equal(2, JsonDocument.Parse(await Client.GetStringAsync("/api/print-issues?periodical=bao-hang-thang")).RootElement.GetProperty("items").GetArrayLength());
        var homepage = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync("/api/homepage")).RootElement.Clone(),
            h => h.TryGetProperty("printIssues", out var p) && p.GetArrayLength() == 2, "the homepage to show the newest issue of each periodical");
        Assert.Equal(["bao-hang-thang", "so-bao-dac-biet"], homepage.GetProperty("printIssues").EnumerateArray().Select(i => i.GetProperty("periodical").GetProperty("slug").GetString()));
        using var redirect = await Client.GetAsync(issues[0].GetProperty("pdf").GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        using var storage = new HttpClient();
        var pdf = await storage.GetByteArrayAsync(redirect.Headers.Location);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        await AssertProblemAsync(await Client.GetAsync("/api/print-issues/khong-co"), HttpStatusCode.NotFound, "GET /api/print-issues");

        // Every page is findable by its text: the tea harvest is on page 3 of each issue, and on page 11 of the 12-page special one.
        var found = JsonDocument.Parse(await Client.GetStringAsync("/api/search/print?q=" + Uri.EscapeDataString("chè Tân Cương"))).RootElement;
        Assert.Equal([("demo-print-1", 3), ("demo-print-2", 3), ("demo-print-3", 3), ("demo-print-3", 11)],
            found.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("issue").GetProperty("id").GetString(), i.GetProperty("page").GetInt32())).Order());
        Assert.Equal(2, JsonDocument.Parse(await Client.GetStringAsync("/api/search/print?periodical=so-bao-dac-biet&q=" + Uri.EscapeDataString("che tan cuong"))).RootElement.GetProperty("total").GetInt64());
        await AssertProblemAsync(await Client.GetAsync("/api/search/print?q=tin&periodical=khong-co"), HttpStatusCode.BadRequest, "GET /api/periodicals");
    }

    [Theory]
    [InlineData("/api/articles/khong-co-bai-nay", HttpStatusCode.NotFound, "khong-co-bai-nay")]
    [InlineData("/api/articles/%3Cscript%3E", HttpStatusCode.NotFound, "No published article")]
    [InlineData("/api/categories/khong-co/articles", HttpStatusCode.NotFound, "GET /api/categories")]
    [InlineData("/api/events/khong-co/articles", HttpStatusCode.NotFound, "no event")]
    [InlineData("/api/categories/thoi-su/articles?limit=0", HttpStatusCode.BadRequest, "1 to 50")]
    [InlineData("/api/categories/thoi-su/articles?limit=51", HttpStatusCode.BadRequest, "1 to 50")]
    [InlineData("/api/categories/thoi-su/articles?limit=hai", HttpStatusCode.BadRequest, "1 to 50")]
    [InlineData("/api/categories/thoi-su/articles?cursor=not-a-cursor", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("/api/events/chuyen-doi-so/articles?cursor=AWNhdGVnb3J5OmtpbmgtdGUKoMxKX4--UMQgscXv8lmMIg", HttpStatusCode.BadRequest, "cursor")]
    public async Task Bad_input_gets_a_problem_json_that_says_what_is_wrong(string path, HttpStatusCode status, string detail) =>
        await AssertProblemAsync(await Client.GetAsync(path), status, detail);

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_json_too()
    {
        await AssertProblemAsync(await Client.GetAsync("/api/khong-co"), HttpStatusCode.NotFound, "There is no API");
        using var delete = await Client.DeleteAsync("/api/categories");
        Assert.Equal("GET, HEAD, POST", delete.Content.Headers.Allow.Count > 0 ? string.Join(", ", delete.Content.Headers.Allow) : string.Join(", ", delete.Headers.GetValues("Allow")));
        await AssertProblemAsync(delete, HttpStatusCode.MethodNotAllowed, "DELETE is not supported");
    }

    [Fact]
    public async Task A_cursor_from_one_listing_is_refused_by_another()
    {
        var cursor = (await ListingAsync("/api/categories/thoi-su/articles?limit=1")).NextCursor!;
        await AssertProblemAsync(await Client.GetAsync("/api/categories/kinh-te/articles?cursor=" + cursor), HttpStatusCode.BadRequest, "another listing");
    }

    [Fact]
    public async Task Head_gives_the_headers_of_get()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/api/categories");
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Content.Headers.ContentLength > 0);
    }
}
