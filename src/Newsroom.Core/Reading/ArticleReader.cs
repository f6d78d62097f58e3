using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Taxonomy;
using Newsroom.Text;

namespace Newsroom.Reading;

/// <summary>
/// What a slug leads to: the rendered article (readers may see it until <see cref="ExpireAt"/>), or the slug it
/// now lives under.
/// </summary>
public sealed record ArticleLookup(JsonPayload? Article, string? MovedTo)
{
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>The article's legal record, if it is a legal document (GET /api/legal-documents/{slug} serves it too).</summary>
    public LegalDocument? Legal { get; init; }
}

/// <summary>
/// The public article page. A cache miss reads the slug's page row, where the article waits ready to serve
/// (<see cref="ArticlePages"/>), while the taxonomy comes from memory; then the heads of the listings its
/// "Tin cùng sự kiện" and "Các tin khác" come from, which are themselves held in memory and shared by every
/// article of the same section or event. So a miss costs one storage request once the heads are warm, and at
/// most two round trips when nothing is. The rendered bytes, with an ETag, are kept in memory
/// (<see cref="ResponseCache"/>), misses included, so a burst of readers on one story costs storage one read,
/// and a stall of storage costs readers nothing.
/// </summary>
public sealed class ArticleReader(
    ArticleStore articles,
    ArticleSlugs slugs,
    ArticlePages pages,
    ListingStore listings,
    TaxonomyStore taxonomy,
    PhotoResolver photos,
    ResponseCache cache,
    Site.SiteUrls site,
    IOptions<ReaderOptions> options,
    TimeProvider time)
{
    private static readonly ArticleLookup Missing = new(null, null);
    private static readonly ArticleLookup Expired = new(null, null) { ExpireAt = DateTimeOffset.MinValue };

    /// <summary>
    /// The article a reader may see under <paramref name="slug"/>; <see cref="GoneException"/> once it has expired
    /// (a copy held in memory included), <see cref="NotFoundException"/> otherwise.
    /// </summary>
    public async Task<ArticleLookup> GetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!VietnameseText.IsSlug(slug))
        {
            throw NotFound(slug);
        }
        var lookup = await cache.GetAsync(("article", slug), [ReaderTags.Slug(slug), ReaderTags.Taxonomy],
            l => 256 + (l.Article?.Body.Length ?? 0), token => LoadAsync(slug, token), cancellationToken);
        return lookup == Missing ? throw NotFound(slug)
            : lookup.ExpireAt <= time.GetUtcNow() ? throw new GoneException(
                $"The article '{slug}' has expired and is no longer published (a job notice past its deadline, or a notice past its date). Its category listing has the current ones.")
            : lookup;
    }

    private async Task<ArticleLookup> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var names = taxonomy.GetAsync(cancellationToken); // from memory, or read beside the page
        var page = await pages.GetAsync(slug, cancellationToken);
        await names;
        if (page is { Article: not null } or { MovedTo: not null })
        {
            if (page.PublicFrom > now)
            {
                return Missing;
            }
            return page.MovedTo is { } movedTo ? new ArticleLookup(null, movedTo)
                : page.Article!.IsExpiredAt(now) ? Expired
                : Rendered(page.Article, await ComposeAsync(page.Article, now, SharedHeadAsync, cancellationToken));
        }

        // No page kept for this slug (an article indexed before pages existed, or too large for one): the article itself.
        var id = await slugs.FindIdAsync(slug, cancellationToken);
        var stored = id is null ? null : await articles.GetAsync(id, cancellationToken);
        if (stored?.Article is not { } article || article.Slug != slug && !article.PreviousSlugs.Contains(slug))
        {
            // Only a slug the article itself names leads to it: a claim left by a failed write leads nowhere.
            return Missing;
        }
        if (article.PublishedAt <= now && article.IsExpiredAt(now) && article.Status is ArticleStatus.Published or ArticleStatus.Scheduled or ArticleStatus.Expired)
        {
            return Expired;
        }
        if (!article.IsPublicAt(now))
        {
            return Missing;
        }
        return article.Slug != slug ? new ArticleLookup(null, article.Slug) : Rendered(article, await RenderAsync(article, now, cancellationToken));
    }

    private static ArticleLookup Rendered(Article article, ArticleView view) =>
        new(JsonPayload.From(view), null) { ExpireAt = article.ExpireAt, Legal = article.Legal };

    /// <summary>
    /// The article as readers get it, in any state: photos resolved, "Tin cùng sự kiện" and "Các tin khác" filled
    /// from the listing heads as of <paramref name="now"/>, read afresh. The desk's preview shows exactly this.
    /// </summary>
    public Task<ArticleView> RenderAsync(Article article, DateTimeOffset now, CancellationToken cancellationToken) =>
        ComposeAsync(article, now, (key, token) => ReadHeadAsync(key, now, token), cancellationToken);

    /// <summary>How many teasers of a listing's head an article page may need: other news after the same-event ones and itself.</summary>
    private int HeadSize => options.Value.OtherNewsCount + options.Value.SameEventCount + 1;

    /// <summary>A listing's head as article pages show it, held in memory and shared by them, dropped when the listing changes.</summary>
    private Task<IReadOnlyList<Teaser>> SharedHeadAsync(string listingKey, CancellationToken cancellationToken) =>
        cache.GetSharedAsync(("head", listingKey), [listingKey], head => 512L * (head.Count + 1),
            token => ReadHeadAsync(listingKey, time.GetUtcNow(), token), cancellationToken);

    private async Task<IReadOnlyList<Teaser>> ReadHeadAsync(string listingKey, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        await photos.ResolveAsync((await listings.ReadHeadAsync(listingKey, asOf, HeadSize, cancellationToken)).Select(r => r.Teaser), cancellationToken);

    private async Task<ArticleView> ComposeAsync(Article article, DateTimeOffset now,
        Func<string, CancellationToken, Task<IReadOnlyList<Teaser>>> head, CancellationToken cancellationToken)
    {
        var names = taxonomy.GetAsync(cancellationToken);
        var categoryHead = head(ListingKey.Category(article.Category), cancellationToken);
        var eventHeads = Task.WhenAll(options.Value.SameEventCount == 0 ? [] :
            article.Events.Distinct(StringComparer.Ordinal).Take(5).Select(e => head(ListingKey.Event(e), cancellationToken)));
        var blocks = photos.ResolveAsync(article.Blocks, cancellationToken);
        var lead = photos.ResolveAsync(article.LeadPhoto, cancellationToken);

        var sameEvent = SameEvent(article, await eventHeads, now);
        var exclude = sameEvent.Select(t => t.Id).Append(article.Id).ToHashSet(StringComparer.Ordinal);
        var otherNews = (await categoryHead)
            .Where(t => !exclude.Contains(t.Id) && t.PublishedAt <= now)
            .Take(options.Value.OtherNewsCount);
        var taxonomyNow = await names;
        var category = ReaderViews.Category(article.Category, taxonomyNow);

        return new ArticleView(
            article.Id, article.Slug, article.Title, article.Summary, await blocks, article.Authors,
            category,
            [.. article.Events.Select(e => ReaderViews.Event(e, taxonomyNow))],
            article.Tags, await lead, article.PublishedAt ?? article.PublishAt ?? now, article.UpdatedAt,
            [.. sameEvent.Select(t => TeaserView.From(t, taxonomyNow))],
            [.. otherNews.Select(t => TeaserView.From(t, taxonomyNow))])
        {
            Corrections = article.Corrections,
            Columns = [.. article.Columns.Select(c => ReaderViews.Column(c, taxonomyNow))],
            Url = site.Article(article.Slug, article.Id, category.Slug),
            Publisher = new Publisher(site.Name, site.Home, site.Logo),
            ExpireAt = article.ExpireAt,
            Job = article.Job,
            Legal = Newsroom.Legal.LegalDocuments.ForReaders(article.Legal, article.Slug),
        };
    }

    /// <summary>"Tin cùng sự kiện": the newest articles of the article's events, merged, itself excluded.</summary>
    private IReadOnlyList<Teaser> SameEvent(Article article, IEnumerable<IReadOnlyList<Teaser>> heads, DateTimeOffset now) =>
        [.. heads.SelectMany(teasers => teasers)
            .Where(t => t.Id != article.Id && t.PublishedAt <= now)
            .DistinctBy(t => t.Id)
            .OrderByDescending(t => t.PublishedAt)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .Take(options.Value.SameEventCount)];

    private static NotFoundException NotFound(string slug) =>
        new($"No published article has the slug '{slug}'. Check the link, or find the article through its category listing.");
}
