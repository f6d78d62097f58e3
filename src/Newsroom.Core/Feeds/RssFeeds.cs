using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Reading;
using Newsroom.Site;
using Newsroom.Taxonomy;
using Newsroom.Time;

namespace Newsroom.Feeds;

/// <summary>
/// RSS 2.0 feeds of the whole paper, of a section and of a running story, for feed readers and
/// aggregators: the newest <see cref="Items"/> articles of the listing's head (never the archive), each with
/// its link on the public site, a stable guid, pubDate in +0700, summary, byline with position
/// (dc:creator), section and lead photo as an enclosure (a mid-size JPEG rendition, with type and size).
/// </summary>
public sealed class RssFeeds(ListingStore listings, TaxonomyStore taxonomy, PhotoResolver photos, ResponseCache cache, SiteUrls site, TimeProvider time)
{
    public const string ContentType = "application/rss+xml; charset=utf-8";
    public const int Items = 50;
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>The newest articles of the whole paper.</summary>
    public Task<JsonPayload> LatestAsync(CancellationToken cancellationToken) =>
        cache.GetAsync(("rss", ListingKey.All), [ListingKey.All, ReaderTags.Taxonomy], p => 256 + p.Body.Length, async token =>
        {
            var names = await taxonomy.GetAsync(token);
            return await BuildAsync(ListingKey.All, site.Name, site.Home, $"Tin mới nhất của {site.Name}", names, token);
        }, cancellationToken);

    /// <summary>A section's or a running story's feed, or the slug it moved to (a 301 for the caller).</summary>
    public async Task<ListingLookup> SectionAsync(ListingKind kind, string slug, CancellationToken cancellationToken)
    {
        var names = await taxonomy.GetAsync(cancellationToken);
        var (target, key, movedTo) = ListingReader.Find(names, kind, slug);
        if (movedTo is not null)
        {
            return new ListingLookup(null, movedTo);
        }
        return new ListingLookup(await cache.GetAsync(("rss", key), [key, ReaderTags.Taxonomy], p => 256 + p.Body.Length, async token =>
        {
            var (title, link, description) = kind == ListingKind.Category
                ? (names.Categories[target].Name, site.Category(slug), names.Categories[target].Description)
                : (names.Events[target].Name, site.Event(slug), names.Events[target].Description);
            return await BuildAsync(key, $"{title} - {site.Name}", link, description ?? title, names, token);
        }, cancellationToken), null);
    }

    private async Task<JsonPayload> BuildAsync(string listingKey, string title, Uri link, string description, TaxonomySnapshot names, CancellationToken cancellationToken)
    {
        var rows = await listings.ReadHeadAsync(listingKey, time.GetUtcNow(), Items, cancellationToken);
        var teasers = await photos.ResolveAsync(rows.Select(r => r.Teaser), cancellationToken);
        var feed = new SyndicationFeed(title, description, link)
        {
            Language = site.Language,
            // The newest item's time, not the clock: an unchanged feed keeps its bytes and its ETag.
            LastUpdatedTime = teasers.Count > 0 ? teasers.Max(t => t.UpdatedAt ?? t.PublishedAt).ToVietnam() : DateTimeOffset.UnixEpoch.ToVietnam(),
            Items = [.. teasers.Select(t => Item(t, names))],
        };
        feed.AttributeExtensions.Add(new XmlQualifiedName("dc", XNamespace.Xmlns.NamespaceName), Dc.NamespaceName);
        return JsonPayload.FromBytes(Write(feed), ContentType);
    }

    private SyndicationItem Item(Teaser teaser, TaxonomySnapshot names)
    {
        var category = ReaderViews.Category(teaser.Category, names);
        var url = site.Article(teaser.Slug, teaser.Id, category.Slug);
        var item = new SyndicationItem(teaser.Title, teaser.Summary, url, "urn:newsroom:article:" + teaser.Id, (teaser.UpdatedAt ?? teaser.PublishedAt).ToVietnam())
        {
            PublishDate = teaser.PublishedAt.ToVietnam(),
        };
        item.Categories.Add(new SyndicationCategory(category.Name));
        foreach (var author in teaser.Authors)
        {
            item.ElementExtensions.Add(new XElement(Dc + "creator", author.Position is { Length: > 0 } position ? $"{author.Name} ({position})" : author.Name));
        }
        if (Enclosure(teaser.LeadPhoto) is { } photo)
        {
            item.Links.Add(SyndicationLink.CreateMediaEnclosureLink(new Uri(photo.Url), "image/jpeg", photo.Bytes ?? 0));
        }
        return item;
    }

    /// <summary>The JPEG rendition nearest 640 px wide: large enough for a reader's card, small enough to fetch.</summary>
    internal static Rendition? Enclosure(Articles.PhotoRef? photo) =>
        photo?.Renditions?.Where(r => r.Format is "jpg" or "jpeg").OrderBy(r => Math.Abs(r.Width - 640)).ThenByDescending(r => r.Width).FirstOrDefault();

    private static byte[] Write(SyndicationFeed feed)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false).WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
