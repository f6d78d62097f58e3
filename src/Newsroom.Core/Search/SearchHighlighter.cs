using System.Buffers;

namespace Newsroom.Search;

/// <summary>
/// Marks the query's words in plain text and picks the snippet, as offsets rather than markup, so nothing
/// the engine returns is HTML a client must trust. A word counts as matched when its accent-free form is
/// one of the query's (a search for "Hà" finds and marks "Hạ" too: it matched, so the reader sees why).
/// </summary>
internal static class SearchHighlighter
{
    public const int SnippetLength = 200;

    /// <summary>How much text before the first match the snippet tries to show, so it does not open on the match.</summary>
    private const int LeadContext = 40;

    /// <summary>Past this many matches the snippet search stops looking: the best window is long since found.</summary>
    private const int MaxMatchesConsidered = 256;

    /// <summary>The words of the text being highlighted, in a list each thread reuses: a page of hits reads twenty texts.</summary>
    [ThreadStatic]
    private static List<TextRange>? t_words;

    public static IReadOnlyList<TextRange> Highlight(string text, IReadOnlySet<string> foldedTerms) =>
        MergeAdjacent(text, Matches(text, Words(text), foldedTerms).Select(m => m.Range));

    /// <summary>
    /// About <paramref name="length"/> characters of <paramref name="text"/> around the window holding the most
    /// distinct query words (then the most matches, then the earliest), starting on a word, preferably a
    /// sentence, and ending after a whole word. Text without a match yields its opening.
    /// </summary>
    public static (string Snippet, IReadOnlyList<TextRange> Highlights) Snippet(string text, IReadOnlySet<string> foldedTerms, int length = SnippetLength)
    {
        var tokens = Words(text);
        if (tokens.Count == 0)
        {
            return ("", []);
        }
        var matches = Matches(text, tokens, foldedTerms);
        if (matches.Count == 0)
        {
            var leadStart = tokens[0].Start;
            return (text[leadStart..CutEnd(tokens, text.Length, leadStart, length)], []);
        }

        var best = 0;
        var bestDistinct = -1;
        var bestCount = -1;
        var bestLastEnd = 0;
        var considered = Math.Min(matches.Count, MaxMatchesConsidered);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < considered; i++)
        {
            seen.Clear();
            var windowEnd = matches[i].Range.Start + length;
            var count = 0;
            var lastEnd = End(matches[i].Range);
            for (var j = i; j < considered && End(matches[j].Range) <= windowEnd; j++)
            {
                seen.Add(matches[j].Term);
                count++;
                lastEnd = End(matches[j].Range);
            }
            if (seen.Count > bestDistinct || (seen.Count == bestDistinct && count > bestCount))
            {
                (best, bestDistinct, bestCount, bestLastEnd) = (i, seen.Count, count, lastEnd);
            }
        }

        var first = matches[best].Range.Start;
        var slack = Math.Max(0, length - (bestLastEnd - first));
        var back = Math.Min(slack, Math.Max(LeadContext, length - (text.Length - first)));
        var start = StartBefore(text, tokens, first, back);
        var end = CutEnd(tokens, text.Length, start, length);
        var highlights = MergeAdjacent(text, matches.Select(m => m.Range).Where(r => r.Start >= start && End(r) <= end))
            .Select(r => r with { Start = r.Start - start }).ToList();
        return (text[start..end], highlights);
    }

    /// <summary>
    /// Cuts an already highlighted fragment (the managed engine's) down to about <paramref name="length"/>
    /// characters around its first highlight, on word boundaries, keeping the highlights that remain inside.
    /// </summary>
    public static (string Snippet, IReadOnlyList<TextRange> Highlights) Clip((string Text, IReadOnlyList<TextRange> Highlights) fragment, int length = SnippetLength)
    {
        var (text, ranges) = fragment;
        if (text.Length <= length + 20 || ranges.Count == 0)
        {
            return text.Length <= length + 20 ? fragment : (text[..CutEnd(SearchTokens.Tokenize(text), text.Length, 0, length)], []);
        }
        var tokens = SearchTokens.Tokenize(text);
        var first = ranges[0].Start;
        var lastEnd = ranges.Select(End).Where(e => e <= first + length).DefaultIfEmpty(End(ranges[0])).Max();
        var slack = Math.Max(0, length - (lastEnd - first));
        var start = StartBefore(text, tokens, first, Math.Min(slack, Math.Max(LeadContext, length - (text.Length - first))));
        var end = CutEnd(tokens, text.Length, start, length);
        return (text[start..end], ranges.Where(r => r.Start >= start && End(r) <= end).Select(r => r with { Start = r.Start - start }).ToList());
    }

    /// <summary>
    /// Joins the marks of words that read as one: "Thái Nguyên" (a space between syllables) and
    /// "1666/QĐ-BHXH" (one joiner between pieces) become one range each.
    /// </summary>
    public static IReadOnlyList<TextRange> MergeAdjacent(string text, IEnumerable<TextRange> ranges)
    {
        var merged = new List<TextRange>();
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && Joins(text, End(merged[^1]), range.Start))
            {
                merged[^1] = merged[^1] with { Length = End(range) - merged[^1].Start };
            }
            else if (merged.Count == 0 || range.Start >= End(merged[^1]))
            {
                merged.Add(range);
            }
        }
        return merged;
    }

    private static bool Joins(string text, int from, int to)
    {
        if (to <= from || to > text.Length)
        {
            return false;
        }
        var gap = text.AsSpan(from, to - from);
        return (gap.Length == 1 && gap[0] is '/' or '-' or '.' or '_' or '‐')
            || !gap.ContainsAnyExcept(' ', '\u00A0', '\t');
    }

    /// <summary>The words of <paramref name="text"/>, valid until this thread's next call.</summary>
    private static List<TextRange> Words(string text)
    {
        var words = t_words ??= [];
        words.Clear();
        SearchTokens.Tokenize(text, words);
        return words;
    }

    /// <summary>
    /// The words of <paramref name="text"/> whose accent-free form is a query term. A word is folded only when its
    /// first letter folds to the first letter of some term (most words are turned away on one character), and
    /// folded through the per-character table (<see cref="SearchTokens.LowerAndFold"/>), not ICU. Only a match
    /// allocates (its term string).
    /// </summary>
    private static List<(TextRange Range, string Term)> Matches(string text, List<TextRange> tokens, IReadOnlySet<string> foldedTerms)
    {
        var matches = new List<(TextRange, string)>();
        if (foldedTerms.Count == 0 || tokens.Count == 0)
        {
            return matches;
        }
        var terms = foldedTerms as HashSet<string> ?? new HashSet<string>(foldedTerms, StringComparer.Ordinal);
        var lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> firsts = terms.Count <= 64 ? stackalloc char[terms.Count] : new char[terms.Count];
        var firstCount = 0;
        foreach (var term in terms)
        {
            if (term.Length > 0 && !firsts[..firstCount].Contains(term[0]))
            {
                firsts[firstCount++] = term[0];
            }
        }
        firsts = firsts[..firstCount];
        var folded = ArrayPool<char>.Shared.Rent((SearchTokens.MaxTokenLength + 2) * 4);
        try
        {
            foreach (var token in tokens)
            {
                var first = SearchTokens.CharFacts.Folded(text[token.Start]);
                if (first != SearchTokens.CharFacts.NotOneChar && !firsts.Contains(first))
                {
                    continue; // the word's folded form starts with a letter no term starts with
                }
                var foldedLength = SearchTokens.LowerAndFold(text.AsSpan(token.Start, token.Length), folded);
                if (lookup.TryGetValue(folded.AsSpan(0, foldedLength), out var term))
                {
                    matches.Add((token, term));
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(folded);
        }
        return matches;
    }

    /// <summary>The start of the sentence holding <paramref name="first"/> if it is near enough, else the first word at most <paramref name="back"/> before it.</summary>
    private static int StartBefore(string text, List<TextRange> tokens, int first, int back)
    {
        var limit = Math.Max(0, first - back);
        var sentence = text.AsSpan(limit, first - limit).LastIndexOfAny(".!?\n");
        var from = sentence >= 0 ? limit + sentence + 1 : limit;
        foreach (var token in tokens)
        {
            if (token.Start >= from)
            {
                return Math.Min(token.Start, first);
            }
        }
        return first;
    }

    private static int CutEnd(List<TextRange> tokens, int textLength, int start, int length)
    {
        if (start + length >= textLength)
        {
            return textLength;
        }
        var end = start;
        foreach (var token in tokens)
        {
            if (End(token) > start + length)
            {
                break;
            }
            end = Math.Max(end, End(token));
        }
        return end > start ? end : start + length;
    }

    private static int End(TextRange range) => range.Start + range.Length;
}
