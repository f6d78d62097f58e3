using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Taxonomy;
using Newsroom.Text;

namespace Newsroom.Reading;

/// <summary>What a slug leads to: the rendered article, or the slug it now lives under.</summary>
public sealed record ArticleLookup(JsonPayload? Article, string? MovedTo);

/// <summary>
/// The public article page. Two point reads (slug → id → article) and a head read of each related listing,
/// rendered once to bytes with an ETag and kept in memory (<see cref="ResponseCache"/>), misses included, so
/// a burst of readers on one story costs storage one read, and a stall of storage costs readers nothing.
/// </summary>
public sealed class ArticleReader(
    ArticleStore articles,
    ArticleSlugs slugs,
    ListingStore listings,
    TaxonomyStore taxonomy,
    PhotoResolver photos,
    ResponseCache cache,
    Site.SiteUrls site,
    IOptions<ReaderOptions> options,
    TimeProvider time)
{
    private static readonly ArticleLookup Missing = new(null, null);

    /// <summary>The article a reader may see under <paramref name="slug"/>; <see cref="NotFoundException"/> otherwise.</summary>
    public async Task<ArticleLookup> GetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!VietnameseText.IsSlug(slug))
        {
            throw NotFound(slug);
        }
        var lookup = await cache.GetAsync(("article", slug), [ReaderTags.Slug(slug), ReaderTags.Taxonomy],
            l => 256 + (l.Article?.Body.Length ?? 0), token => LoadAsync(slug, token), cancellationToken);
        return lookup == Missing ? throw NotFound(slug) : lookup;
    }

    private async Task<ArticleLookup> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = await slugs.FindIdAsync(slug, cancellationToken);
        var stored = id is null ? null : await articles.GetAsync(id, cancellationToken);
        if (stored?.Article is not { } article || !article.IsPublicAt(now))
        {
            return Missing;
        }
        if (article.Slug != slug)
        {
            // Only a slug the article itself names leads to it: a claim left by a failed write leads nowhere.
            return article.PreviousSlugs.Contains(slug) ? new ArticleLookup(null, article.Slug) : Missing;
        }
        return new ArticleLookup(JsonPayload.From(await RenderAsync(article, now, cancellationToken)), null);
    }

    /// <summary>
    /// The article as readers get it, in any state: photos resolved, "Tin cùng sự kiện" and "Các tin khác" filled
    /// from the listing heads as of <paramref name="now"/>. The desk's preview shows exactly this.
    /// </summary>
    public async Task<ArticleView> RenderAsync(Article article, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = await taxonomy.GetAsync(cancellationToken);
        var sameEvent = await SameEventAsync(article, now, cancellationToken);
        var exclude = sameEvent.Select(t => t.Id).Append(article.Id).ToHashSet(StringComparer.Ordinal);
        var otherNews = await photos.ResolveAsync(
            (await listings.ReadHeadAsync(ListingKey.Category(article.Category), now, options.Value.OtherNewsCount + exclude.Count, cancellationToken))
                .Select(r => r.Teaser)
                .Where(t => !exclude.Contains(t.Id))
                .Take(options.Value.OtherNewsCount),
            cancellationToken);
        var sameEventResolved = await photos.ResolveAsync(sameEvent, cancellationToken);
        var blocks = await photos.ResolveAsync(article.Blocks, cancellationToken);
        var lead = await photos.ResolveAsync(article.LeadPhoto, cancellationToken);

        return new ArticleView(
            article.Id, article.Slug, article.Title, article.Summary, blocks, article.Authors,
            ReaderViews.Category(article.Category, names),
            [.. article.Events.Select(e => ReaderViews.Event(e, names))],
            article.Tags, lead, article.PublishedAt ?? article.PublishAt ?? now, article.UpdatedAt,
            [.. sameEventResolved.Select(t => TeaserView.From(t, names))],
            [.. otherNews.Select(t => TeaserView.From(t, names))])
        {
            Corrections = article.Corrections,
            Url = site.Article(article.Slug, article.Id, ReaderViews.Category(article.Category, names).Slug),
            Publisher = new Publisher(site.Name, site.Home, site.Logo),
        };
    }

    /// <summary>"Tin cùng sự kiện": the newest articles of the article's events, merged, itself excluded.</summary>
    private async Task<IReadOnlyList<Teaser>> SameEventAsync(Article article, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = options.Value.SameEventCount;
        if (article.Events.Count == 0 || count == 0)
        {
            return [];
        }
        var heads = await Task.WhenAll(article.Events.Distinct(StringComparer.Ordinal).Take(5)
            .Select(e => listings.ReadHeadAsync(ListingKey.Event(e), now, count + 1, cancellationToken)));
        return [.. heads.SelectMany(rows => rows)
            .Select(r => r.Teaser)
            .Where(t => t.Id != article.Id)
            .DistinctBy(t => t.Id)
            .OrderByDescending(t => t.PublishedAt)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .Take(count)];
    }

    private static NotFoundException NotFound(string slug) =>
        new($"No published article has the slug '{slug}'. Check the link, or find the article through its category listing.");
}
