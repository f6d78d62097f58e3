using Newsroom.Articles;
using Newsroom.Text;

namespace Newsroom.Publishing;

/// <summary>
/// The one write path for articles. Every write touches several partitions (article, slug, listings), so
/// it runs in an order that a crash at any point leaves recoverable: mark the outbox, retract listing rows
/// the new state drops, write the article (optimistic concurrency), add the listing rows it gains, clear
/// the outbox. A listing row is only ever added after its article is stored, and the repair pass finishes
/// whatever an interrupted write left.
/// </summary>
public sealed class ArticleWriter(ArticleStore store, ArticleIndexer indexer, IndexOutbox outbox, TimeProvider time)
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
    public async Task<StoredArticle> CreateAsync(Article article, CancellationToken cancellationToken)
    {
        var slug = await store.ClaimSlugAsync(MakeSlug(article.Title), article.Id, cancellationToken);
        var stored = article with { Slug = slug };
        var etag = await SaveAsync(stored, ifMatch: null, cancellationToken);
        return new StoredArticle(stored, etag);
    }

    /// <summary>
    /// Replaces a stored article whose ETag is <paramref name="ifMatch"/>. A new title claims a new slug; the
    /// old one stays in <see cref="Article.PreviousSlugs"/> and keeps resolving to the article.
    /// </summary>
    public async Task<StoredArticle> UpdateAsync(Article current, Article next, string ifMatch, CancellationToken cancellationToken)
    {
        var wanted = MakeSlug(next.Title);
        if (wanted != current.Slug && !current.Slug.StartsWith(wanted + "-", StringComparison.Ordinal))
        {
            var slug = await store.ClaimSlugAsync(wanted, next.Id, cancellationToken);
            next = next with
            {
                Slug = slug,
                PreviousSlugs = [.. current.PreviousSlugs.Append(current.Slug).Where(s => s != slug).Distinct(StringComparer.Ordinal)],
            };
        }
        else
        {
            next = next with { Slug = current.Slug, PreviousSlugs = current.PreviousSlugs };
        }
        var etag = await SaveAsync(next, ifMatch, cancellationToken);
        return new StoredArticle(next, etag);
    }

    private async Task<string> SaveAsync(Article next, string? ifMatch, CancellationToken cancellationToken)
    {
        var mark = await outbox.MarkAsync(next.Id, time.GetUtcNow(), cancellationToken);
        await Completed(Step.OutboxMarked);
        await indexer.RetractAsync(next, cancellationToken);
        await Completed(Step.ListingsRetracted);
        string etag;
        try
        {
            etag = ifMatch is null
                ? await store.InsertAsync(next, cancellationToken)
                : await store.ReplaceAsync(next, ifMatch, cancellationToken);
        }
        catch (NewsroomException)
        {
            // The article did not change: put back any listing row the retraction took away.
            await indexer.ReindexAsync(next.Id, CancellationToken.None);
            await outbox.ClearAsync(mark, CancellationToken.None);
            throw;
        }
        await Completed(Step.ArticleWritten);
        await indexer.ReindexAsync(next.Id, cancellationToken);
        await Completed(Step.ListingsIndexed);
        await outbox.ClearAsync(mark, cancellationToken);
        return etag;
    }

    private static string MakeSlug(string title)
    {
        var slug = VietnameseText.Slugify(title);
        return slug.Length > 0 ? slug : "bai-viet";
    }
}
