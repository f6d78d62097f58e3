using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Azure;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using Microsoft.Extensions.Logging;

namespace Newsroom.Search;

/// <summary>
/// The managed search engine (Azure AI Search) for deployments that scale out: every instance queries the
/// same service. The index analyzes text the way <see cref="LuceneSearchEngine"/> does (the same word rule,
/// lower case, each word kept as typed and folded at one position), the query is built from the same
/// <see cref="SearchQueryParser"/>, and ranking uses the same weights, so both engines answer alike.
/// </summary>
/// <remarks>
/// The client is built with a TokenCredential (managed identity): the service has local (key) auth
/// disabled. Changing the analyzer of an existing index is refused by the service; a new analysis means a
/// new index name and a full rebuild.
/// </remarks>
public sealed class AzureSearchEngine(SearchIndexClient indexClient, string indexName, ILogger<AzureSearchEngine> logger) : ISearchEngine
{
    public const string AnalyzerName = "newsroom_vi";
    public const string TokenizerName = "newsroom_words";
    public const string FoldingFilterName = "newsroom_fold";
    public const string ScoringProfileName = "newsroom";

    /// <summary>The kind field's value on a page of a print issue (articles have none).</summary>
    public const string PrintPageKind = "print";

    /// <summary>The word rule of <see cref="SearchTokens.IsTokenChar"/> as a Java regex of separators.</summary>
    public const string SeparatorPattern = @"[^\p{L}\p{N}\p{M}]+";

    /// <summary>Private-use characters never found in articles: stripping them cannot eat real text.</summary>
    internal const string PreTag = "\uE000";
    internal const string PostTag = "\uE001";

    /// <summary>The service's limit on actions in one indexing request.</summary>
    private const int BatchSize = 1000;

    private static readonly string[] TextFieldNames = [Fields.Title, Fields.Summary, Fields.Body];
    private readonly SearchClient _search = indexClient.GetSearchClient(indexName);

    /// <summary>Creates the index, or brings an existing one's definition up to date (new fields, scoring).</summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        await indexClient.CreateOrUpdateIndexAsync(IndexDefinition(indexName), cancellationToken: cancellationToken);
        SearchLog.IndexEnsured(logger, indexName);
    }

    public static SearchIndex IndexDefinition(string name) => new(name)
    {
        Fields =
        {
            new SimpleField(Fields.Id, SearchFieldDataType.String) { IsKey = true, IsFilterable = true, IsSortable = true },
            new SimpleField(Fields.Slug, SearchFieldDataType.String),
            new SearchableField(Fields.Title) { AnalyzerName = AnalyzerName },
            new SearchableField(Fields.Summary) { AnalyzerName = AnalyzerName },
            new SearchableField(Fields.Body) { AnalyzerName = AnalyzerName },
            new SimpleField(Fields.Category, SearchFieldDataType.String) { IsFilterable = true, IsFacetable = true },
            new SimpleField(Fields.Events, SearchFieldDataType.Collection(SearchFieldDataType.String)) { IsFilterable = true },
            new SimpleField(Fields.PublishedAt, SearchFieldDataType.DateTimeOffset) { IsFilterable = true, IsSortable = true },
            new SimpleField(Fields.ExpireAt, SearchFieldDataType.DateTimeOffset) { IsFilterable = true },
            new SimpleField(Fields.Teaser, SearchFieldDataType.String),
            new SimpleField(Fields.Kind, SearchFieldDataType.String) { IsFilterable = true },
        },
        Tokenizers = { new PatternTokenizer(TokenizerName) { Pattern = SeparatorPattern } },
        TokenFilters = { new AsciiFoldingTokenFilter(FoldingFilterName) { PreserveOriginal = true } },
        Analyzers = { new CustomAnalyzer(AnalyzerName, TokenizerName) { TokenFilters = { TokenFilterName.Lowercase, FoldingFilterName } } },
        ScoringProfiles =
        {
            new ScoringProfile(ScoringProfileName)
            {
                TextWeights = new TextWeights(new Dictionary<string, double>
                {
                    [Fields.Title] = SearchRanking.TitleWeight,
                    [Fields.Summary] = SearchRanking.SummaryWeight,
                    [Fields.Body] = SearchRanking.BodyWeight,
                }),
                // Closest the service offers to SearchRanking.RecencyBoost: ×2 today, falling fast, then slowly, to ×1 at a year.
                Functions =
                {
                    new FreshnessScoringFunction(Fields.PublishedAt, 2, new FreshnessScoringParameters(TimeSpan.FromDays(365)))
                    {
                        Interpolation = ScoringFunctionInterpolation.Logarithmic,
                    },
                },
                FunctionAggregation = ScoringFunctionAggregation.Sum,
            },
        },
        DefaultScoringProfile = ScoringProfileName,
    };

    public async Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var chunk in documents.Select(IndexedArticle.From).Chunk(BatchSize))
        {
            await _search.IndexDocumentsAsync(IndexDocumentsBatch.MergeOrUpload(chunk), new IndexDocumentsOptions { ThrowOnAnyError = true }, cancellationToken);
        }
        SearchLog.Upserted(logger, documents.Count, 0);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            await _search.IndexDocumentsAsync(IndexDocumentsBatch.Delete(Fields.Id, chunk), new IndexDocumentsOptions { ThrowOnAnyError = true }, cancellationToken);
        }
        SearchLog.Deleted(logger, ids.Count);
    }

    /// <summary>Nothing to do: the service keeps its own storage in shape.</summary>
    public Task CompactAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every id, a thousand at a time in id order (a skip-based page stops at 100,000 documents).</summary>
    public async Task<IReadOnlyList<string>> IdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        while (true)
        {
            var options = new SearchOptions
            {
                Size = BatchSize,
                Filter = ids.Count == 0 ? null : Fields.Id + " gt " + SearchFilter.Create($"{ids[^1]}"),
                OrderBy = { Fields.Id + " asc" },
                Select = { Fields.Id },
            };
            var page = (await _search.SearchAsync<IndexedId>("*", options, cancellationToken)).Value;
            var before = ids.Count;
            await foreach (var result in page.GetResultsAsync().WithCancellation(cancellationToken))
            {
                ids.Add(result.Document.Id);
            }
            if (ids.Count - before < BatchSize)
            {
                return ids;
            }
        }
    }

    private sealed record IndexedId([property: JsonPropertyName(Fields.Id)] string Id);

    public async Task<SearchResults> SearchAsync(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        LuceneSearchEngine.ValidatePage(query);
        var parsed = SearchQueryParser.Parse(query.Text);
        var upper = query.To is { } to && to < now ? to : now;
        if (parsed.IsEmpty || query.From > upper)
        {
            return SearchResults.Empty;
        }

        var response = await _search.SearchAsync<IndexedArticle>(QueryText(parsed), Options(query, upper, now), cancellationToken);
        var results = response.Value;
        var hits = new List<SearchHit>();
        await foreach (var result in results.GetResultsAsync().WithCancellation(cancellationToken))
        {
            hits.Add(ToHit(result));
            if (hits.Count == query.Limit)
            {
                break;
            }
        }
        return new SearchResults(hits, results.TotalCount ?? hits.Count);
    }

    /// <summary>
    /// Lucene syntax from the parsed words, so no user character reaches the service as syntax: every clause
    /// required (+), phrases quoted, and an optional bonus for adjacent syllables, as in the Lucene engine.
    /// The service's analyzer adds each word's folded twin itself.
    /// </summary>
    internal static string QueryText(ParsedQuery parsed)
    {
        var text = new StringBuilder();
        foreach (var clause in parsed.Clauses)
        {
            text.Append(text.Length == 0 ? "+" : " +").Append(Words(clause.Terms));
        }
        for (var i = 1; i < parsed.Clauses.Count; i++)
        {
            var (left, right) = (parsed.Clauses[i - 1], parsed.Clauses[i]);
            if (!left.Quoted && !right.Quoted)
            {
                text.Append(' ').Append(Words([left.Terms[^1], right.Terms[0]]))
                    .Append('^').Append(SearchRanking.AdjacencyBoost.ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    internal static SearchOptions Options(SearchQuery query, DateTimeOffset upper, DateTimeOffset now)
    {
        // Field names are written as they are; only values go through SearchFilter, which quotes and escapes them.
        var filter = new StringBuilder(Fields.PublishedAt).Append(" le ").Append(SearchFilter.Create($"{upper}"))
            .Append(" and (").Append(Fields.ExpireAt).Append(" eq null or ").Append(Fields.ExpireAt).Append(" gt ").Append(SearchFilter.Create($"{now}")).Append(')');
        // Articles have no kind (null, which "ne" keeps): print pages are found only when asked for.
        filter.Append(" and ").Append(Fields.Kind).Append(query.Kind == SearchKind.PrintPage ? " eq " : " ne ").Append(SearchFilter.Create($"{PrintPageKind}"));
        if (query.From is { } from)
        {
            filter.Append(" and ").Append(Fields.PublishedAt).Append(" ge ").Append(SearchFilter.Create($"{from}"));
        }
        if (query.Categories is { Count: > 0 } categories)
        {
            filter.Append(" and (").AppendJoin(" or ", categories.Select(c => Fields.Category + " eq " + SearchFilter.Create($"{c}"))).Append(')');
        }
        if (!string.IsNullOrEmpty(query.Event))
        {
            filter.Append(" and ").Append(Fields.Events).Append("/any(e: e eq ").Append(SearchFilter.Create($"{query.Event}")).Append(')');
        }

        var options = new SearchOptions
        {
            QueryType = SearchQueryType.Full,
            SearchMode = SearchMode.Any,
            Filter = filter.ToString(),
            ScoringProfile = ScoringProfileName,
            HighlightPreTag = PreTag,
            HighlightPostTag = PostTag,
            IncludeTotalCount = true,
            Size = query.Limit,
            Skip = query.Offset,
        };
        foreach (var field in TextFieldNames)
        {
            options.SearchFields.Add(field);
            options.HighlightFields.Add(field);
        }
        options.Select.Add(Fields.Id);
        options.Select.Add(Fields.Teaser);
        options.Select.Add(Fields.Title);
        options.Select.Add(Fields.Summary);
        if (query.Sort == SearchSort.Newest)
        {
            options.OrderBy.Add($"{Fields.PublishedAt} desc");
        }
        else
        {
            options.OrderBy.Add("search.score() desc");
            options.OrderBy.Add($"{Fields.PublishedAt} desc");
        }
        return options;
    }

    internal static SearchHit ToHit(SearchResult<IndexedArticle> result)
    {
        var article = result.Document;
        var title = article.Title ?? "";
        var titleHighlights = Highlights(result, Fields.Title) is [var taggedTitle, ..]
            ? Within(title, StripTags(taggedTitle))
            : [];

        var fragment = Highlights(result, Fields.Summary) is [var summary, ..] ? summary
            : Highlights(result, Fields.Body) is [var body, ..] ? body
            : null;
        var (snippet, snippetHighlights) = fragment is null
            ? SearchHighlighter.Snippet(article.Summary ?? "", new HashSet<string>())
            : SearchHighlighter.Clip(StripTags(fragment));
        return new SearchHit(article.Id, result.Score ?? 0, title, titleHighlights, snippet, snippetHighlights) { Teaser = article.Teaser };
    }

    /// <summary>Highlighted text without its tags, and where the tags were.</summary>
    internal static (string Text, IReadOnlyList<TextRange> Highlights) StripTags(string tagged)
    {
        var text = new StringBuilder(tagged.Length);
        var ranges = new List<TextRange>();
        var open = -1;
        for (var i = 0; i < tagged.Length; i++)
        {
            if (string.CompareOrdinal(tagged, i, PreTag, 0, PreTag.Length) == 0)
            {
                open = text.Length;
                i += PreTag.Length - 1;
            }
            else if (string.CompareOrdinal(tagged, i, PostTag, 0, PostTag.Length) == 0)
            {
                if (open >= 0 && text.Length > open)
                {
                    ranges.Add(new TextRange(open, text.Length - open));
                }
                open = -1;
                i += PostTag.Length - 1;
            }
            else
            {
                text.Append(tagged[i]);
            }
        }
        var plain = text.ToString();
        return (plain, SearchHighlighter.MergeAdjacent(plain, ranges));
    }

    /// <summary>Title highlights as offsets into the whole title, whether the service returned all of it or a fragment.</summary>
    private static List<TextRange> Within(string title, (string Text, IReadOnlyList<TextRange> Highlights) fragment)
    {
        var at = fragment.Text == title ? 0 : title.IndexOf(fragment.Text, StringComparison.Ordinal);
        return at < 0 ? [] : [.. fragment.Highlights.Select(r => r with { Start = r.Start + at })];
    }

    private static IList<string>? Highlights(SearchResult<IndexedArticle> result, string field) =>
        result.Highlights is { } all && all.TryGetValue(field, out var fragments) ? fragments : null;

    internal static class Fields
    {
        public const string Id = "id";
        public const string Slug = "slug";
        public const string Title = "title";
        public const string Summary = "summary";
        public const string Body = "body";
        public const string Category = "category";
        public const string Events = "events";
        public const string PublishedAt = "publishedAt";
        public const string ExpireAt = "expireAt";
        public const string Kind = "kind";
        public const string Teaser = "teaser";
    }

    private static string Words(IReadOnlyList<string> terms) =>
        terms.Count == 1 ? Escape(terms[0]) : "\"" + string.Join(' ', terms.Select(t => t.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))) + "\"";

    /// <summary>
    /// Backslash before every character Lucene syntax gives a meaning. Parsed words are letters and digits
    /// only, so this is a second line of defence should the word rule ever widen.
    /// </summary>
    internal static string Escape(string term)
    {
        var escaped = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is '+' or '-' or '&' or '|' or '!' or '(' or ')' or '{' or '}' or '[' or ']' or '^' or '"' or '~' or '*' or '?' or ':' or '\\' or '/')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The document as the index stores it; text NFC-normalized like the Lucene engine's.</summary>
    internal sealed record IndexedArticle(
        [property: JsonPropertyName(Fields.Id)] string Id,
        [property: JsonPropertyName(Fields.Slug)] string? Slug,
        [property: JsonPropertyName(Fields.Title)] string? Title,
        [property: JsonPropertyName(Fields.Summary)] string? Summary,
        [property: JsonPropertyName(Fields.Body)] string? Body,
        [property: JsonPropertyName(Fields.Category)] string? Category,
        [property: JsonPropertyName(Fields.Events)] IReadOnlyList<string>? Events,
        [property: JsonPropertyName(Fields.PublishedAt)] DateTimeOffset? PublishedAt,
        [property: JsonPropertyName(Fields.Teaser)] string? Teaser = null,
        [property: JsonPropertyName(Fields.ExpireAt)] DateTimeOffset? ExpireAt = null,
        [property: JsonPropertyName(Fields.Kind)] string? Kind = null)
    {
        public static IndexedArticle From(SearchDocument d) => new(
            d.Id, d.Slug, SearchTokens.Normalize(d.Title), SearchTokens.Normalize(d.Summary), SearchTokens.Normalize(d.Body),
            d.Category, d.Events, d.PublishedAt, d.Teaser, d.ExpireAt, d.Kind == SearchKind.PrintPage ? PrintPageKind : null);
    }
}
