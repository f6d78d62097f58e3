using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Newsroom.IntegrationTests.Support;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>Feeds and sitemaps over HTTP on the local host, against the seeded demo paper.</summary>
public sealed class FeedsApiTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("/api/rss/latest", "application/rss+xml", "rss")]
    [InlineData("/api/rss/categories/thoi-su", "application/rss+xml", "rss")]
    [InlineData("/api/rss/events/chuyen-doi-so", "application/rss+xml", "rss")]
    [InlineData("/api/sitemaps", "application/xml", "sitemapindex")]
    [InlineData("/api/sitemaps/news", "application/xml", "urlset")]
    [InlineData("/api/sitemaps/sections", "application/xml", "urlset")]
    public async Task Each_feed_and_sitemap_is_public_cacheable_xml_with_an_etag_that_revalidates(string path, string mediaType, string root)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.Public);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(root, document.Root!.Name.LocalName);
        if (root != "sitemapindex")
        {
            Assert.Contains(document.Root.Descendants(), e => e.Name.LocalName is "item" or "url");
        }

        // The demo paper's photos may still be turning ready (and their articles re-indexed): revalidate with the
        // tag just read until a read and its revalidation fall within one snapshot of the content.
        var status = await Eventually.PollAsync(async () =>
        {
            using var latest = await Client.GetAsync(path);
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(latest.Headers.ETag!);
            using var revalidated = await Client.SendAsync(again);
            return (revalidated.StatusCode, Changed: revalidated.StatusCode == HttpStatusCode.OK && revalidated.Headers.ETag != latest.Headers.ETag);
        }, r => !r.Changed, "a read and its revalidation within one snapshot");
        Assert.Equal(HttpStatusCode.NotModified, status.StatusCode);
    }

    [Fact]
    public async Task The_month_sitemap_of_the_demo_paper_links_its_articles_and_bad_months_or_pages_are_problems()
    {
        var index = XDocument.Parse(await Client.GetStringAsync("/api/sitemaps"));
        var month = index.Root!.Elements().Select(s => s.Elements().First(e => e.Name.LocalName == "loc").Value)
            .Last(l => l.Contains("/sitemaps/articles/", StringComparison.Ordinal));
        var path = new Uri(month).AbsolutePath;
        var urls = XDocument.Parse(await Client.GetStringAsync(path)).Root!.Elements().ToList();
        Assert.NotEmpty(urls);

        foreach (var (bad, status) in new[] { ("/api/sitemaps/articles/abc/11", HttpStatusCode.NotFound), ("/api/sitemaps/articles/2026/13", HttpStatusCode.NotFound), (path + "?page=x", HttpStatusCode.BadRequest), ("/api/rss/categories/khong-co", HttpStatusCode.NotFound) })
        {
            using var response = await Client.GetAsync(bad);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
