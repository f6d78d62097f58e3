using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Shingle;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Newsroom.Search;

/// <summary>
/// Index-time analysis for Vietnamese: words as <see cref="SearchTokens"/> defines them, lower-cased, each
/// written twice at the same position, as typed ("thái") and folded ("thai"). The folded twin lets a
/// reader who types without diacritics find the text; the original lets a query with diacritics rank the
/// exact spelling first; sharing a position keeps phrase queries working across both forms.
/// The <see cref="PairsField"/> instead holds each pair of neighbouring folded syllables as one term
/// ("thai nguyen"): a Vietnamese word is a run of syllables, and rewarding query syllables that stand side
/// by side then costs one term lookup instead of a phrase query reading positions for every match.
/// </summary>
internal sealed class VietnameseAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public const string PairsField = "pairs";

    /// <summary>Per field: the default strategy would hand the pairs chain to every field analyzed after it.</summary>
    public VietnameseAnalyzer()
        : base(PER_FIELD_REUSE_STRATEGY)
    {
    }

    /// <summary>The term <see cref="PairsField"/> holds for two neighbouring words (lower-case, as typed or not).</summary>
    public static string Pair(string left, string right) => SearchTokens.Fold(left) + " " + SearchTokens.Fold(right);

    /// <summary>Title, summary and body are values of one field; the gap keeps a phrase from spanning two of them.</summary>
    public override int GetPositionIncrementGap(string fieldName) => 100;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new WordTokenizer(reader);
        TokenStream stream = new LowerCaseFilter(Version, tokenizer);
        if (fieldName == PairsField)
        {
            var pairs = new ShingleFilter(new ASCIIFoldingFilter(stream, preserveOriginal: false), 2, 2);
            pairs.SetOutputUnigrams(false);
            return new TokenStreamComponents(tokenizer, pairs);
        }
        stream = new ASCIIFoldingFilter(stream, preserveOriginal: true);
        return new TokenStreamComponents(tokenizer, stream);
    }

    private sealed class WordTokenizer(TextReader reader) : CharTokenizer(Version, reader)
    {
        protected override bool IsTokenChar(int c) => SearchTokens.IsTokenChar(c);
    }
}
