using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.Miscellaneous;

namespace Newsroom.Search;

/// <summary>
/// The one definition of a searchable word, shared by indexing, query parsing and highlighting so the three
/// never disagree. A word is a run of letters, digits and combining marks: Vietnamese writes a space between
/// syllables, so each syllable is a word, and "1666/QĐ-BHXH" is the words 1666, qđ, bhxh, matched as a
/// phrase. Splitting document numbers into pieces (rather than keeping them whole) is what lets "1666/qd-bhxh"
/// and "1666 QĐ BHXH" find the same decision.
/// </summary>
internal static class SearchTokens
{
    /// <summary>Matches Lucene's CharTokenizer, which cuts a longer run into pieces of this size.</summary>
    public const int MaxTokenLength = 255;

    public static bool IsTokenChar(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            return false;
        }
        var rune = new Rune(codePoint);
        return Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    public static List<TextRange> Tokenize(string text)
    {
        var tokens = new List<TextRange>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Adds the words of <paramref name="text"/> to <paramref name="tokens"/>, a list the caller may reuse.</summary>
    public static void Tokenize(string text, List<TextRange> tokens)
    {
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            bool isToken;
            var width = 1;
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                isToken = CharFacts.IsTokenChar(c); // a character of its own: the table says what IsTokenChar would
            }
            else
            {
                var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
                isToken = status == System.Buffers.OperationStatus.Done && IsTokenChar(rune.Value);
                width = Math.Max(consumed, 1);
            }
            if (isToken && start < 0)
            {
                start = i;
            }
            else if (!isToken && start >= 0)
            {
                tokens.Add(new TextRange(start, i - start));
                start = -1;
            }
            i += width;
            if (start >= 0 && i - start >= MaxTokenLength)
            {
                tokens.Add(new TextRange(start, i - start));
                start = -1;
            }
        }
        if (start >= 0)
        {
            tokens.Add(new TextRange(start, text.Length - start));
        }
    }

    /// <summary>Lower-case form of one token, as Lucene's LowerCaseFilter writes it into the index.</summary>
    public static string Lower(ReadOnlySpan<char> token)
    {
        Span<char> buffer = token.Length <= 256 ? stackalloc char[token.Length] : new char[token.Length];
        token.ToLowerInvariant(buffer);
        return new string(buffer);
    }

    /// <summary>
    /// The accent-free twin the index keeps beside each token: Lucene's own ASCII folding (the index's
    /// filter), which maps đ to d as well as stripping marks, so query and index fold identically.
    /// </summary>
    public static string Fold(string lowerCaseToken)
    {
        var input = lowerCaseToken.ToCharArray();
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }

    /// <summary>
    /// Writes the accent-free lower-case form of <paramref name="token"/> (what <see cref="Lower(ReadOnlySpan{char})"/>
    /// then <see cref="Fold"/> give) into <paramref name="output"/>, at least four times the token's length, and
    /// returns its length.
    /// </summary>
    public static int LowerAndFold(ReadOnlySpan<char> token, char[] output)
    {
        for (var i = 0; i < token.Length; i++)
        {
            var folded = CharFacts.Folded(token[i]);
            if (folded == CharFacts.NotOneChar)
            {
                // A character that folds to several (æ, ß, ǆ) or half of a pair: the long way, the whole token.
                var slow = Fold(Lower(token));
                slow.CopyTo(output);
                return slow.Length;
            }
            output[i] = folded;
        }
        return token.Length;
    }

    /// <summary>
    /// What the tokenizer and the highlighter ask of each character, answered once per character of the Basic
    /// Multilingual Plane (192 KB, built on first use): whether it is a word character, and its lower-case
    /// ASCII-folded form when that is one character. The highlighter reads every word of twenty texts per search;
    /// asking ICU per character cost a fifth of a search.
    /// </summary>
    internal static class CharFacts
    {
        public const char NotOneChar = '\uFFFF';

        private static readonly (bool[] Token, char[] Folded) Facts = Build();

        public static bool IsTokenChar(char c) => Facts.Token[c];

        public static char Folded(char c) => Facts.Folded[c];

        private static (bool[], char[]) Build()
        {
            var token = new bool[char.MaxValue + 1];
            var folded = new char[char.MaxValue + 1];
            Span<char> lower = stackalloc char[1];
            var input = new char[1];
            var output = new char[8];
            for (var c = 0; c <= char.MaxValue; c++)
            {
                var ch = (char)c;
                folded[c] = NotOneChar;
                if (char.IsSurrogate(ch))
                {
                    continue; // half of a pair: the callers decode the pair
                }
                token[c] = SearchTokens.IsTokenChar(c);
                new ReadOnlySpan<char>(in ch).ToLowerInvariant(lower);
                input[0] = lower[0];
                if (ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, 1) == 1 && output[0] != NotOneChar)
                {
                    folded[c] = output[0];
                }
            }
            return (token, folded);
        }
    }

    /// <summary>
    /// NFC: text typed or pasted as base letter + combining marks becomes the precomposed letters Vietnamese
    /// keyboards produce, so both spellings index and match the same.
    /// </summary>
    public static string Normalize(string text) =>
        text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
}

/// <summary>One required part of a query: a single word, or several that must appear together in order.</summary>
internal sealed record QueryClause(IReadOnlyList<string> Terms, bool Quoted)
{
    public bool IsPhrase => Terms.Count > 1;
}

internal sealed record ParsedQuery(IReadOnlyList<QueryClause> Clauses)
{
    public bool IsEmpty => Clauses.Count == 0;

    /// <summary>The accent-free form of every query word: a text word matches when its folded form is in here.</summary>
    public HashSet<string> FoldedTerms { get; } =
        Clauses.SelectMany(c => c.Terms).Select(SearchTokens.Fold).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Reads a search box the way readers type into it: the only syntax is double quotes around a phrase
/// (straight or typographic, since phones type “ ”). Everything else that is not a word (Lucene's + - ! ( ) : ^ ~ * ?
/// and friends) separates words and is otherwise ignored, so no input can fail to parse. An unmatched
/// quote is ignored. A word written with joiners ("1666/QĐ-BHXH", "COVID-19") is a phrase of its pieces.
/// </summary>
internal static class SearchQueryParser
{
    /// <summary>Bounds the query's size whatever the caller let through.</summary>
    public const int MaxTerms = 32;

    public static ParsedQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ParsedQuery([]);
        }
        text = SearchTokens.Normalize(text);
        var quotes = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '"' or '“' or '”' or '„')
            {
                quotes.Add(i);
            }
        }
        if (quotes.Count % 2 == 1)
        {
            quotes.RemoveAt(quotes.Count - 1);
        }

        var clauses = new List<QueryClause>();
        var budget = MaxTerms;
        var position = 0;
        for (var q = 0; q <= quotes.Count && budget > 0; q += 2)
        {
            var outsideEnd = q < quotes.Count ? quotes[q] : text.Length;
            foreach (var chunk in text[position..outsideEnd].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                Add(chunk, quoted: false);
            }
            if (q < quotes.Count)
            {
                Add(text[(quotes[q] + 1)..quotes[q + 1]], quoted: true);
                position = quotes[q + 1] + 1;
            }
        }
        return new ParsedQuery(clauses);

        void Add(string part, bool quoted)
        {
            var terms = SearchTokens.Tokenize(part).Take(budget)
                .Select(t => SearchTokens.Lower(part.AsSpan(t.Start, t.Length))).ToList();
            if (terms.Count > 0 && budget > 0)
            {
                budget -= terms.Count;
                clauses.Add(new QueryClause(terms, quoted && terms.Count > 1));
            }
        }
    }
}
