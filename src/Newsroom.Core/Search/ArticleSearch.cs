using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Taxonomy;
using Newsroom.Time;

namespace Newsroom.Search;

/// <summary>One result: the teaser readers know from listings, and where the query's words are in its title and snippet.</summary>
public sealed record SearchItem(
    string Id,
    string Slug,
    string Title,
    string Summary,
    DateTimeOffset PublishedAt,
    CategoryRef Category,
    PhotoRef? LeadPhoto,
    IReadOnlyList<TextRange> TitleHighlights,
    string Snippet,
    IReadOnlyList<TextRange> SnippetHighlights)
{
    /// <summary>Who is hiring and until when, on a job notice.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JobNotice? Job { get; init; }

    /// <summary>Number, type, issuer and dates, on a legal document.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public LegalDocument? Legal { get; init; }
}

public sealed record SearchPage(IReadOnlyList<SearchItem> Items, long Total, string? NextCursor);

/// <summary>
/// Readers' search: checks what they sent, asks the engine (Lucene in the process, or Azure AI Search), and
/// answers with teasers and highlight ranges. The index is kept by the same at-least-once indexing path as
/// the listings (<see cref="SyncAsync"/>, from the article indexer), and can be rebuilt from the tables.
/// </summary>
public sealed class ArticleSearch(
    ISearchEngine engine,
    ArticleStore articles,
    Desk.DeskIndex desk,
    TaxonomyStore taxonomy,
    PhotoResolver photos,
    Microsoft.Extensions.Options.IOptions<SearchEngineOptions> options,
    Microsoft.Extensions.Options.IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    IEnumerable<ISearchSource> sources,
    ILogger<ArticleSearch> log) : IDisposable
{
    /// <summary>Writes in flight when a catch-up starts may land with an earlier time: look back this far.</summary>
    private static readonly TimeSpan CatchUpOverlap = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private DateTimeOffset? _caughtUpTo;
    private Task? _firstFill;

    /// <summary>What the index holds of an article readers may see (or will, when scheduled); null otherwise.</summary>
    public static SearchDocument? DocumentFor(Article article)
    {
        if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled) || article.PublishedAt is not { } publishedAt)
        {
            return null;
        }
        var body = string.Join("\n", article.Blocks.Select(b => b switch
        {
            HeadingBlock h => h.Text,
            ParagraphBlock p => p.Text,
            QuoteBlock q => q.Text,
            ImageBlock i => i.Caption,
            _ => null,
        }).Prepend(article.Legal is { } legal ? Legal.LegalDocuments.SearchText(legal) : null) // a document is found by its number as written
          .Where(t => !string.IsNullOrWhiteSpace(t)));
        return new SearchDocument(article.Id, article.Slug, article.Title, article.Summary, body, article.Category, article.Events, publishedAt)
        {
            Teaser = JsonSerializer.Serialize(Teaser.From(article), NewsroomJson.Stored),
            ExpireAt = article.ExpireAt,
        };
    }

    /// <summary>Brings the index in line with the article as stored (null: gone). Idempotent.</summary>
    public Task SyncAsync(string articleId, Article? article, CancellationToken cancellationToken) =>
        article is not null && DocumentFor(article) is { } document
            ? engine.UpsertAsync([document], cancellationToken)
            : engine.DeleteAsync([articleId], cancellationToken);

    /// <summary>
    /// Syncs every article whose last change is newer than the previous catch-up (on an instance's first, for
    /// the in-process engine, every article: its index starts empty), from the desk lists, which every
    /// state change and save re-files under its time. Writes made by another process (the local host's demo
    /// seeder, the admin tool, another instance) reach an in-process index this way within one timer period;
    /// for the managed engine it repairs anything a crash left. Returns how many articles it synced.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _catchUp.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetUtcNow();
            var since = _caughtUpTo is { } last ? last - CatchUpOverlap
                : options.Value.InProcess ? DateTimeOffset.MinValue : started - TimeSpan.FromHours(1);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var status in Enum.GetValues<ArticleStatus>())
            {
                ids.UnionWith(await desk.ChangedSinceAsync(status, since, cancellationToken));
            }
            var gone = new List<string>();
            await IndexAsync(ids.ToAsyncEnumerable(), gone, cancellationToken);
            if (gone.Count > 0)
            {
                await engine.DeleteAsync(gone, cancellationToken);
            }
            var synced = ids.Count;
            foreach (var source in sources)
            {
                synced += await source.CatchUpAsync(since, cancellationToken);
            }
            if (_caughtUpTo is null && synced > 0)
            {
                await engine.CompactAsync(cancellationToken); // the first fill loaded the whole archive
            }
            _caughtUpTo = started;
            return synced;
        }
        finally
        {
            _catchUp.Release();
        }
    }

    public void Dispose() => _catchUp.Dispose();

    /// <summary>
    /// Fills the index again from the articles table and the other sources (print pages), then removes what no longer
    /// belongs in it; how many documents it indexed. The index keeps answering throughout (nothing is emptied first), and an article published while
    /// the rebuild runs is not taken out: a document is only removed once its article, read again, says so.
    /// </summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        var indexed = await IndexAsync(articles.IdsAsync(null, 1000, cancellationToken), gone: null, cancellationToken);
        var articleCount = indexed.Count;
        foreach (var source in sources)
        {
            indexed.UnionWith(await source.RebuildAsync(cancellationToken));
        }
        var stale = new List<string>();
        foreach (var id in (await engine.IdsAsync(cancellationToken)).Where(id => !indexed.Contains(id)))
        {
            var keep = sources.FirstOrDefault(s => s.Owns(id)) is { } source
                ? await source.KeepsAsync(id, cancellationToken)
                : await articles.GetAsync(id, cancellationToken) is { } stored && DocumentFor(stored.Article) is not null;
            if (!keep)
            {
                stale.Add(id);
            }
        }
        if (stale.Count > 0)
        {
            await engine.DeleteAsync(stale, cancellationToken);
        }
        await engine.CompactAsync(cancellationToken);
        SearchLog.Rebuilt(log, articleCount, indexed.Count - articleCount);
        return indexed.Count;
    }

    /// <summary>
    /// Indexes the articles of <paramref name="ids"/> that readers may see, 500 to a write (one commit each for the
    /// in-process engine, where a write per article left a segment per article); the ids it indexed. The others go to
    /// <paramref name="gone"/> when given.
    /// </summary>
    private async Task<HashSet<string>> IndexAsync(IAsyncEnumerable<string> ids, List<string>? gone, CancellationToken cancellationToken)
    {
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<SearchDocument>(500);
        await foreach (var id in ids)
        {
            if (await articles.GetAsync(id, cancellationToken) is { } stored && DocumentFor(stored.Article) is { } document)
            {
                batch.Add(document);
                indexed.Add(id);
                if (batch.Count == 500)
                {
                    await engine.UpsertAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
            else
            {
                gone?.Add(id);
            }
        }
        if (batch.Count > 0)
        {
            await engine.UpsertAsync(batch, cancellationToken);
        }
        return indexed;
    }

    /// <summary>
    /// An in-process index starts empty: the first searches of an instance wait for it to be filled from the tables,
    /// but no longer than a reader's deadline (a large archive keeps filling behind them).
    /// </summary>
    public async Task ReadyAsync(CancellationToken cancellationToken)
    {
        if (_caughtUpTo is null && options.Value.InProcess)
        {
            var fill = LazyInitializer.EnsureInitialized(ref _firstFill, () => Task.Run(() => CatchUpAsync(CancellationToken.None)));
            await Task.WhenAny(fill, Task.Delay(TimeSpan.FromSeconds(storageOptions.Value.ReadDeadlineSeconds), time, cancellationToken));
        }
    }

    /// <summary>A page of results for the raw query parameters; anything wrong is a 400 that says what to send.</summary>
    public async Task<JsonPayload> SearchAsync(
        string? q, string? category, string? @event, string? from, string? to, string? sort, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var text = SearchParameters.Text(q);
        var names = await taxonomy.GetAsync(cancellationToken);
        // A section's search takes in its sub-sections, as its listing does.
        var categoryKeys = category is { Length: > 0 } c
            ? names.FindCategory(c)?.Key is { } key
                ? names.Categories.Keys.Where(k => names.SelfAndAncestors(k).Any(a => a.Key == key)).Order(StringComparer.Ordinal).ToList()
                : throw new BadRequestException($"There is no category '{c}'. GET /api/categories lists them.")
            : null;
        var eventKey = @event is { Length: > 0 } e
            ? names.FindEvent(e)?.Key ?? throw new BadRequestException($"There is no event '{e}'. GET /api/events lists them.")
            : null;
        var fromInstant = Date(from, "from");
        var toInstant = Date(to, "to")?.AddDays(1).AddTicks(-1);
        if (fromInstant > toInstant)
        {
            throw new BadRequestException($"from ({from}) is after to ({to}).");
        }
        var order = SearchParameters.Sort(sort);
        var take = SearchParameters.Limit(limit);
        var offset = SearchParameters.Offset(cursor);
        await ReadyAsync(cancellationToken);
        var results = await engine.SearchAsync(new SearchQuery(text, categoryKeys, eventKey, fromInstant, toInstant, order, take, offset), time.GetUtcNow(), cancellationToken);
        var teasers = results.Hits.Select(h => JsonSerializer.Deserialize<Teaser>(h.Teaser ?? "null", NewsroomJson.Stored)).ToList();
        var resolved = await photos.ResolveAsync(teasers.OfType<Teaser>(), cancellationToken);
        var byId = resolved.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var items = results.Hits
            .Where(h => byId.ContainsKey(h.Id))
            .Select(h =>
            {
                var t = byId[h.Id];
                return new SearchItem(t.Id, t.Slug, t.Title, t.Summary, t.PublishedAt.ToVietnam(), ReaderViews.Category(t.Category, names), t.LeadPhoto,
                    h.TitleHighlights, h.Snippet, h.SnippetHighlights)
                {
                    Job = t.Job,
                    Legal = Newsroom.Legal.LegalDocuments.ForReaders(t.Legal, t.Slug),
                };
            })
            .ToList();
        return JsonPayload.From(new SearchPage(items, results.Total, SearchParameters.Next(offset, take, results.Total)));
    }

    private static DateTimeOffset? Date(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? VietnamTime.FromWallClock(date)
            : throw new BadRequestException($"{name} '{value}' must be a date written yyyy-MM-dd (Vietnam time), e.g. 2026-11-30.");
    }
}
