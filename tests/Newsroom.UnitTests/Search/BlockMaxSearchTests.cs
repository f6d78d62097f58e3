using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

/// <summary>
/// The engine skips blocks and counts matches as bits; Lucene, asked the same question the plain way (a filtered
/// query, every match scored), must give the same page, the same scores and the same total. On an index whose
/// documents are in random date order, spread over several segments, with deletions, updates, expiring notices,
/// scheduled articles and print pages, so that neither the bounds nor the bits can lean on a friendly layout.
/// </summary>
public sealed class BlockMaxSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(LuceneSearchEngine.DefaultTermCacheBytes, false)]
    [InlineData(256 * 1024, false)] // terms dropped and built again between searches
    [InlineData(0, false)] // nothing kept: every summary built for its search
    [InlineData(LuceneSearchEngine.DefaultTermCacheBytes, true)] // the index in a folder, read through its maps
    public async Task Pages_scores_and_totals_are_those_of_scoring_every_match(long termCacheBytes, bool onDisk)
    {
        var path = onDisk ? Directory.CreateTempSubdirectory("newsroom-search-").FullName : null;
        try
        {
            await CompareWithLucene(path, termCacheBytes);
        }
        finally
        {
            if (path is not null)
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private static async Task CompareWithLucene(string? path, long termCacheBytes)
    {
        using var engine = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance, termCacheBytes);
        await Fill(engine);
        var random = new Random(5);
        var compared = 0;
        var pruned = 0;
        foreach (var query in Queries(random, 400))
        {
            var actual = await engine.SearchAsync(query, Now, CancellationToken.None);
            var expected = engine.Read(searcher => Reference(searcher, query, Now));
            var label = $"{query.Text} sort={query.Sort} cat={string.Join('+', query.Categories ?? [])} event={query.Event} from={query.From} to={query.To} kind={query.Kind} offset={query.Offset}";
            Assert.True(expected.Total == actual.Total, $"{label}: total {actual.Total}, Lucene {expected.Total}");
            Assert.True(expected.Ids.SequenceEqual(actual.Hits.Select(h => h.Id)),
                $"{label}: [{string.Join(' ', actual.Hits.Select(h => h.Id))}] vs Lucene [{string.Join(' ', expected.Ids)}]");
            for (var i = 0; i < expected.Scores.Count; i++)
            {
                Assert.Equal(expected.Scores[i], actual.Hits[i].Score, 4);
            }
            compared++;
            pruned += expected.Total > query.Offset + query.Limit ? 1 : 0;
        }
        Assert.Equal(400, compared);
        Assert.True(pruned > 100, $"only {pruned} queries had more matches than their page: the comparison says little");
    }

    [Fact]
    public async Task Kept_terms_stay_within_their_budget()
    {
        const long Budget = 256 * 1024;
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance, Budget);
        // One segment of 3,000 documents, so that the frequent terms are kept.
        await engine.UpsertAsync([.. SyntheticArticles.Generate(3000, seed: 3, Now)], CancellationToken.None);
        foreach (var query in Queries(new Random(9), 200))
        {
            await engine.SearchAsync(query, Now, CancellationToken.None);
            Assert.True(engine.TermCache.Bytes <= Budget + 64 * 1024, $"{engine.TermCache.Bytes} bytes kept");
        }
        Assert.True(engine.TermCache.Terms > 0, "no term was kept");
    }

    private static async Task Fill(LuceneSearchEngine engine)
    {
        var documents = SyntheticArticles.Generate(3000, seed: 3, Now).ToList();
        var random = new Random(4);
        for (var i = 0; i < documents.Count; i++)
        {
            documents[i] = (i % 50) switch
            {
                0 => documents[i] with { ExpireAt = Now.AddDays(random.Next(-30, 30)) }, // some expired, some not yet
                1 => documents[i] with { PublishedAt = Now.AddHours(random.Next(1, 48)) }, // scheduled
                2 => documents[i] with { Kind = SearchKind.PrintPage },
                _ => documents[i],
            };
        }
        foreach (var batch in documents.Chunk(300)) // segments whose last block is half full
        {
            await engine.UpsertAsync(batch, CancellationToken.None);
        }
        await engine.DeleteAsync([.. documents.Where((_, i) => i % 37 == 5).Select(d => d.Id)], CancellationToken.None);
        // Edited articles come back at the end of the index with a new time.
        await engine.UpsertAsync([.. documents.Where((_, i) => i % 41 == 7).Select(d => d with { PublishedAt = d.PublishedAt.AddDays(-3) })], CancellationToken.None);
    }

    private static IEnumerable<SearchQuery> Queries(Random random, int count)
    {
        for (var n = 0; n < count; n++)
        {
            var words = SyntheticArticles.Sentence(random, 12, capitalize: false, terminate: false)
                .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            var length = random.Next(10) switch { < 3 => 1, < 7 => 2, < 9 => 3, _ => 4 };
            var start = random.Next(Math.Max(1, words.Length - length));
            var text = string.Join(' ', words.Skip(start).Take(length));
            text = random.Next(10) switch
            {
                < 4 => Newsroom.Text.VietnameseText.Fold(text),
                < 6 => $"\"{text}\"",
                _ => text,
            };
            var query = new SearchQuery(text, null, null, null, null, random.Next(4) == 0 ? SearchSort.Newest : SearchSort.Relevance,
                random.Next(3) == 0 ? 5 : 20, random.Next(5) == 0 ? 20 : 0);
            query = random.Next(12) switch
            {
                0 => query with { Categories = [SyntheticArticles.Categories[random.Next(SyntheticArticles.Categories.Length)]] },
                1 => query with { Categories = [SyntheticArticles.Categories[0], SyntheticArticles.Categories[1]] },
                2 => query with { Event = SyntheticArticles.Events[random.Next(SyntheticArticles.Events.Length)] },
                3 => query with { From = Now.AddDays(-random.Next(10, 400)), To = Now.AddDays(-random.Next(0, 10)) },
                4 => query with { To = Now.AddDays(-random.Next(100, 700)) },
                5 => query with { Kind = SearchKind.PrintPage },
                _ => query,
            };
            yield return query;
        }
    }

    /// <summary>The question as a plain Lucene query: the scoring query, filtered, every match scored and counted.</summary>
    private static (long Total, List<string> Ids, List<double> Scores) Reference(IndexSearcher searcher, SearchQuery query, DateTimeOffset now)
    {
        var parsed = SearchQueryParser.Parse(query.Text);
        var nowMs = now.ToUnixTimeMilliseconds();
        var upper = Math.Min(nowMs, query.To?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        var lower = query.From?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var filtered = LuceneSearchEngine.BuildQuery(parsed);
        var print = new TermQuery(new Term(LuceneSearchEngine.KindField, LuceneSearchEngine.PrintPageKind)) { Boost = 0 };
        filtered.Add(print, query.Kind == SearchKind.PrintPage ? Occur.MUST : Occur.MUST_NOT);
        if (query.Categories is { Count: > 0 } categories)
        {
            var anyOf = new BooleanQuery(disableCoord: true) { Boost = 0 };
            foreach (var key in categories)
            {
                anyOf.Add(new TermQuery(new Term(LuceneSearchEngine.CategoryField, key)), Occur.SHOULD);
            }
            filtered.Add(anyOf, Occur.MUST);
        }
        if (query.Event is { } eventKey)
        {
            filtered.Add(new TermQuery(new Term(LuceneSearchEngine.EventField, eventKey)) { Boost = 0 }, Occur.MUST);
        }
        filtered.Add(new ConstantScoreQuery(FieldCacheRangeFilter.NewInt64Range(LuceneSearchEngine.ExpireField, 1, nowMs, true, true)), Occur.MUST_NOT);
        var published = FieldCacheRangeFilter.NewInt64Range(LuceneSearchEngine.PublishedField, lower, upper, true, true);
        var window = query.Offset + query.Limit;
        ScoreDoc[] top;
        long total;
        if (query.Sort == SearchSort.Newest)
        {
            var found = searcher.Search(filtered, published, window,
                new Sort(new SortField(LuceneSearchEngine.PublishedField, SortFieldType.INT64, reverse: true)), doDocScores: true, doMaxScore: false);
            (top, total) = (found.ScoreDocs, found.TotalHits);
        }
        else
        {
            var collector = new EveryMatch(window, nowMs);
            searcher.Search(filtered, published, collector);
            (top, total) = (collector.Top(), collector.Total);
        }
        var page = top.Skip(query.Offset).ToList();
        return (total, page.Select(hit => searcher.Doc(hit.Doc).Get(LuceneSearchEngine.IdField)).ToList(), page.Select(hit => (double)hit.Score).ToList());
    }

    /// <summary>Scores every match: relevance × recency, ties to the earlier document.</summary>
    private sealed class EveryMatch(int size, long nowMs) : ICollector
    {
        private readonly List<ScoreDoc> _all = [];
        private Scorer? _scorer;
        private NumericDocValues? _published;
        private int _docBase;

        public long Total => _all.Count;

        public bool AcceptsDocsOutOfOrder => false;

        public void SetScorer(Scorer scorer) => _scorer = scorer;

        public void SetNextReader(AtomicReaderContext context)
        {
            _docBase = context.DocBase;
            _published = context.AtomicReader.GetNumericDocValues(LuceneSearchEngine.PublishedField);
        }

        public void Collect(int doc)
        {
            var ageDays = (nowMs - (_published?.Get(doc) ?? 0)) / 86_400_000d;
            _all.Add(new ScoreDoc(_docBase + doc, (float)(_scorer!.GetScore() * SearchRanking.RecencyBoost(ageDays))));
        }

        public ScoreDoc[] Top() => [.. _all.OrderByDescending(d => d.Score).ThenBy(d => d.Doc).Take(size)];
    }
}
