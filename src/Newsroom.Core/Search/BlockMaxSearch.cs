using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Newsroom.Search;

/// <summary>Which documents a search may return, as terms and times (what <see cref="BlockMaxSearch"/> intersects as bits).</summary>
internal sealed record CandidateFilter(
    IReadOnlyList<(string Field, string Term)> Required,
    IReadOnlyList<(string Field, string Term)> AnyOf,
    IReadOnlyList<(string Field, string Term)> Excluded,
    long PublishedFrom,
    long PublishedTo,
    long NowMs,
    bool Verify);

/// <summary>
/// The top page of a search and its exact total without scoring every match. Matches are counted as bits: the
/// documents holding every required term, intersected a block of 128 documents at a time with the filters. The
/// scoring query (Lucene's, so scores are Lucene's to the bit) then only runs where a document can still reach
/// the page: each block has an upper bound — per query term, its weight times the highest BM25 term-frequency
/// factor in the block, summed, times the recency boost of the block's newest document — and each document one
/// from the terms it holds and its own recency. The best-bound blocks are scored first, so the page's last score
/// is high early; then every other block and document whose bound is below it is skipped. Newest first visits
/// blocks by their newest document and stops at the first block older than the page.
/// </summary>
/// <remarks>
/// The result is the same as scoring every match (a test holds it to that on a scrambled index). It is fastest
/// when documents were indexed about in the order they were published, as a newsroom publishes, since a block
/// then spans a day or two and its recency bound is tight; on any order it stays exact. A phrase of three words
/// or more is checked by Lucene on every candidate (its pairs of neighbouring syllables narrow them first).
/// </remarks>
internal sealed class BlockMaxSearch
{
    /// <summary>Headroom for float rounding between the bound and Lucene's sums.</summary>
    private const double BoundSlack = 1.0001;

    private const double MsPerDay = 86_400_000;

    /// <summary>How many pages' worth of candidates the best-bound blocks scored first hold.</summary>
    private const int SeedPages = 4;

    private readonly IndexSearcher _searcher;
    private readonly LuceneBlocks _blocks;
    private readonly Query _scoring;
    private readonly CandidateFilter _filter;
    private readonly IList<AtomicReaderContext> _leaves;
    private readonly Component[] _components;
    private readonly double[] _parts;
    private readonly ulong[] _masks;
    private readonly ulong[]?[] _candidates;
    private readonly SegmentDates?[] _dates;
    private readonly Dictionary<(int Leaf, string Field, string Term), TermBlocks?> _terms = [];
    private Weight? _weight;
    private bool _weighed;

    public BlockMaxSearch(IndexSearcher searcher, LuceneBlocks blocks, Query scoring, CandidateFilter filter)
    {
        _searcher = searcher;
        _blocks = blocks;
        _scoring = scoring;
        _filter = filter;
        _leaves = searcher.IndexReader.Leaves;
        _candidates = new ulong[]?[_leaves.Count];
        _dates = new SegmentDates?[_leaves.Count];
        var components = new List<Component>();
        Collect(scoring, 1f, components);
        _components = [.. components];
        _parts = new double[_components.Length];
        _masks = new ulong[_components.Length];
    }

    public long Total { get; private set; }

    /// <summary>The best <paramref name="window"/> documents by relevance × recency, best first.</summary>
    public ScoreDoc[] ByRelevance(int window) => Top(new Page(window, byScore: true), (blocks, best) =>
    {
        Weigh();
        // First the blocks with the best bounds, enough of them to fill the page several times over, so that its
        // last score is near its final value; then, in index order (Lucene's scorers only move forward), every
        // other block whose bound still reaches it. The bounds are sorted as numbers with the blocks' places
        // beside them, and the others keep the order they were listed in, which is the index's.
        var span = CollectionsMarshal.AsSpan(blocks);
        var keys = ArrayPool<double>.Shared.Rent(span.Length);
        var places = ArrayPool<int>.Shared.Rent(span.Length);
        var seeds = new List<BlockRef>();
        var others = new List<BlockRef>(span.Length);
        try
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i].Bound = Bound(span[i]);
                keys[i] = -span[i].Bound;
                places[i] = i;
            }
            keys.AsSpan(0, span.Length).Sort(places.AsSpan(0, span.Length));
            var count = 0;
            for (var i = 0; i < span.Length && count < best.Size * SeedPages; i++)
            {
                ref var seed = ref span[places[i]];
                count += seed.Matches(_candidates);
                seeds.Add(seed);
                seed.Bound = double.NaN; // taken
            }
            foreach (var block in span)
            {
                if (!double.IsNaN(block.Bound))
                {
                    others.Add(block);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(places);
        }
        Score(seeds, best, prune: false);
        Score(others, best, prune: true);
        return best.Drain();
    });

    /// <summary>The newest <paramref name="window"/> documents (ties by index order), with their Lucene scores.</summary>
    public ScoreDoc[] ByNewest(int window) => Top(new Page(window, byScore: false), (blocks, best) =>
    {
        var keys = ArrayPool<long>.Shared.Rent(blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            keys[i] = -_dates[blocks[i].Leaf]!.BlockNewest[blocks[i].Index];
        }
        keys.AsSpan(0, blocks.Count).Sort(CollectionsMarshal.AsSpan(blocks)); // newest first
        ArrayPool<long>.Shared.Return(keys);
        foreach (var block in blocks)
        {
            var dates = _dates[block.Leaf]!;
            if (best.IsFull && dates.BlockNewest[block.Index] < best.Threshold)
            {
                break;
            }
            var docBase = _leaves[block.Leaf].DocBase;
            foreach (var doc in block.Docs(_candidates))
            {
                best.Offer(docBase + doc, dates.Published[doc], 0);
            }
        }
        var top = best.Drain();
        Rescore(top);
        return top;
    });

    /// <summary>The candidates, then the page: by <paramref name="rank"/>, or by Lucene on every candidate where it must verify them.</summary>
    private ScoreDoc[] Top(Page best, Func<List<BlockRef>, Page, ScoreDoc[]> rank)
    {
        try
        {
            var blocks = Candidates();
            if (blocks.Count == 0)
            {
                return [];
            }
            if (_filter.Verify)
            {
                Total = Score(blocks, best, prune: false);
                return best.Drain();
            }
            return rank(blocks, best);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Intersects, per segment, the required terms' bits with live documents and the filters; counts the matches
    /// (unless Lucene must verify them) and lists the blocks that hold any.
    /// </summary>
    private List<BlockRef> Candidates()
    {
        var blocks = new List<BlockRef>();
        long total = 0;
        for (var leaf = 0; leaf < _leaves.Count; leaf++)
        {
            var reader = _leaves[leaf].AtomicReader;
            var maxDoc = reader.MaxDoc;
            if (maxDoc == 0)
            {
                continue;
            }
            var words = (maxDoc + 63) >> 6;
            var blockCount = (maxDoc + LuceneBlocks.BlockSize - 1) >> LuceneBlocks.BlockShift;
            var bits = ArrayPool<ulong>.Shared.Rent(blockCount * LuceneBlocks.WordsPerBlock);
            _candidates[leaf] = bits;
            // A last block that is not full ends with words past the segment: nothing there is a candidate.
            bits.AsSpan(words, blockCount * LuceneBlocks.WordsPerBlock - words).Clear();
            var span = bits.AsSpan(0, words);
            _blocks.Live(reader).AsSpan().CopyTo(span);
            if (!Intersect(leaf, span))
            {
                continue;
            }
            var dates = _blocks.Dates(reader);
            _dates[leaf] = dates;
            for (var i = 0; i < dates.ExpiringDocs.Length; i++)
            {
                if (dates.ExpireAt[i] >= 1 && dates.ExpireAt[i] <= _filter.NowMs)
                {
                    span[dates.ExpiringDocs[i] >> 6] &= ~(1UL << dates.ExpiringDocs[i]);
                }
            }
            for (var block = 0; block < blockCount; block++)
            {
                var blockWords = span.Slice(block * LuceneBlocks.WordsPerBlock, Math.Min(LuceneBlocks.WordsPerBlock, words - block * LuceneBlocks.WordsPerBlock));
                if (!blockWords.ContainsAnyExcept(0UL))
                {
                    continue;
                }
                if (dates.BlockNewest[block] < _filter.PublishedFrom || dates.BlockOldest[block] > _filter.PublishedTo)
                {
                    blockWords.Clear();
                    continue;
                }
                if (dates.BlockOldest[block] < _filter.PublishedFrom || dates.BlockNewest[block] > _filter.PublishedTo)
                {
                    for (var w = 0; w < blockWords.Length; w++)
                    {
                        for (var set = blockWords[w]; set != 0; set &= set - 1)
                        {
                            var doc = ((block * LuceneBlocks.WordsPerBlock + w) << 6) + BitOperations.TrailingZeroCount(set);
                            var at = dates.Published[doc];
                            if (at < _filter.PublishedFrom || at > _filter.PublishedTo)
                            {
                                blockWords[w] &= ~(1UL << doc);
                            }
                        }
                    }
                }
                var matches = 0;
                foreach (var word in blockWords)
                {
                    matches += BitOperations.PopCount(word);
                }
                if (matches > 0)
                {
                    total += matches;
                    blocks.Add(new BlockRef(leaf, block));
                }
            }
        }
        Total = total;
        return blocks;
    }

    /// <summary>ANDs the required terms and the filters into <paramref name="bits"/>; false when the segment cannot match.</summary>
    private bool Intersect(int leaf, Span<ulong> bits)
    {
        foreach (var (field, term) in _filter.Required)
        {
            if (Term(leaf, field, term) is not { } blocks)
            {
                return false;
            }
            And(bits, blocks.Bits);
        }
        if (_filter.AnyOf.Count > 0)
        {
            var any = ArrayPool<ulong>.Shared.Rent(bits.Length);
            try
            {
                var union = any.AsSpan(0, bits.Length);
                union.Clear();
                foreach (var (field, term) in _filter.AnyOf)
                {
                    if (Term(leaf, field, term) is { } blocks)
                    {
                        for (var i = 0; i < union.Length; i++)
                        {
                            union[i] |= blocks.Bits[i];
                        }
                    }
                }
                And(bits, union);
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(any);
            }
        }
        foreach (var (field, term) in _filter.Excluded)
        {
            if (Term(leaf, field, term) is { } blocks)
            {
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] &= ~blocks.Bits[i];
                }
            }
        }
        return bits.ContainsAnyExcept(0UL);
    }

    /// <summary>
    /// A term's blocks in a segment, looked up once per search: a required word is also a scoring term, and a term
    /// too rare to be kept between searches would otherwise be read from its postings twice.
    /// </summary>
    private TermBlocks? Term(int leaf, string field, string term)
    {
        if (!_terms.TryGetValue((leaf, field, term), out var blocks))
        {
            blocks = _blocks.Term(_leaves[leaf].AtomicReader, field, term, Avgdl(field));
            _terms.Add((leaf, field, term), blocks);
        }
        return blocks;
    }

    private static void And(Span<ulong> bits, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] &= other[i];
        }
    }

    /// <summary>Each scoring term's weight as Lucene computes it (idf over the whole index × the boosts above it), and its blocks per segment.</summary>
    private void Weigh()
    {
        var maxDoc = _searcher.IndexReader.MaxDoc;
        foreach (var component in _components)
        {
            component.Blocks = new TermBlocks?[_leaves.Count][];
            var idf = 0f;
            for (var t = 0; t < component.Terms.Length; t++)
            {
                long docFreq = 0;
                for (var leaf = 0; leaf < _leaves.Count; leaf++)
                {
                    component.Blocks[leaf] ??= new TermBlocks?[component.Terms.Length];
                    var blocks = Term(leaf, component.Field, component.Terms[t]);
                    component.Blocks[leaf][t] = blocks;
                    docFreq += blocks?.DocFreq ?? 0;
                }
                idf += _blocks.Similarity.IdfOf(docFreq, maxDoc);
            }
            component.Weight = idf * component.Boost * (_blocks.Similarity.K1 + 1);
            component.Avgdl = Avgdl(component.Field);
        }
        _weighed = true;
    }

    /// <summary>
    /// Lucene's weight for the scoring query. Once the terms are weighed, each term query is given the postings'
    /// places already found (Lucene would look every term up again in every segment).
    /// </summary>
    private Weight ScoringWeight() => _weight ??= _searcher.CreateNormalizedWeight(_weighed ? Bind(_scoring) : _scoring);

    private Query Bind(Query query)
    {
        switch (query)
        {
            case BooleanQuery boolean:
                var bound = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost, MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch };
                foreach (var clause in boolean.Clauses)
                {
                    bound.Add(Bind(clause.Query), clause.Occur);
                }
                return bound;
            case TermQuery term when _components.FirstOrDefault(c => c.Terms.Length == 1 && c.Field == term.Term.Field && c.Terms[0] == term.Term.Text) is { } component:
                var context = new TermContext(_searcher.TopReaderContext);
                for (var leaf = 0; leaf < _leaves.Count; leaf++)
                {
                    if (component.Blocks[leaf][0] is { } blocks)
                    {
                        context.Register(blocks.State, leaf, blocks.DocFreq, blocks.TotalTermFreq);
                    }
                }
                return new TermQuery(term.Term, context) { Boost = term.Boost };
            default:
                return query;
        }
    }

    /// <summary>The most any candidate of the block can score: each term's weight × its best factor in the block, × the block's best recency.</summary>
    private double Bound(BlockRef block)
    {
        return Parts(block) * Recency(_dates[block.Leaf]!.BlockNewest[block.Index]) * BoundSlack;
    }

    /// <summary>The recency boost of a document published at <paramref name="published"/> (ms), as of the search.</summary>
    private double Recency(long published) => SearchRanking.RecencyBoost((_filter.NowMs - published) / MsPerDay);

    /// <summary>
    /// Fills <see cref="_parts"/> with the most each scoring term can add to a document of the block (0 where the
    /// block lacks it); their sum.
    /// </summary>
    private double Parts(BlockRef block)
    {
        double sum = 0;
        for (var c = 0; c < _components.Length; c++)
        {
            var component = _components[c];
            var factor = float.MaxValue;
            var drift = 1f;
            foreach (var blocks in component.Blocks[block.Leaf])
            {
                if (blocks is null)
                {
                    factor = 0;
                    break;
                }
                // A summary built with a smaller average length understates the factor by at most that ratio.
                drift = Math.Max(drift, component.Avgdl / blocks.Avgdl);
                factor = Math.Min(factor, blocks.BlockMax[block.Index]);
            }
            _parts[c] = component.Weight * factor * drift;
            sum += _parts[c];
        }
        return sum;
    }

    /// <summary>Per scoring term, which of the 64 documents of a word of the block hold it (every word of a phrase).</summary>
    private void Masks(int leaf, int index)
    {
        for (var c = 0; c < _components.Length; c++)
        {
            if (_parts[c] == 0)
            {
                _masks[c] = 0;
                continue;
            }
            var mask = ulong.MaxValue;
            foreach (var blocks in _components[c].Blocks[leaf])
            {
                mask &= blocks!.Bits[index];
            }
            _masks[c] = mask;
        }
    }

    /// <summary>
    /// The most one document can score before recency: only the terms it holds (<see cref="Masks"/>), each at
    /// most its block's best. A document holding the words in its body only is bounded far below one holding
    /// them in its title, and is skipped without being scored once the page is better than that.
    /// </summary>
    private double Bound(int doc)
    {
        double sum = 0;
        var bit = 1UL << doc;
        for (var c = 0; c < _parts.Length; c++)
        {
            if ((_masks[c] & bit) != 0)
            {
                sum += _parts[c];
            }
        }
        return sum;
    }

    private static bool InIndexOrder(List<BlockRef> blocks)
    {
        for (var i = 1; i < blocks.Count; i++)
        {
            if (blocks[i - 1].Leaf > blocks[i].Leaf || (blocks[i - 1].Leaf == blocks[i].Leaf && blocks[i - 1].Index > blocks[i].Index))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Scores the blocks' candidates with Lucene, in index order, skipping (when pruning) blocks that cannot reach the page; how many matched.</summary>
    private long Score(List<BlockRef> blocks, Page best, bool prune)
    {
        if (!InIndexOrder(blocks))
        {
            blocks.Sort((a, b) => a.Leaf != b.Leaf ? a.Leaf.CompareTo(b.Leaf) : a.Index.CompareTo(b.Index));
        }
        var weight = ScoringWeight();
        long matched = 0;
        Scorer? scorer = null;
        var leaf = -1;
        var exhausted = false; // the segment's scorer has passed its last match (or the segment has none)
        foreach (var block in blocks)
        {
            if (prune && best.IsFull && block.Bound < best.Threshold)
            {
                continue;
            }
            if (block.Leaf != leaf)
            {
                (leaf, scorer, exhausted) = (block.Leaf, null, false);
            }
            if (exhausted)
            {
                continue;
            }
            var dates = _dates[leaf]!;
            var docBase = _leaves[leaf].DocBase;
            var bounded = prune && _weighed;
            var all = bounded ? Parts(block) : 0;
            var bits = _candidates[leaf]!;
            var cutoffFor = double.NaN;
            var cutoff = long.MinValue;
            var blockRecency = bounded ? Recency(dates.BlockNewest[block.Index]) * BoundSlack : 0;
            for (var index = block.Index * LuceneBlocks.WordsPerBlock; index < (block.Index + 1) * LuceneBlocks.WordsPerBlock && !exhausted; index++)
            {
                var masked = false;
                var set = bits[index];
                if (set != 0 && bounded && best.IsFull)
                {
                    Masks(leaf, index);
                    masked = true;
                    set &= Indispensable(all, best.Threshold / blockRecency);
                }
                for (; set != 0; set &= set - 1)
                {
                    var doc = (index << 6) + BitOperations.TrailingZeroCount(set);
                    var published = dates.Published[doc];
                    if (bounded && best.IsFull)
                    {
                        if (best.Threshold != cutoffFor)
                        {
                            cutoffFor = best.Threshold;
                            cutoff = OldestReaching(all, cutoffFor);
                        }
                        if (published < cutoff)
                        {
                            continue; // too old for even every term at the block's best to reach the page
                        }
                        var recency = Recency(published) * BoundSlack;
                        if (!masked)
                        {
                            Masks(leaf, index);
                            masked = true;
                        }
                        if (Bound(doc) * recency < best.Threshold)
                        {
                            continue;
                        }
                    }
                    // The segment's scorer is set up for the first document that has to be scored, not before.
                    scorer ??= weight.GetScorer(_leaves[leaf], null);
                    if (scorer is null || (scorer.DocID < doc && scorer.Advance(doc) == DocIdSetIterator.NO_MORE_DOCS))
                    {
                        exhausted = true;
                        break;
                    }
                    if (scorer.DocID != doc)
                    {
                        continue; // a candidate Lucene does not match: only where it verifies (long phrases)
                    }
                    matched++;
                    if (best.ByScore)
                    {
                        best.Offer(docBase + doc, 0, (float)(scorer.GetScore() * Recency(published)));
                    }
                    else
                    {
                        best.Offer(docBase + doc, published, scorer.GetScore());
                    }
                }
            }
        }
        return matched;
    }

    /// <summary>
    /// Of the 64 documents whose terms <see cref="Masks"/> holds, those that hold every term without which even the
    /// block's best for all the others stays below <paramref name="need"/> (the page's last score over the block's best
    /// recency): when the page is good, a title word is such a term, and documents with the words in their body only
    /// are set aside as bits, 64 at a time, before any is bounded alone. Rounded towards keeping more.
    /// </summary>
    private ulong Indispensable(double all, double need)
    {
        var below = need * (1 - 1e-9);
        if (all < below)
        {
            return 0;
        }
        var kept = ulong.MaxValue;
        for (var c = 0; c < _parts.Length; c++)
        {
            if (_parts[c] > 0 && all - _parts[c] < below)
            {
                kept &= _masks[c];
            }
        }
        return kept;
    }

    /// <summary>
    /// The oldest publication time at which a document bounded by <paramref name="bound"/> before recency can still
    /// reach <paramref name="threshold"/> once its recency boost is applied (the boost only falls with age), so a
    /// block's documents are turned away on one comparison each. Rounded towards letting more through: whatever
    /// passes is bounded exactly next.
    /// </summary>
    private long OldestReaching(double bound, double threshold)
    {
        var needed = threshold / (bound * BoundSlack); // the boost a document needs
        if (!(needed > 1))
        {
            return long.MinValue; // every age gets a boost of at least 1 (also a bound of 0 against a threshold of 0 or less)
        }
        if (needed > 2)
        {
            return long.MaxValue; // more than a story of today gets
        }
        // 1 + 1 / (1 + age / halfLife) >= needed  <=>  age <= halfLife × (1 / (needed - 1) - 1)
        var maxAgeMs = SearchRanking.RecencyHalfLifeDays * (1 / (needed - 1) - 1) * MsPerDay * (1 + 1e-9);
        return maxAgeMs < 1e15 ? _filter.NowMs - (long)Math.Ceiling(maxAgeMs) - 1 : long.MinValue; // 1e15 ms: 30,000 years
    }

    /// <summary>Lucene's score for each of the page's documents (newest first needs no score to rank).</summary>
    private void Rescore(ScoreDoc[] top)
    {
        var weight = ScoringWeight();
        foreach (var group in top.GroupBy(hit => ReaderUtil.SubIndex(hit.Doc, _leaves)))
        {
            var context = _leaves[group.Key];
            var scorer = weight.GetScorer(context, null);
            foreach (var hit in group.OrderBy(h => h.Doc))
            {
                var doc = hit.Doc - context.DocBase;
                if (scorer is not null && (scorer.DocID >= doc || scorer.Advance(doc) != DocIdSetIterator.NO_MORE_DOCS) && scorer.DocID == doc)
                {
                    hit.Score = scorer.GetScore();
                }
            }
        }
    }

    private float Avgdl(string field) => FieldStatistics.AverageLength(_searcher, field);

    private void Release()
    {
        for (var i = 0; i < _candidates.Length; i++)
        {
            if (_candidates[i] is { } bits)
            {
                ArrayPool<ulong>.Shared.Return(bits);
                _candidates[i] = null;
            }
        }
    }

    /// <summary>Every term or phrase of the scoring query that adds to a score, with the product of the boosts above it (Lucene's weight normalization).</summary>
    private static void Collect(Query query, float boost, List<Component> into)
    {
        switch (query)
        {
            case BooleanQuery boolean:
                foreach (var clause in boolean.Clauses)
                {
                    if (clause.Occur != Occur.MUST_NOT)
                    {
                        Collect(clause.Query, boost * boolean.Boost, into);
                    }
                }
                break;
            case TermQuery term:
                into.Add(new Component(term.Term.Field, [term.Term.Text], boost * term.Boost));
                break;
            case PhraseQuery phrase when phrase.Slop == 0:
                var terms = phrase.GetTerms();
                into.Add(new Component(terms[0].Field, [.. terms.Select(t => t.Text)], boost * phrase.Boost));
                break;
            default:
                throw new NotSupportedException($"No score bound for a {query.GetType().Name}.");
        }
    }

    private sealed class Component(string field, string[] terms, float boost)
    {
        public string Field { get; } = field;

        public string[] Terms { get; } = terms;

        public float Boost { get; } = boost;

        public float Weight { get; set; }

        public float Avgdl { get; set; }

        /// <summary>Per segment, per term of the phrase (one for a term), its blocks; null where the segment lacks it.</summary>
        public TermBlocks?[][] Blocks { get; set; } = [];
    }

    private struct BlockRef(int leaf, int block)
    {
        public int Leaf = leaf;
        public int Index = block;
        public double Bound;

        public readonly int Matches(ulong[]?[] candidates)
        {
            var bits = candidates[Leaf]!;
            var count = 0;
            for (var w = 0; w < LuceneBlocks.WordsPerBlock; w++)
            {
                var index = Index * LuceneBlocks.WordsPerBlock + w;
                if (index < bits.Length)
                {
                    count += BitOperations.PopCount(bits[index]);
                }
            }
            return count;
        }

        public readonly IEnumerable<int> Docs(ulong[]?[] candidates)
        {
            var bits = candidates[Leaf]!;
            for (var w = 0; w < LuceneBlocks.WordsPerBlock; w++)
            {
                var index = Index * LuceneBlocks.WordsPerBlock + w;
                if (index >= bits.Length)
                {
                    yield break;
                }
                for (var set = bits[index]; set != 0; set &= set - 1)
                {
                    yield return (index << 6) + BitOperations.TrailingZeroCount(set);
                }
            }
        }
    }

    /// <summary>The best documents so far: by score (ties to the earlier document), or by publication time (the same).</summary>
    private sealed class Page(int size, bool byScore)
    {
        private readonly PriorityQueue<ScoreDoc, (double Key, int Doc)> _heap = new(size + 1, Comparer<(double Key, int Doc)>.Create(
            (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : b.Doc.CompareTo(a.Doc)));

        public bool ByScore => byScore;

        public int Size => size;

        public bool IsFull { get; private set; }

        /// <summary>The key of the worst document kept once the page is full: what a newcomer has to beat.</summary>
        public double Threshold { get; private set; } = double.NegativeInfinity;

        public void Offer(int doc, long published, float score)
        {
            var key = (byScore ? score : (double)published, doc);
            if (_heap.Count < size)
            {
                _heap.Enqueue(new ScoreDoc(doc, score), key);
            }
            else if (_heap.TryPeek(out _, out var worst) && _heap.Comparer.Compare(key, worst) > 0)
            {
                _heap.DequeueEnqueue(new ScoreDoc(doc, score), key);
            }
            else
            {
                return;
            }
            IsFull = _heap.Count >= size;
            Threshold = _heap.TryPeek(out _, out var last) ? last.Key : double.NegativeInfinity;
        }

        public ScoreDoc[] Drain()
        {
            var top = new ScoreDoc[_heap.Count];
            for (var i = top.Length - 1; i >= 0; i--)
            {
                top[i] = _heap.Dequeue();
            }
            (IsFull, Threshold) = (false, double.NegativeInfinity);
            return top;
        }
    }
}

/// <summary>A field's average length over the index, per searcher (a searcher is one view of the index, so it never changes).</summary>
internal static class FieldStatistics
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IndexSearcher, System.Collections.Concurrent.ConcurrentDictionary<string, float>> Averages = new();

    public static float AverageLength(IndexSearcher searcher, string field) =>
        Averages.GetOrCreateValue(searcher).GetOrAdd(field, f =>
        {
            var stats = searcher.CollectionStatistics(f);
            return stats.SumTotalTermFreq <= 0 ? 1f : (float)(stats.SumTotalTermFreq / (double)stats.MaxDoc);
        });
}
