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
    internal const string IdField = "id";
    internal const string TitleField = "title";
    internal const string SummaryField = "summary";
    internal const string BodyField = "body";
    internal const string AllTextField = "text";
    internal const string CategoryField = "category";
    internal const string EventField = "event";
    internal const string PublishedField = "publishedAt";
    internal const string ExpireField = "expireAt";
    internal const string KindField = "kind";
    internal const string PrintPageKind = "print";

    /// <summary>Deeper pages cost memory and time for every hit before them; nobody reads them.</summary>
    public const int MaxResultWindow = 10_000;
    public const int MaxLimit = 100;

    public const long DefaultTermCacheBytes = 64L << 20;

    private static readonly (string Field, float Weight)[] BoostFields =
        [(TitleField, SearchRanking.TitleWeight), (SummaryField, SearchRanking.SummaryWeight)];

    private const string TeaserField = "teaser";
    private const string HitField = "hit";
    private const string DigestField = "digest";

    private static readonly HashSet<string> StoredForHits = [IdField, TitleField, SummaryField, BodyField, TeaserField];
    private static readonly NewsroomBm25 Bm25 = new();

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
    private readonly LuceneBlocks _blocks;
    private readonly SemaphoreSlim _turns;
    private readonly FileStream? _processLock;

    /// <param name="indexPath">A folder for the index (created if missing), or null for an index in memory.</param>
    /// <param name="termCacheBytes">Memory for the frequent terms' bits and block bounds kept between searches.</param>
    /// <param name="concurrentSearches">How many searches run at once (the others wait their turn); 0 for one per core.</param>
    /// <param name="lockWait">How long to wait for another process to let go of the index (a worker being replaced) before giving up.</param>
    public LuceneSearchEngine(string? indexPath, ILogger<LuceneSearchEngine> logger, long termCacheBytes = DefaultTermCacheBytes,
        int concurrentSearches = 0, TimeSpan? lockWait = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(concurrentSearches);
        _logger = logger;
        _turns = new SemaphoreSlim(concurrentSearches > 0 ? concurrentSearches : Environment.ProcessorCount);
        if (indexPath is not null)
        {
            System.IO.Directory.CreateDirectory(indexPath);
            _processLock = LockIndex(indexPath, lockWait ?? TimeSpan.FromSeconds(30));
        }
        _directory = indexPath is null ? new RAMDirectory() : new MappedDirectory(indexPath);
        var config = new IndexWriterConfig(VietnameseAnalyzer.Version, new VietnameseAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Bm25,
            RAMBufferSizeMB = 64,
            // Merges join neighbouring segments only, so documents stay in the order they were indexed, which is
            // about the order of publication: a block of the index then spans a day or two (see BlockMaxSearch).
            MergePolicy = new LogByteSizeMergePolicy(),
        };
        _writer = new IndexWriter(_directory, config);
        _blocks = new LuceneBlocks(Bm25, PublishedField, ExpireField, termCacheBytes);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory());
        SearchLog.IndexOpened(logger, indexPath ?? "memory", _writer.NumDocs);
    }

    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        cancellationToken.ThrowIfCancellationRequested();
        // One view of the index for the whole batch (it is not refreshed until the batch is published).
        var written = Read(searcher =>
        {
            var count = 0;
            foreach (var document in documents)
            {
                var digest = Digest(document);
                if (!Holds(searcher, document.Id, digest))
                {
                    _writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document, digest));
                    count++;
                }
            }
            return count;
        });
        if (written > 0)
        {
            Publish();
        }
        SearchLog.Upserted(_logger, written, documents.Count - written);
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

    /// <summary>
    /// Searches run a few at a time, as many as the machine has cores (<c>Search:LuceneConcurrentSearches</c>); the
    /// rest wait their turn. A search is all CPU: sixteen at once on two cores would each take eight times as long,
    /// and a heavy one would hold the others up far longer than it does first in line.
    /// </summary>
    public async Task<SearchResults> SearchAsync(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        try
        {
            return Search(query, now, cancellationToken);
        }
        finally
        {
            _turns.Release();
        }
    }

    private SearchResults Search(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken)
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
            return SearchResults.Empty;
        }

        var searcher = _searchers.Acquire();
        try
        {
            var search = new BlockMaxSearch(searcher, _blocks, BuildQuery(parsed), Filter(parsed, query, lower, upper, now.ToUnixTimeMilliseconds()));
            var window = query.Offset + query.Limit;
            var top = query.Sort == SearchSort.Newest ? search.ByNewest(window) : search.ByRelevance(window);
            var hits = Hits(searcher, top.Skip(query.Offset), parsed);
            SearchLog.Searched(_logger, parsed.Clauses.Sum(c => c.Terms.Count), search.Total, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new SearchResults(hits, search.Total);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Merges the index into one segment (neighbours only, so documents stay in publication order) and publishes it.
    /// A search does work per segment — its terms looked up, a scorer set up — and a bulk load leaves many behind: on
    /// 100k articles in ten segments a search took 3.5 ms, in one 2.1 ms. Searches go on meanwhile, on the segments
    /// as they were.
    /// </summary>
    public Task CompactAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Shape.Segments > 1)
        {
            var started = Stopwatch.GetTimestamp();
            _writer.ForceMerge(1);
            Publish();
            if (_directory is MappedDirectory)
            {
                // The merged-away files stay mapped, and on disk, until their inputs are collected (see
                // MappedDirectory): a collection now gives back the space of a whole index once more.
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            SearchLog.Compacted(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return Task.CompletedTask;
    }

    /// <summary>Reads the index as of now (also for tests that check the engine against Lucene's own evaluation).</summary>
    internal T Read<T>(Func<IndexSearcher, T> read)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The index as searches see it now: its segments, live documents and deleted ones not yet merged away.</summary>
    public (int Segments, int Documents, int Deleted) Shape => Read(searcher => (searcher.IndexReader.Leaves.Count, searcher.IndexReader.NumDocs, searcher.IndexReader.NumDeletedDocs));

    /// <summary>What the terms kept for fast counting and skipping take in memory.</summary>
    public (int Terms, long Bytes) TermCache => (_blocks.CachedTerms, _blocks.CachedBytes);

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _processLock?.Dispose();
        _turns.Dispose();
    }

    /// <summary>The name of the file an engine holds, exclusively, while it has the index open.</summary>
    internal const string ProcessLockFile = "newsroom.lock";

    /// <summary>
    /// Takes the index for this process alone. Lucene.NET's own write.lock does not keep a second process out on
    /// Linux: a second engine opened the same folder, both wrote, and each deleted files the other's commit
    /// needed (the index then fails with a missing segment file). A file opened with <see cref="FileShare.None"/>
    /// is locked by the operating system (flock) until this process closes it or ends, however it ends.
    /// </summary>
    private static FileStream LockIndex(string indexPath, TimeSpan wait)
    {
        var path = Path.Combine(indexPath, ProcessLockFile);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < wait)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(200));
            }
            catch (IOException exception)
            {
                throw new InvalidOperationException(
                    $"The search index at {indexPath} is open in another process (waited {wait.TotalSeconds:0} s for it to let go). " +
                    "One process writes an index at a time: stop the other one, or give this one its own Search:LucenePath.", exception);
            }
        }
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

    /// <summary>
    /// A fingerprint of everything the index keeps of a document. The catch-up syncs every article changed in its
    /// last minutes again at each pass, and a rebuild every article: one already indexed as it is costs no write
    /// (each write is a commit and a new segment for every search to visit).
    /// </summary>
    private static long Digest(SearchDocument document) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document)));

    /// <summary>Whether the index, as <paramref name="searcher"/> sees it, shows the document with this id as it is now.</summary>
    private static bool Holds(IndexSearcher searcher, string id, long digest)
    {
        var term = new Term(IdField, id);
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            if (reader.GetTermDocsEnum(term) is not { } docs)
            {
                continue;
            }
            var live = reader.LiveDocs;
            for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
            {
                if (live is null || live.Get(doc))
                {
                    return reader.GetNumericDocValues(DigestField)?.Get(doc) == digest;
                }
            }
        }
        return false;
    }

    private static Document ToLucene(SearchDocument document, long digest)
    {
        var publishedAt = document.PublishedAt.ToUnixTimeMilliseconds();
        var (title, summary, body, teaser) = (SearchTokens.Normalize(document.Title), SearchTokens.Normalize(document.Summary), SearchTokens.Normalize(document.Body), document.Teaser ?? "");
        var record = HitRecord.Encode(document.Id, title, summary, body, teaser, out var bodyCut);
        // What a hit shows is read from the record; stored fields only where it could not hold everything.
        var stored = record is null || bodyCut ? Field.Store.YES : Field.Store.NO;
        var lucene = new Document
        {
            new StringField(IdField, document.Id, Field.Store.YES),
            new TextField(TitleField, title, stored),
            new TextField(SummaryField, summary, stored),
            new StringField(CategoryField, document.Category, Field.Store.NO),
            new NumericDocValuesField(PublishedField, publishedAt),
            new NumericDocValuesField(DigestField, digest),
        };
        if (stored == Field.Store.YES)
        {
            lucene.Add(new StoredField(BodyField, body));
            lucene.Add(new StoredField(TeaserField, teaser));
        }
        if (record is not null)
        {
            lucene.Add(new BinaryDocValuesField(HitField, record));
        }
        if (document.Kind == SearchKind.PrintPage)
        {
            lucene.Add(new StringField(KindField, PrintPageKind, Field.Store.NO));
        }
        if (document.ExpireAt is { } expireAt)
        {
            lucene.Add(new NumericDocValuesField(ExpireField, Math.Max(1, expireAt.ToUnixTimeMilliseconds())));
        }
        foreach (var text in new[] { title, summary, body })
        {
            lucene.Add(new TextField(AllTextField, text, Field.Store.NO));
            lucene.Add(new Field(VietnameseAnalyzer.PairsField, text, PairsType));
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
    /// Which documents may be returned: every query word's accent-free form in the whole text (and, for quoted
    /// words and words written as one, like a document number, each pair of neighbours, which decides a two-word
    /// phrase outright), the kind asked for, any of the categories, the event, not expired, published within the
    /// range. Lucene verifies longer phrases.
    /// </summary>
    private static CandidateFilter Filter(ParsedQuery parsed, SearchQuery search, long lower, long upper, long nowMs)
    {
        var required = new List<(string, string)>();
        foreach (var clause in parsed.Clauses)
        {
            required.AddRange(clause.Terms.Select(term => (AllTextField, SearchTokens.Fold(term))));
            if (clause.IsPhrase)
            {
                for (var i = 1; i < clause.Terms.Count; i++)
                {
                    required.Add((VietnameseAnalyzer.PairsField, VietnameseAnalyzer.Pair(clause.Terms[i - 1], clause.Terms[i])));
                }
            }
        }
        // Articles carry no kind: a print page is found only when asked for, an article only when not.
        var excluded = new List<(string, string)>();
        (search.Kind == SearchKind.PrintPage ? required : excluded).Add((KindField, PrintPageKind));
        if (!string.IsNullOrEmpty(search.Event))
        {
            required.Add((EventField, search.Event));
        }
        var anyOf = search.Categories is { Count: > 0 } categories ? categories.Select(key => (CategoryField, key)).ToList() : [];
        return new CandidateFilter(required.Distinct().ToList(), anyOf, excluded, lower, upper, nowMs,
            Verify: parsed.Clauses.Any(c => c.Terms.Count > 2));
    }

    /// <summary>The page's hits, from their records (the stored fields for a document without a whole one).</summary>
    private static List<SearchHit> Hits(IndexSearcher searcher, IEnumerable<ScoreDoc> page, ParsedQuery parsed)
    {
        var leaves = searcher.IndexReader.Leaves;
        var scratch = new Lucene.Net.Util.BytesRef();
        var hits = new List<SearchHit>();
        foreach (var scored in page)
        {
            var leaf = leaves[ReaderUtil.SubIndex(scored.Doc, leaves)];
            var record = HitRecord.Read(leaf.AtomicReader.GetBinaryDocValues(HitField), scored.Doc - leaf.DocBase, scratch);
            if (record is null || record.BodyCut)
            {
                var document = searcher.Doc(scored.Doc, StoredForHits);
                record = new HitRecord(document.Get(IdField), document.Get(TitleField) ?? "", document.Get(SummaryField) ?? "",
                    document.Get(BodyField) ?? "", document.Get(TeaserField) ?? "", BodyCut: false);
            }
            hits.Add(ToHit(record, scored.Score, parsed));
        }
        return hits;
    }

    private static SearchHit ToHit(HitRecord record, float score, ParsedQuery parsed)
    {
        var (title, summary, body) = (record.Title, record.Summary, record.Body);
        var text = summary.Length == 0 ? body : body.Length == 0 ? summary : summary + " " + body;
        var (snippet, snippetHighlights) = SearchHighlighter.Snippet(text, parsed.FoldedTerms);
        return new SearchHit(record.Id, score, title, SearchHighlighter.Highlight(title, parsed.FoldedTerms), snippet, snippetHighlights)
        {
            Teaser = record.Teaser is { Length: > 0 } teaser ? teaser : null,
        };
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Bm25 };
    }
}
