using Microsoft.Extensions.Logging;
using Newsroom.Articles;
using Newsroom.Edge;
using Newsroom.Taxonomy;
using Newsroom.Storage;
using Newsroom.Text;

namespace Newsroom.Publishing;

/// <summary>
/// The one write path for articles. Every write touches several partitions (article, slug, listings), so
/// it runs in an order that a crash at any point leaves recoverable: mark the outbox, retract listing rows
/// the new state drops, write the article (optimistic concurrency), add the listing rows it gains, clear
/// the outbox. A listing row is only ever added after its article is stored, and the repair pass finishes
/// whatever an interrupted write left.
/// </summary>
public sealed class ArticleWriter(ArticleStore store, ArticleSlugs slugs, ArticleIndexer indexer, IndexOutbox outbox, TaxonomyStore taxonomy, EdgePurger edge, TimeProvider time, ILogger<ArticleWriter> log)
{
    /// <summary>The steps of a write, in order; tests fail a write after any of them to prove it recovers.</summary>
    public enum Step
    {
        OutboxMarked,
        ListingsRetracted,
        ArticleWritten,
        ListingsIndexed,
    }

    /// <summary>Fault-injection seam for tests: called after each step.</summary>
    internal Func<Step, Task>? AfterStep { get; set; }

    private Task Completed(Step step) => AfterStep?.Invoke(step) ?? Task.CompletedTask;

    /// <summary>Stores a new article under a fresh slug made from its title; returns it with its ETag.</summary>
    public async Task<StoredArticle> CreateAsync(Article article, CancellationToken cancellationToken, ArticleChange? change = null)
    {
        var claim = await slugs.ClaimAsync(MakeSlug(article.Title), article.Id, cancellationToken);
        var stored = article with { Slug = claim.Slug, Revision = 1 };
        var etag = await SaveClaimingAsync(stored, ifMatch: null, claim, change ?? new ArticleChange(article.Owner ?? Identity.DeskActor.System, "created"), cancellationToken);
        return new StoredArticle(stored, etag);
    }

    /// <summary>
    /// Replaces a stored article whose ETag is <paramref name="ifMatch"/>. The slug follows the title: a new
    /// title claims its own slug (a shorter title its shorter slug). Once readers may have seen the article,
    /// its old slugs stay in <see cref="Article.PreviousSlugs"/> and keep answering with a redirect; a draft
    /// that was never public just gives its old slug back, so retitling a draft piles up no redirects.
    /// </summary>
    public async Task<StoredArticle> UpdateAsync(Article current, Article next, string ifMatch, CancellationToken cancellationToken, ArticleChange? change = null)
    {
        change ??= ArticleChange.Saved;
        var stored = await ReplaceAsync(current, next, ifMatch, change, cancellationToken);
        await PurgeEdgeAsync(current, stored.Article, change);
        return stored;
    }

    /// <summary>
    /// Once the listings show the change, the edge drops what readers were given of the article and its
    /// listings before it (an unpublished article stops being served within about a minute, not after
    /// max-age plus stale-while-revalidate). After the save, so it never fails it.
    /// </summary>
    private async Task PurgeEdgeAsync(Article before, Article after, ArticleChange change)
    {
        if (!EdgePaths.Affects(before, after))
        {
            return;
        }
        try
        {
            var paths = EdgePaths.ForChange(before, after, await taxonomy.GetAsync(CancellationToken.None));
            await edge.RequestAsync(paths, $"article {after.Id} {change.Action}", CancellationToken.None);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e) || e is Azure.RequestFailedException or InvalidDataException)
        {
            // The article is saved: a purge not asked for costs freshness at the edge, never the editor's request.
            PublishingLog.EdgePurgeNotRequested(log, after.Id, e);
        }
    }

    private async Task<StoredArticle> ReplaceAsync(Article current, Article next, string ifMatch, ArticleChange change, CancellationToken cancellationToken)
    {
        next = next with { Revision = current.Revision + 1 };
        var wanted = MakeSlug(next.Title);
        if (current.Slug == wanted || IsNumberedVariant(current.Slug, wanted))
        {
            next = next with { Slug = current.Slug, PreviousSlugs = current.PreviousSlugs };
            return new StoredArticle(next, await SaveAsync(next, ifMatch, change, cancellationToken));
        }

        var claim = await slugs.ClaimAsync(wanted, next.Id, cancellationToken);
        var seenByReaders = current.PublishedAt is { } publishedAt && publishedAt <= time.GetUtcNow();
        var previous = seenByReaders ? current.PreviousSlugs.Append(current.Slug) : current.PreviousSlugs;
        next = next with { Slug = claim.Slug, PreviousSlugs = [.. previous.Where(s => s != claim.Slug).Distinct(StringComparer.Ordinal)] };
        var etag = await SaveClaimingAsync(next, ifMatch, claim, change, cancellationToken);
        if (!seenByReaders)
        {
            await slugs.ReleaseAsync(current.Slug, current.Id, cancellationToken);
        }
        return new StoredArticle(next, etag);
    }

    /// <summary>Saves, and gives a newly claimed slug back if storage refuses the write (a stale If-Match, a taken id).</summary>
    private async Task<string> SaveClaimingAsync(Article next, string? ifMatch, SlugClaim claim, ArticleChange change, CancellationToken cancellationToken)
    {
        try
        {
            return await SaveAsync(next, ifMatch, change, cancellationToken);
        }
        catch (NewsroomException) when (claim.Created)
        {
            await slugs.ReleaseAsync(claim.Slug, claim.ArticleId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>"tin-nong-3" for "tin-nong": the slug a title got because its plain slug was taken.</summary>
    private static bool IsNumberedVariant(string slug, string wanted) =>
        slug.Length > wanted.Length + 1
        && slug.StartsWith(wanted + "-", StringComparison.Ordinal)
        && slug.AsSpan(wanted.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    private async Task<string> SaveAsync(Article next, string? ifMatch, ArticleChange change, CancellationToken cancellationToken)
    {
        var mark = await outbox.MarkAsync(next.Id, time.GetUtcNow(), cancellationToken);
        await Completed(Step.OutboxMarked);
        await indexer.RetractAsync(next, cancellationToken);
        await Completed(Step.ListingsRetracted);
        string etag;
        try
        {
            etag = ifMatch is null
                ? await store.InsertAsync(next, cancellationToken, change)
                : await store.ReplaceAsync(next, ifMatch, cancellationToken, change);
        }
        catch (NewsroomException)
        {
            // The article did not change: put back any listing row the retraction took away.
            await indexer.ReindexAsync(next.Id, CancellationToken.None);
            await outbox.ClearAsync(mark, CancellationToken.None);
            throw;
        }
        try
        {
            await Completed(Step.ArticleWritten);
            await indexer.ReindexAsync(next.Id, cancellationToken);
            await Completed(Step.ListingsIndexed);
            await outbox.ClearAsync(mark, cancellationToken);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            // The article is saved, with its history: the request must not say otherwise (a client told
            // "nothing was changed" would send it again). Its outbox mark stays; the next rebuild re-indexes it.
            PublishingLog.IndexingDeferred(log, next.Id, e);
        }
        return etag;
    }

    private static string MakeSlug(string title)
    {
        var slug = VietnameseText.Slugify(title);
        return slug.Length > 0 ? slug : "bai-viet";
    }
}
