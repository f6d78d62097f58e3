using System.Globalization;
using System.Text;
using System.Xml;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Reading;
using Newsroom.Site;
using Newsroom.Taxonomy;
using Newsroom.Time;

namespace Newsroom.Feeds;

/// <summary>
/// Sitemaps for search engines, read from listings, never by scanning the archive: the index (one sitemap per
/// month that has articles, from the month markers the listings keep, plus the sections), a month's
/// articles (one range of the whole paper's listing, 50,000 URLs a page), the sections and running stories,
/// and the Google News sitemap (the last two days, at most 1,000, one URL that is updated).
/// </summary>
public sealed class Sitemaps(ListingStore listings, TaxonomyStore taxonomy, ResponseCache cache, SiteUrls site, TimeProvider time)
{
    public const string ContentType = "application/xml; charset=utf-8";
    public const int UrlsPerSitemap = 50_000;
    public const int NewsLimit = 1_000;
    public static readonly TimeSpan NewsWindow = TimeSpan.FromDays(2);
    private const string SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private const string NewsNs = "http://www.google.com/schemas/sitemap-news/0.9";

    /// <summary>The sitemap index: the news sitemap, the sections, and every page of every month with articles.</summary>
    public Task<JsonPayload> IndexAsync(CancellationToken cancellationToken) =>
        cache.GetAsync("sitemap-index", [ListingKey.All, ReaderTags.Taxonomy], p => 256 + p.Body.Length, async token =>
        {
            var months = await listings.ReadMonthsAsync(token);
            var newest = months.Count > 0 ? months.Max(m => m.LastModified) : (DateTimeOffset?)null;
            return Xml(w =>
            {
                w.WriteStartElement("sitemapindex", SitemapNs);
                Sitemap(w, site.Api("sitemaps/news"), newest);
                Sitemap(w, site.Api("sitemaps/sections"), newest);
                foreach (var (month, lastModified) in months)
                {
                    Sitemap(w, site.Api($"sitemaps/articles/{month[..4]}/{month[5..]}"), lastModified);
                }
                w.WriteEndElement();
            });
        }, cancellationToken);

    /// <summary>
    /// One month's articles (Vietnam time), newest first; <paramref name="page"/> 1, 2… splits a month past
    /// 50,000. The index lists page 1 of each month; a full page links nothing further by itself, so a month
    /// past 50,000 articles lists its next page as a sitemap of its own (a search engine reads both).
    /// </summary>
    public Task<JsonPayload> MonthAsync(int year, int month, int page, CancellationToken cancellationToken)
    {
        if (year is < 1900 or > 9999 || month is < 1 or > 12)
        {
            throw new NotFoundException($"There is no month {year}-{month:00}. GET /api/sitemaps lists the months that have articles.");
        }
        if (page < 1)
        {
            throw new BadRequestException("page must be a whole number, 1 or more.");
        }
        var from = VietnamTime.FromWallClock(new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified));
        var until = from.AddMonths(1);
        var now = time.GetUtcNow();
        return cache.GetAsync(("sitemap-month", year, month, page), [ListingKey.All, ReaderTags.Taxonomy], p => 256 + p.Body.Length, async token =>
        {
            var rows = from > now ? [] : await listings.ReadBetweenAsync(ListingKey.All, from, until < now ? until : now, (page - 1) * UrlsPerSitemap, UrlsPerSitemap + 1, token);
            var names = await taxonomy.GetAsync(token);
            return Xml(w =>
            {
                w.WriteStartElement("urlset", SitemapNs);
                foreach (var row in rows.Take(UrlsPerSitemap))
                {
                    var t = row.Teaser;
                    Url(w, site.Article(t.Slug, t.Id, ReaderViews.Category(t.Category, names).Slug), t.UpdatedAt ?? t.PublishedAt);
                }
                w.WriteEndElement();
            });
        }, cancellationToken);
    }

    /// <summary>Every section and running story readers can open, each with the time of its newest article.</summary>
    public Task<JsonPayload> SectionsAsync(CancellationToken cancellationToken) =>
        cache.GetAsync("sitemap-sections", [ReaderTags.Taxonomy, ListingKey.All], p => 256 + p.Body.Length, async token =>
        {
            var names = await taxonomy.GetAsync(token);
            var now = time.GetUtcNow();
            var categories = names.Categories.Values.Where(c => !c.Retired).OrderBy(c => c.Slug, StringComparer.Ordinal).ToList();
            var events = names.Events.Values.Where(e => !e.Retired).OrderBy(e => e.Slug, StringComparer.Ordinal).ToList();
            var newest = await Task.WhenAll(
                categories.Select(c => NewestAsync(ListingKey.Category(c.Key), now, token))
                    .Concat(events.Select(e => NewestAsync(ListingKey.Event(e.Key), now, token))));
            return Xml(w =>
            {
                w.WriteStartElement("urlset", SitemapNs);
                Url(w, site.Home, newest.Max());
                for (var i = 0; i < categories.Count; i++)
                {
                    Url(w, site.Category(categories[i].Slug), newest[i]);
                }
                for (var i = 0; i < events.Count; i++)
                {
                    Url(w, site.Event(events[i].Slug), newest[categories.Count + i]);
                }
                w.WriteEndElement();
            });
        }, cancellationToken);

    /// <summary>The Google News sitemap: articles of the last two days, newest first, at most 1,000.</summary>
    public Task<JsonPayload> NewsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return cache.GetAsync("sitemap-news", [ListingKey.All, ReaderTags.Taxonomy], p => 256 + p.Body.Length, async token =>
        {
            var rows = await listings.ReadBetweenAsync(ListingKey.All, now - NewsWindow, now.AddTicks(1), 0, NewsLimit, token);
            var names = await taxonomy.GetAsync(token);
            return Xml(w =>
            {
                w.WriteStartElement("urlset", SitemapNs);
                w.WriteAttributeString("xmlns", "news", null, NewsNs);
                foreach (var t in rows.Select(r => r.Teaser))
                {
                    w.WriteStartElement("url", SitemapNs);
                    w.WriteElementString("loc", SitemapNs, site.Article(t.Slug, t.Id, ReaderViews.Category(t.Category, names).Slug).AbsoluteUri);
                    w.WriteStartElement("news", NewsNs);
                    w.WriteStartElement("publication", NewsNs);
                    w.WriteElementString("name", NewsNs, site.Name);
                    w.WriteElementString("language", NewsNs, site.Language);
                    w.WriteEndElement();
                    w.WriteElementString("publication_date", NewsNs, W3c(t.PublishedAt));
                    w.WriteElementString("title", NewsNs, t.Title);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            });
        }, cancellationToken);
    }

    private async Task<DateTimeOffset?> NewestAsync(string listingKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await listings.ReadHeadAsync(listingKey, now, 1, cancellationToken)) is [var row, ..] ? row.Teaser.UpdatedAt ?? row.Teaser.PublishedAt : null;

    private static void Sitemap(XmlWriter w, Uri loc, DateTimeOffset? lastModified) => Entry(w, "sitemap", loc, lastModified);

    private static void Url(XmlWriter w, Uri loc, DateTimeOffset? lastModified) => Entry(w, "url", loc, lastModified);

    /// <summary>A &lt;sitemap&gt; or &lt;url&gt; with its loc and, when known, its lastmod.</summary>
    private static void Entry(XmlWriter w, string element, Uri loc, DateTimeOffset? lastModified)
    {
        w.WriteStartElement(element, SitemapNs);
        w.WriteElementString("loc", SitemapNs, loc.AbsoluteUri);
        if (lastModified is { } at && at > DateTimeOffset.MinValue)
        {
            w.WriteElementString("lastmod", SitemapNs, W3c(at));
        }
        w.WriteEndElement();
    }

    /// <summary>W3C datetime in Vietnam time, to the second: 2026-11-30T08:00:00+07:00.</summary>
    private static string W3c(DateTimeOffset at) => at.ToVietnam().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonPayload Xml(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }
        return JsonPayload.FromBytes(buffer.ToArray(), ContentType);
    }
}
