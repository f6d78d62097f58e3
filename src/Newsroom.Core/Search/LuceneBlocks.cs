using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Newsroom.Search;

/// <summary>BM25 exactly as Lucene scores with it, with the parts a score bound needs (idf, decoded field lengths) in reach.</summary>
internal sealed class NewsroomBm25 : BM25Similarity
{
    public float IdfOf(long docFreq, long maxDoc) => Idf(docFreq, maxDoc);

    public float LengthOf(int norm) => DecodeNormValue((byte)norm);

    /// <summary>BM25's length part per norm byte, <c>k1 × (1 − b + b × length / avgdl)</c>, as Lucene's scorer precomputes it.</summary>
    public float[] NormCache(float avgdl)
    {
        var cache = new float[256];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = K1 * ((1 - B) + B * LengthOf(i) / avgdl);
        }
        return cache;
    }
}

/// <summary>
/// Where a term is in one segment, by blocks of <see cref="LuceneBlocks.BlockSize"/> documents: a bit per document
/// holding it, and per block the highest BM25 term-frequency factor <c>tf / (tf + norm)</c> among them. The bits
/// count and intersect matches without visiting postings; the factor bounds what any document of the block can
/// score for the term, so a search skips blocks that cannot reach its top page.
/// </summary>
internal sealed class TermBlocks(ulong[] bits, float[] blockMax, int docFreq, long totalTermFreq, TermState state, float avgdl)
{
    /// <summary>Where the term's postings start, so a query on it needs no second lookup in the terms dictionary.</summary>
    public TermState State { get; } = state;

    public long TotalTermFreq { get; } = totalTermFreq;

    public ulong[] Bits { get; } = bits;

    public float[] BlockMax { get; } = blockMax;

    /// <summary>Documents holding the term in the segment, deleted ones included (as Lucene's statistics count them).</summary>
    public int DocFreq { get; } = docFreq;

    /// <summary>The field's average length the factors were computed with.</summary>
    public float Avgdl { get; } = avgdl;

    public long LastUse;

    public long Bytes => Bits.Length * 8L + BlockMax.Length * 4L + 64;
}

/// <summary>What a search needs of one segment's documents beside their terms: publication times per document and per block, and the expiring ones.</summary>
internal sealed class SegmentDates(long[] published, long[] blockNewest, long[] blockOldest, int[] expiringDocs, long[] expireAt)
{
    public long[] Published { get; } = published;

    public long[] BlockNewest { get; } = blockNewest;

    public long[] BlockOldest { get; } = blockOldest;

    public int[] ExpiringDocs { get; } = expiringDocs;

    public long[] ExpireAt { get; } = expireAt;
}

/// <summary>
/// The per-segment summaries <see cref="BlockMaxSearch"/> reads: <see cref="TermBlocks"/> of the terms a search asks
/// for (kept for frequent terms within a byte budget, least recently used dropped first; rare ones are built per
/// search from their short postings), publication times, and live documents as bits. Segments are immutable, so
/// a summary stays true until its segment is merged away, when it is dropped.
/// </summary>
internal sealed class LuceneBlocks(NewsroomBm25 similarity, string publishedField, string expireField, long budgetBytes)
{
    public const int BlockShift = 7;
    public const int BlockSize = 1 << BlockShift;
    public const int WordsPerBlock = BlockSize / 64;

    /// <summary>A term in fewer documents of a segment is cheaper to read again than to keep.</summary>
    public const int CachedDocFreq = 1024;

    /// <summary>How far the field's average length may drift (documents added or removed) before a kept summary is rebuilt.</summary>
    private const float AvgdlDrift = 0.05f;

    private readonly ConcurrentDictionary<(object Core, string Field, string Term), TermBlocks> _terms = new();
    private readonly ConditionalWeakTable<object, SegmentDates> _dates = new();
    private readonly ConditionalWeakTable<object, ulong[]> _live = new();
    private readonly ConcurrentDictionary<object, bool> _watched = new();
    private readonly Lock _evicting = new();
    private long _bytes;
    private long _clock;

    public long CachedBytes => Interlocked.Read(ref _bytes);

    public int CachedTerms => _terms.Count;

    public NewsroomBm25 Similarity => similarity;

    /// <summary>The term's blocks in the segment, or null when no document of it holds the term.</summary>
    public TermBlocks? Term(AtomicReader reader, string field, string term, float avgdl)
    {
        var core = reader.CoreCacheKey;
        var key = (core, field, term);
        if (_terms.TryGetValue(key, out var kept) && Math.Abs(kept.Avgdl / avgdl - 1) <= AvgdlDrift)
        {
            kept.LastUse = Interlocked.Increment(ref _clock);
            return kept;
        }
        var built = Build(reader, field, term, avgdl);
        if (built is { DocFreq: >= CachedDocFreq } && budgetBytes > 0)
        {
            Watch(reader);
            built.LastUse = Interlocked.Increment(ref _clock);
            if (kept is not null && _terms.TryRemove(new KeyValuePair<(object, string, string), TermBlocks>(key, kept)))
            {
                Interlocked.Add(ref _bytes, -kept.Bytes);
            }
            if (_terms.TryAdd(key, built))
            {
                Interlocked.Add(ref _bytes, built.Bytes);
                if (Interlocked.Read(ref _bytes) > budgetBytes)
                {
                    Evict();
                }
            }
        }
        return built;
    }

    public SegmentDates Dates(AtomicReader reader) => _dates.GetValue(reader.CoreCacheKey, _ => BuildDates(reader));

    /// <summary>The segment's live documents as bits (all set when nothing is deleted), per reader generation.</summary>
    public ulong[] Live(AtomicReader reader) => _live.GetValue(reader.CombinedCoreAndDeletesKey, _ =>
    {
        var bits = new ulong[(reader.MaxDoc + 63) >> 6];
        var live = reader.LiveDocs;
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is null || live.Get(doc))
            {
                bits[doc >> 6] |= 1UL << doc;
            }
        }
        return bits;
    });

    private TermBlocks? Build(AtomicReader reader, string field, string term, float avgdl)
    {
        var terms = reader.GetTerms(field);
        if (terms is null)
        {
            return null;
        }
        var enumerator = terms.GetEnumerator();
        if (!enumerator.SeekExact(new BytesRef(term)))
        {
            return null;
        }
        var maxDoc = reader.MaxDoc;
        var bits = new ulong[(maxDoc + 63) >> 6];
        var blockMax = new float[(maxDoc + BlockSize - 1) >> BlockShift];
        var norms = reader.GetNormValues(field);
        var cache = norms is null ? null : similarity.NormCache(avgdl);
        var docs = enumerator.Docs(null, null, DocsFlags.FREQS);
        int doc;
        while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
        {
            bits[doc >> 6] |= 1UL << doc;
            float freq = docs.Freq;
            var norm = cache is null ? similarity.K1 : cache[(sbyte)norms!.Get(doc) & 0xFF];
            var factor = freq / (freq + norm);
            ref var max = ref blockMax[doc >> BlockShift];
            if (factor > max)
            {
                max = factor;
            }
        }
        return new TermBlocks(bits, blockMax, enumerator.DocFreq, enumerator.TotalTermFreq, enumerator.GetTermState(), avgdl);
    }

    private SegmentDates BuildDates(AtomicReader reader)
    {
        var maxDoc = reader.MaxDoc;
        var published = new long[maxDoc];
        var blocks = (maxDoc + BlockSize - 1) >> BlockShift;
        var newest = new long[blocks];
        var oldest = new long[blocks];
        Array.Fill(newest, long.MinValue);
        Array.Fill(oldest, long.MaxValue);
        var values = reader.GetNumericDocValues(publishedField);
        for (var doc = 0; doc < maxDoc; doc++)
        {
            // A document without the value reads as 0, as Lucene's doc-values range filter read it.
            var at = values?.Get(doc) ?? 0;
            published[doc] = at;
            var block = doc >> BlockShift;
            newest[block] = Math.Max(newest[block], at);
            oldest[block] = Math.Min(oldest[block], at);
        }
        var expiringDocs = new List<int>();
        var expireAt = new List<long>();
        if (reader.GetNumericDocValues(expireField) is { } expires)
        {
            for (var doc = 0; doc < maxDoc; doc++)
            {
                if (expires.Get(doc) is var at and not 0)
                {
                    expiringDocs.Add(doc);
                    expireAt.Add(at);
                }
            }
        }
        return new SegmentDates(published, newest, oldest, [.. expiringDocs], [.. expireAt]);
    }

    /// <summary>Drops a segment's kept terms once Lucene closes it (merged away, or the index closed).</summary>
    private void Watch(AtomicReader reader)
    {
        if (reader is SegmentReader segment && _watched.TryAdd(segment.CoreCacheKey, true))
        {
            segment.AddCoreDisposedListener(new CoreDisposed(this));
        }
    }

    private void Forget(object core)
    {
        _watched.TryRemove(core, out _);
        foreach (var entry in _terms)
        {
            if (ReferenceEquals(entry.Key.Core, core) && _terms.TryRemove(entry))
            {
                Interlocked.Add(ref _bytes, -entry.Value.Bytes);
            }
        }
    }

    /// <summary>Brings the kept terms back to three quarters of the budget, least recently used first; one eviction at a time.</summary>
    private void Evict()
    {
        if (!_evicting.TryEnter())
        {
            return;
        }
        try
        {
            var target = budgetBytes / 4 * 3;
            foreach (var entry in _terms.OrderBy(e => e.Value.LastUse).ToList())
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }
                if (_terms.TryRemove(entry))
                {
                    Interlocked.Add(ref _bytes, -entry.Value.Bytes);
                }
            }
        }
        finally
        {
            _evicting.Exit();
        }
    }

    private sealed class CoreDisposed(LuceneBlocks blocks) : SegmentReader.ICoreDisposedListener
    {
        public void OnDispose(object ownerCoreCacheKey) => blocks.Forget(ownerCoreCacheKey);
    }
}
