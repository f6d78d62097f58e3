using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Photos;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.Publishing;

/// <summary>
/// A row an article has (or should have) in one of the indexes kept for it: a public listing (and its head)
/// when <see cref="Index"/> is null, a desk list ("desk"), a photo's record of who uses it ("photo",
/// partition = photo id), or its page ready to serve under one of its slugs ("page", partition = slug).
/// </summary>
public sealed record ListingEntry(string ListingKey, string RowKey)
{
    public const string Desk = "desk";
    public const string Photo = "photo";
    public const string Page = "page";

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Index { get; init; }
}

/// <summary>
/// Keeps the listing partitions in step with the articles, idempotently. Next to each article the
/// indexer keeps an "index" row (same partition as the article) naming every listing row that may exist
/// for it. It widens that record before it writes a listing row and narrows it only after it deleted one,
/// so after a crash at any step the record is a superset of what is in the listings, and running
/// <see cref="ReindexAsync"/> again converges: no orphan rows, no missing ones.
/// </summary>
public sealed class ArticleIndexer(
    StorageClients storage,
    ArticleStore articles,
    ListingStore listings,
    DeskIndex desk,
    PhotoStore photos,
    TaxonomyStore taxonomy,
    PhotoResolver resolver,
    Reading.ArticlePages pages,
    Search.ArticleSearch search)
{
    internal const string IndexRowKey = "index";
    private const string EntriesProperty = "Entries";

    private TableClient Articles => storage.Table(StorageNames.ArticlesTableName);

    /// <summary>
    /// Every index row an article in this state should have: its desk lists (by state, and by state and
    /// author), a usage row on each photo it shows, and, once published or scheduled, its public listings,
    /// a page under each slug it answers to and, when it expires, its place in the expiring list.
    /// </summary>
    public static IReadOnlyList<ListingEntry> DesiredEntries(Article article, TaxonomySnapshot taxonomy)
    {
        var entries = new List<ListingEntry>(ListingEntries(article, taxonomy));
        var deskRow = DeskIndex.RowKey(article);
        entries.Add(new ListingEntry(DeskIndex.Partition(article.Status), deskRow) { Index = ListingEntry.Desk });
        if (article.Owner is { } owner)
        {
            entries.Add(new ListingEntry(DeskIndex.Partition(article.Status, owner.Id), deskRow) { Index = ListingEntry.Desk });
        }
        entries.AddRange(PhotoIds(article).Select(photo => new ListingEntry(photo, PhotoStore.UsageRowKey(article.Id)) { Index = ListingEntry.Photo }));
        if (article.Status is ArticleStatus.Published or ArticleStatus.Scheduled && article.PublishedAt is not null)
        {
            if (article.ExpireAt is { } expireAt)
            {
                entries.Add(new ListingEntry(DeskIndex.Expiring, DeskIndex.ExpiringRowKey(expireAt, article.Id)) { Index = ListingEntry.Desk });
            }
            entries.AddRange(article.PreviousSlugs.Prepend(article.Slug).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)
                .Select(slug => new ListingEntry(slug, Reading.ArticlePages.RowKey) { Index = ListingEntry.Page }));
        }
        return entries;
    }

    /// <summary>The photos an article shows: its lead photo and its image blocks.</summary>
    public static IEnumerable<string> PhotoIds(Article article) =>
        article.Blocks.OfType<ImageBlock>().Select(b => b.PhotoId).Prepend(article.LeadPhoto?.PhotoId)
            .OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>The public listing rows: none unless published or scheduled.</summary>
    public static IReadOnlyList<ListingEntry> ListingEntries(Article article, TaxonomySnapshot taxonomy)
    {
        if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled) || article.PublishedAt is not { } publishedAt)
        {
            return [];
        }
        var rowKey = ListingKey.RowKey(publishedAt, article.Id);
        var keys = new List<string> { ListingKey.All };
        // A sub-section's article also appears in its parent sections.
        keys.AddRange(taxonomy.SelfAndAncestors(article.Category).Select(c => ListingKey.Category(c.Key)));
        if (keys.Count == 1)
        {
            keys.Add(ListingKey.Category(article.Category));
        }
        keys.AddRange(article.Events.Distinct(StringComparer.Ordinal).Select(ListingKey.Event));
        keys.AddRange(article.Columns.Distinct(StringComparer.Ordinal).Select(ListingKey.Column));
        if (article.Legal is { } legal)
        {
            keys.AddRange(Legal.LegalDocuments.ListingKeys(legal));
        }
        if (article.Blocks.Any(b => b is VideoBlock))
        {
            keys.Add(ListingKey.Videos);
        }
        return [.. keys.Distinct(StringComparer.Ordinal).Select(k => new ListingEntry(k, rowKey))];
    }

    /// <summary>
    /// Deletes the listing rows that <paramref name="next"/> will not have (before the article is written), and its
    /// pages ready to serve whatever the change: until the indexing after the write puts them back, readers are
    /// served from the article itself, so an edit that removes text is never undone by indexing cut short.
    /// </summary>
    public async Task RetractAsync(Article next, CancellationToken cancellationToken)
    {
        if (Search.ArticleSearch.DocumentFor(next) is null)
        {
            // Leaving the public side: out of search before the article says so, like its listing rows.
            await search.SyncAsync(next.Id, null, cancellationToken);
        }
        var desired = DesiredEntries(next, await taxonomy.GetAsync(cancellationToken));
        var (recorded, etag) = await ReadRecordAsync(next.Id, cancellationToken);
        var stale = recorded.Except(desired).ToList();
        await Task.WhenAll(stale.Union(recorded.Where(e => e.Index == ListingEntry.Page)).Select(e => DeleteAsync(next.Id, e, cancellationToken)));
        if (stale.Count > 0)
        {
            // Pages still wanted stay on record: the record may name more than exists, never less.
            await TryWriteRecordAsync(next.Id, [.. recorded.Intersect(desired)], etag, cancellationToken);
        }
    }

    /// <summary>Brings the listings in line with the stored article, which it returns (null: none). Safe to run any number of times.</summary>
    public async Task<Article?> ReindexAsync(string articleId, CancellationToken cancellationToken)
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
                // What readers are served is kept with its ready photos resolved, so serving it reads nothing more.
                var served = desired.Any(e => e.Index is null or ListingEntry.Page) ? await resolver.ForStorageAsync(ForReaders(stored.Article), cancellationToken) : null;
                var teaser = desired.Any(e => e.Index is null) ? Teaser.From(stored.Article) with { LeadPhoto = served!.LeadPhoto } : null;
                var deskTeaser = DeskTeaser.From(stored.Article);
                await Task.WhenAll(desired.Select(e => e.Index switch
                {
                    null => listings.UpsertAsync(e.ListingKey, e.RowKey, teaser!, cancellationToken),
                    ListingEntry.Desk => desk.UpsertAsync(e.ListingKey, e.RowKey, deskTeaser, cancellationToken),
                    ListingEntry.Page => pages.UpsertAsync(e.ListingKey, served!, cancellationToken),
                    _ => photos.UpsertUsageAsync(e.ListingKey, stored.Article, cancellationToken),
                }));
            }
            var stale = widened.Except(desired).ToList();
            await Task.WhenAll(stale.Select(e => DeleteAsync(articleId, e, cancellationToken)));

            // 3. Narrow the record to what now exists.
            if (stale.Count > 0 && etag is not null)
            {
                await TryWriteRecordAsync(articleId, desired, etag, cancellationToken);
            }

            // 4. Search, from the same stored article (idempotent: an upsert or a delete by id).
            await search.SyncAsync(articleId, stored?.Article, cancellationToken);
            return stored?.Article;
        }
    }

    private Task DeleteAsync(string articleId, ListingEntry entry, CancellationToken cancellationToken) => entry.Index switch
    {
        null => listings.DeleteAsync(entry.ListingKey, entry.RowKey, cancellationToken),
        ListingEntry.Desk => desk.DeleteAsync(entry.ListingKey, entry.RowKey, cancellationToken),
        ListingEntry.Page => pages.DeleteAsync(entry.ListingKey, articleId, cancellationToken),
        _ => photos.DeleteUsageAsync(entry.ListingKey, entry.RowKey, cancellationToken),
    };

    /// <summary>The article without what only the desk sees (who owns it, an editor's return note).</summary>
    private static Article ForReaders(Article article) => article with { Owner = null, ReturnNote = null };

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
