using Lucene.Net.Analysis.Miscellaneous;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

/// <summary>
/// The per-character table the tokenizer and the highlighter read instead of ICU must answer exactly what the
/// long way answers (Rune's categories; lower-casing, then Lucene's ASCII folding), for every character.
/// </summary>
public sealed class SearchTokensTests
{
    [Fact]
    public void The_table_answers_as_the_long_way_for_every_character()
    {
        var output = new char[16];
        var expected = new char[16];
        var oneChar = 0;
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            if (char.IsSurrogate(ch))
            {
                Assert.Equal(SearchTokens.CharFacts.NotOneChar, SearchTokens.CharFacts.Folded(ch));
                continue;
            }
            Assert.True(SearchTokens.IsTokenChar(c) == SearchTokens.CharFacts.IsTokenChar(ch), $"U+{c:X4}");
            var lower = new[] { char.ToLowerInvariant(ch) };
            var length = ASCIIFoldingFilter.FoldToASCII(lower, 0, expected, 0, 1);
            var actual = SearchTokens.LowerAndFold([ch], output);
            Assert.True(expected.AsSpan(0, length).SequenceEqual(output.AsSpan(0, actual)),
                $"U+{c:X4}: '{new string(expected, 0, length)}' vs '{new string(output, 0, actual)}'");
            oneChar += SearchTokens.CharFacts.Folded(ch) == SearchTokens.CharFacts.NotOneChar ? 0 : 1;
        }
        Assert.True(oneChar > 60_000, $"{oneChar} characters answered by the table"); // the table does the work
    }

    [Theory]
    [InlineData("Đường", "duong")]
    [InlineData("THÁI NGUYÊN", "thai nguyen")]
    [InlineData("Æsir", "aesir")] // folds to two letters: the long way
    [InlineData("𝐀bc", "𝐀bc")] // a pair: the long way (ICU leaves this letter as it is)
    public void Words_fold_as_the_index_folds_them(string word, string folded)
    {
        var output = new char[word.Length * 4];
        var length = SearchTokens.LowerAndFold(word, output);
        Assert.Equal(folded, new string(output, 0, length));
        Assert.Equal(SearchTokens.Fold(SearchTokens.Lower(word)), new string(output, 0, length));
    }

    [Fact]
    public void Words_split_as_Rune_categories_split_them_including_pairs()
    {
        Assert.Equal(["1666", "QĐ", "BHXH", "𝐀bc", "x"],
            SearchTokens.Tokenize("1666/QĐ-BHXH 𝐀bc\uD800x").Select(r => "1666/QĐ-BHXH 𝐀bc\uD800x".Substring(r.Start, r.Length)));
    }
}
