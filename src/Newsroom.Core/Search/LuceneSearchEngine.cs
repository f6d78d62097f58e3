using System.Diagnostics;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Newsroom.Search;

/// <summary>
/// The search engine inside the process, on Lucene.NET: for the local host, tests and a single-instance
/// deployment. One writer per index; each write is committed and made visible before the call returns
/// (near-real-time reader refresh), so a search right after an upsert sees it. Thread-safe.
/// </summary>
/// <remarks>
/// Every query word is required (AND), in any field: newspaper readers type a few words and expect every
/// one to count, and a syllable on its own ("an", "ha") matches half the archive. Each word matches its
/// exact form (boosted) or its accent-free twin; adjacent query syllables found side by side earn a bonus,
/// since a Vietnamese word is a phrase of syllables. Scores are BM25 on the whole text plus weighted
/// matches in title and summary (so title &gt; summary &gt; body), then multiplied by
/// <see cref="SearchRanking.RecencyBoost"/> for sort=relevance.
/// </remarks>
public sealed class LuceneSearchEngine : ISearchEngine, IDisposable
{
    private const string IdField = "id";
    private const string TitleField = "title";
    private const string SummaryField = "summary";
    private const string BodyField = "body";
    private const string AllTextField = "text";
    private const string CategoryField = "category";
    private const string EventField = "event";
    private const string PublishedField = "publishedAt";
    private const string ExpireField = "expireAt";
    private const string KindField = "kind";
    private const string PrintPageKind = "print";

    /// <summary>Deeper pages cost memory and time for every hit before them; nobody reads them.</summary>
    public const int MaxResultWindow = 10_000;
    public const int MaxLimit = 100;

    private static readonly (string Field, float Weight)[] BoostFields =
        [(TitleField, SearchRanking.TitleWeight), (SummaryField, SearchRanking.SummaryWeight)];

    private const string TeaserField = "teaser";

    private static readonly HashSet<string> StoredForHits = [IdField, TitleField, SummaryField, BodyField, TeaserField];
    private static readonly Sort NewestFirst = new(new SortField(PublishedField, SortFieldType.INT64, reverse: true));
    private static readonly Similarity Bm25 = new BM25Similarity();

    /// <summary>Pairs are only looked up, never phrase-matched or length-normalized: no positions, no norms.</summary>
    private static readonly FieldType PairsType = Frozen(new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_AND_FREQS,
    });

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly ILogger<LuceneSearchEngine> _logger;

    /// <param name="indexPath">A folder for the index (created if missing), or null for an index in memory.</param>
    public LuceneSearchEngine(string? indexPath, ILogger<LuceneSearchEngine> logger)
    {
        _logger = logger;
        _directory = indexPath is null ? new RAMDirectory() : FSDirectory.Open(System.IO.Directory.CreateDirectory(indexPath));
        var config = new IndexWriterConfig(VietnameseAnalyzer.Version, new VietnameseAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Bm25,
            RAMBufferSizeMB = 64,
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory());
        SearchLog.IndexOpened(logger, indexPath ?? "memory", _writer.NumDocs);
    }

    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var document in documents)
        {
            _writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document));
        }
        Publish();
        SearchLog.Upserted(_logger, documents.Count);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        _writer.DeleteDocuments(ids.Select(id => new Term(IdField, id)).ToArray());
        Publish();
        SearchLog.Deleted(_logger, ids.Count);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> IdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            if (MultiFields.GetTerms(reader, IdField) is { } terms)
            {
                // A deleted document's id stays among the terms until its segment is merged: keep only live ones.
                var live = MultiFields.GetLiveDocs(reader);
                var enumerator = terms.GetEnumerator();
                DocsEnum? docs = null;
                while (enumerator.MoveNext())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    docs = enumerator.Docs(live, docs, DocsFlags.NONE);
                    if (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                    {
                        ids.Add(enumerator.Term.Utf8ToString());
                    }
                }
            }
        }
        finally
        {
            _searchers.Release(searcher);
        }
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public Task<SearchResults> SearchAsync(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        ValidatePage(query);
        var started = Stopwatch.GetTimestamp();
        var parsed = SearchQueryParser.Parse(query.Text);
        var upper = Math.Min(now.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        var lower = query.From?.ToUnixTimeMilliseconds() ?? long.MinValue;
        if (parsed.IsEmpty || lower > upper)
        {
            return Task.FromResult(SearchResults.Empty);
        }

        var textQuery = BuildQuery(parsed);
        AddKeyFilters(textQuery, query);
        // Expired (documents that never expire have no value, read as 0): a prohibited clause, which scores nothing.
        textQuery.Add(new ConstantScoreQuery(FieldCacheRangeFilter.NewInt64Range(ExpireField, 1, now.ToUnixTimeMilliseconds(), includeLower: true, includeUpper: true)), Occur.MUST_NOT);
        var filter = FieldCacheRangeFilter.NewInt64Range(PublishedField, lower, upper, includeLower: true, includeUpper: true);
        var window = query.Offset + query.Limit;
        var searcher = _searchers.Acquire();
        try
        {
            ScoreDoc[] top;
            long total;
            if (query.Sort == SearchSort.Newest)
            {
                var found = searcher.Search(textQuery, filter, window, NewestFirst, doDocScores: true, doMaxScore: false);
                (top, total) = (found.ScoreDocs, found.TotalHits);
            }
            else
            {
                var collector = new RecencyCollector(window, now.ToUnixTimeMilliseconds(), PublishedField);
                searcher.Search(textQuery, filter, collector);
                (top, total) = (collector.TopDocs(), collector.TotalHits);
            }

            var hits = top.Skip(query.Offset).Select(scored => ToHit(searcher.Doc(scored.Doc, StoredForHits), scored.Score, parsed)).ToList();
            SearchLog.Searched(_logger, parsed.Clauses.Sum(c => c.Terms.Count), total, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return Task.FromResult(new SearchResults(hits, total));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    internal static void ValidatePage(SearchQuery query)
    {
        if (query.Limit is < 1 or > MaxLimit)
        {
            throw new BadRequestException($"limit must be between 1 and {MaxLimit}.");
        }
        if (query.Offset < 0 || query.Offset + query.Limit > MaxResultWindow)
        {
            throw new BadRequestException($"Search results go {MaxResultWindow} deep: offset + limit must be at most {MaxResultWindow}. Narrow the search instead.");
        }
    }

    /// <summary>Commits (durable on disk) and reopens the reader so the next search sees this write.</summary>
    private void Publish()
    {
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    private static Document ToLucene(SearchDocument document)
    {
        var publishedAt = document.PublishedAt.ToUnixTimeMilliseconds();
        var lucene = new Document
        {
            new StringField(IdField, document.Id, Field.Store.YES),
            new TextField(TitleField, SearchTokens.Normalize(document.Title), Field.Store.YES),
            new TextField(SummaryField, SearchTokens.Normalize(document.Summary), Field.Store.YES),
            new StoredField(BodyField, SearchTokens.Normalize(document.Body)),
            new StringField(CategoryField, document.Category, Field.Store.NO),
            new StoredField(TeaserField, document.Teaser ?? ""),
            new NumericDocValuesField(PublishedField, publishedAt),
        };
        if (document.Kind == SearchKind.PrintPage)
        {
            lucene.Add(new StringField(KindField, PrintPageKind, Field.Store.NO));
        }
        if (document.ExpireAt is { } expireAt)
        {
            lucene.Add(new NumericDocValuesField(ExpireField, Math.Max(1, expireAt.ToUnixTimeMilliseconds())));
        }
        foreach (var field in lucene.Fields.Where(f => f.Name is TitleField or SummaryField or BodyField).ToList())
        {
            lucene.Add(new TextField(AllTextField, field.GetStringValue(), Field.Store.NO));
            lucene.Add(new Field(VietnameseAnalyzer.PairsField, field.GetStringValue(), PairsType));
        }
        foreach (var key in document.Events.Distinct(StringComparer.Ordinal))
        {
            lucene.Add(new StringField(EventField, key, Field.Store.NO));
        }
        return lucene;
    }

    internal static BooleanQuery BuildQuery(ParsedQuery parsed)
    {
        var query = new BooleanQuery(disableCoord: true);
        foreach (var clause in parsed.Clauses)
        {
            query.Add(AcrossFields(clause.Terms), Occur.MUST);
        }
        // Side-by-side bonus for unquoted syllables that follow each other in what the reader typed.
        for (var i = 1; i < parsed.Clauses.Count; i++)
        {
            var (left, right) = (parsed.Clauses[i - 1], parsed.Clauses[i]);
            if (!left.Quoted && !right.Quoted)
            {
                var pair = new Term(VietnameseAnalyzer.PairsField, VietnameseAnalyzer.Pair(left.Terms[^1], right.Terms[0]));
                query.Add(new TermQuery(pair) { Boost = SearchRanking.AdjacencyBoost }, Occur.SHOULD);
            }
        }
        return query;
    }

    /// <summary>
    /// The words anywhere in the article (one posting list per word drives the search), plus a bonus when
    /// they are in the title or the summary. Matching on one whole-text field rather than a disjunction
    /// over three is what keeps a common word over 100k articles cheap.
    /// </summary>
    private static BooleanQuery AcrossFields(IReadOnlyList<string> terms)
    {
        var query = new BooleanQuery(disableCoord: true) { { InField(AllTextField, terms), Occur.MUST } };
        foreach (var (field, weight) in BoostFields)
        {
            var inField = InField(field, terms);
            inField.Boost *= weight;
            query.Add(inField, Occur.SHOULD);
        }
        return query;
    }

    /// <summary>
    /// Accent-free form required, the form as typed boosted when it differs. For a phrase the boost goes to
    /// the exact words one by one: their positions were already checked by the folded phrase, and a second
    /// phrase query would read them again for every match.
    /// </summary>
    private static Query InField(string field, IReadOnlyList<string> terms)
    {
        var folded = terms.Select(SearchTokens.Fold).ToList();
        var foldedQuery = Words(field, folded);
        if (folded.SequenceEqual(terms, StringComparer.Ordinal))
        {
            return foldedQuery;
        }
        var query = new BooleanQuery(disableCoord: true) { { foldedQuery, terms.Count == 1 ? Occur.SHOULD : Occur.MUST } };
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i] != folded[i])
            {
                query.Add(new TermQuery(new Term(field, terms[i])) { Boost = SearchRanking.ExactFormBoost }, Occur.SHOULD);
            }
        }
        return query;
    }

    private static Query Words(string field, List<string> terms)
    {
        if (terms.Count == 1)
        {
            return new TermQuery(new Term(field, terms[0]));
        }
        var phrase = new PhraseQuery();
        foreach (var term in terms)
        {
            phrase.Add(new Term(field, term));
        }
        return phrase;
    }

    /// <summary>
    /// The kind asked for, category (any of the given keys) and event as required clauses that add nothing to the score: sparse exact terms, so the
    /// conjunction skips straight to their documents. The date range is a filter on doc values instead,
    /// checked per candidate, because "published before now" matches nearly every document and a term-based
    /// range would enumerate them all on every search.
    /// </summary>
    private static void AddKeyFilters(BooleanQuery query, SearchQuery search)
    {
        // Articles carry no kind: a print page is found only when asked for, an article only when not.
        var printPages = new TermQuery(new Term(KindField, PrintPageKind)) { Boost = 0 };
        query.Add(printPages, search.Kind == SearchKind.PrintPage ? Occur.MUST : Occur.MUST_NOT);
        if (search.Categories is { Count: > 0 } categories)
        {
            var anyOf = new BooleanQuery(disableCoord: true) { Boost = 0 };
            foreach (var key in categories)
            {
                anyOf.Add(new TermQuery(new Term(CategoryField, key)), Occur.SHOULD);
            }
            query.Add(anyOf, Occur.MUST);
        }
        if (!string.IsNullOrEmpty(search.Event))
        {
            query.Add(new TermQuery(new Term(EventField, search.Event)) { Boost = 0 }, Occur.MUST);
        }
    }

    private static SearchHit ToHit(Document document, float score, ParsedQuery parsed)
    {
        var title = document.Get(TitleField) ?? "";
        var summary = document.Get(SummaryField) ?? "";
        var body = document.Get(BodyField) ?? "";
        var text = summary.Length == 0 ? body : body.Length == 0 ? summary : summary + " " + body;
        var (snippet, snippetHighlights) = SearchHighlighter.Snippet(text, parsed.FoldedTerms);
        return new SearchHit(document.Get(IdField), score, title, SearchHighlighter.Highlight(title, parsed.FoldedTerms), snippet, snippetHighlights)
        {
            Teaser = document.Get(TeaserField) is { Length: > 0 } teaser ? teaser : null,
        };
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Bm25 };
    }

    /// <summary>
    /// Collects the best <c>size</c> hits by relevance × <see cref="SearchRanking.RecencyBoost"/>, reading the
    /// publication time from doc values (no stored-field access while scoring), and counts every match.
    /// </summary>
    private sealed class RecencyCollector(int size, long nowMs, string publishedField) : ICollector
    {
        private const double MsPerDay = 86_400_000;
        private readonly PriorityQueue<ScoreDoc, (float Score, int Doc)> _best = new(size + 1, Comparer<(float Score, int Doc)>.Create(
            (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Doc.CompareTo(a.Doc)));
        private Scorer? _scorer;
        private NumericDocValues? _published;
        private int _docBase;

        public long TotalHits { get; private set; }

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) => _scorer = scorer;

        public void SetNextReader(AtomicReaderContext context)
        {
            _docBase = context.DocBase;
            _published = context.AtomicReader.GetNumericDocValues(publishedField);
        }

        public void Collect(int doc)
        {
            TotalHits++;
            var ageDays = _published is null ? 0 : (nowMs - _published.Get(doc)) / MsPerDay;
            var score = (float)(_scorer!.GetScore() * SearchRanking.RecencyBoost(ageDays));
            var key = (score, _docBase + doc);
            if (_best.Count < size)
            {
                _best.Enqueue(new ScoreDoc(key.Item2, score), key);
            }
            else if (_best.TryPeek(out _, out var worst) && _best.Comparer.Compare(key, worst) > 0)
            {
                _best.DequeueEnqueue(new ScoreDoc(key.Item2, score), key);
            }
        }

        public ScoreDoc[] TopDocs()
        {
            var top = new ScoreDoc[_best.Count];
            for (var i = top.Length - 1; i >= 0; i--)
            {
                top[i] = _best.Dequeue();
            }
            return top;
        }
    }
}
