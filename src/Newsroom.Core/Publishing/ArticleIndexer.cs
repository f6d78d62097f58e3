using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.Publishing;

/// <summary>A row an article has (or should have) in a listing partition.</summary>
public sealed record ListingEntry(string ListingKey, string RowKey);

/// <summary>
/// Keeps the listing partitions in step with the articles, idempotently. Next to each article the
/// indexer keeps an "index" row (same partition as the article) naming every listing row that may exist
/// for it. It widens that record before it writes a listing row and narrows it only after it deleted one,
/// so after a crash at any step the record is a superset of what is in the listings, and running
/// <see cref="ReindexAsync"/> again converges: no orphan rows, no missing ones.
/// </summary>
public sealed class ArticleIndexer(StorageClients storage, ArticleStore articles, ListingStore listings, TaxonomyStore taxonomy)
{
    internal const string IndexRowKey = "index";
    private const string EntriesProperty = "Entries";

    private TableClient Articles => storage.Table(StorageNames.ArticlesTableName);

    /// <summary>The listing rows an article in this state should have: none unless published or scheduled.</summary>
    public static IReadOnlyList<ListingEntry> DesiredEntries(Article article, TaxonomySnapshot taxonomy)
    {
        if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled) || article.PublishedAt is not { } publishedAt)
        {
            return [];
        }
        var rowKey = ListingKey.RowKey(publishedAt, article.Id);
        var keys = new List<string> { ListingKey.All };
        // A sub-section's article also appears in its parent sections.
        keys.AddRange(taxonomy.SelfAndAncestors(article.Category).Select(c => ListingKey.Category(c.Slug)));
        if (keys.Count == 1)
        {
            keys.Add(ListingKey.Category(article.Category));
        }
        keys.AddRange(article.Events.Distinct(StringComparer.Ordinal).Select(ListingKey.Event));
        if (article.Blocks.Any(b => b is VideoBlock))
        {
            keys.Add(ListingKey.Videos);
        }
        return [.. keys.Distinct(StringComparer.Ordinal).Select(k => new ListingEntry(k, rowKey))];
    }

    /// <summary>Deletes the listing rows that <paramref name="next"/> will not have (before the article is written).</summary>
    public async Task RetractAsync(Article next, CancellationToken cancellationToken)
    {
        var desired = DesiredEntries(next, await taxonomy.GetAsync(cancellationToken));
        var (recorded, etag) = await ReadRecordAsync(next.Id, cancellationToken);
        var stale = recorded.Except(desired).ToList();
        if (stale.Count == 0)
        {
            return;
        }
        await Task.WhenAll(stale.Select(e => listings.DeleteAsync(e.ListingKey, e.RowKey, cancellationToken)));
        await TryWriteRecordAsync(next.Id, [.. recorded.Intersect(desired)], etag, cancellationToken);
    }

    /// <summary>Brings the listings in line with the stored article. Safe to run any number of times.</summary>
    public async Task ReindexAsync(string articleId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await articles.GetAsync(articleId, cancellationToken);
            var desired = stored is null ? [] : DesiredEntries(stored.Article, await taxonomy.GetAsync(cancellationToken));
            var (recorded, etag) = await ReadRecordAsync(articleId, cancellationToken);

            // 1. Record everything that may exist once the upserts below have run.
            var widened = recorded.Union(desired).ToList();
            if (!widened.SequenceEqual(recorded))
            {
                etag = await TryWriteRecordAsync(articleId, widened, etag, cancellationToken);
                if (etag is null && attempt < 5)
                {
                    continue; // Someone else is indexing this article: start over from what they recorded.
                }
            }

            // 2. Write the rows it should have, delete the ones it should not.
            if (stored is not null && desired.Count > 0)
            {
                var teaser = Teaser.From(stored.Article);
                await Task.WhenAll(desired.Select(e => listings.UpsertAsync(e.ListingKey, e.RowKey, teaser, cancellationToken)));
            }
            var stale = widened.Except(desired).ToList();
            await Task.WhenAll(stale.Select(e => listings.DeleteAsync(e.ListingKey, e.RowKey, cancellationToken)));

            // 3. Narrow the record to what now exists.
            if (stale.Count > 0 && etag is not null)
            {
                await TryWriteRecordAsync(articleId, desired, etag, cancellationToken);
            }
            return;
        }
    }

    private async Task<(IReadOnlyList<ListingEntry> Entries, ETag? ETag)> ReadRecordAsync(string articleId, CancellationToken cancellationToken)
    {
        var response = await Articles.GetEntityIfExistsAsync<TableEntity>(articleId, IndexRowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return ([], null);
        }
        var entries = JsonSerializer.Deserialize<ListingEntry[]>(entity.GetString(EntriesProperty) ?? "[]", NewsroomJson.Stored) ?? [];
        return (entries, entity.ETag);
    }

    /// <summary>Writes the record if nobody changed it since we read it; returns the new ETag, or null on a race.</summary>
    private async Task<ETag?> TryWriteRecordAsync(string articleId, IReadOnlyList<ListingEntry> entries, ETag? etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(articleId, IndexRowKey)
        {
            [EntriesProperty] = JsonSerializer.Serialize(entries, NewsroomJson.Stored),
        };
        try
        {
            var response = etag is { } current
                ? await Articles.UpdateEntityAsync(entity, current, TableUpdateMode.Replace, cancellationToken)
                : await Articles.AddEntityAsync(entity, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }
}
