using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

public sealed class SearchQueryParserTests
{
    private static List<(string Terms, bool Quoted)> Parse(string text) =>
        SearchQueryParser.Parse(text).Clauses.Select(c => (string.Join(' ', c.Terms), c.Quoted)).ToList();

    [Fact]
    public void Words_are_lower_cased_and_keep_their_diacritics() =>
        Assert.Equal([("thái", false), ("nguyên", false)], Parse("  Thái   NGUYÊN "));

    [Fact]
    public void Quotes_make_a_phrase_and_an_unmatched_quote_is_ignored()
    {
        Assert.Equal([("dân vận khéo", true), ("xã", false)], Parse("\"Dân vận khéo\" xã"));
        Assert.Equal([("dân vận", true), ("khéo", false)], Parse("“dân vận” \"khéo"));
    }

    [Fact]
    public void A_document_number_is_a_phrase_of_its_pieces() =>
        Assert.Equal([("1666 qđ bhxh", false)], Parse("1666/QĐ-BHXH"));

    [Fact]
    public void Folded_terms_map_d_with_stroke_and_strip_marks() =>
        Assert.Equal(["duong", "thai", "ha"], SearchQueryParser.Parse("Đường Thái Hạ").FoldedTerms);

    [Fact]
    public void The_query_is_capped_at_a_fixed_number_of_words() =>
        Assert.Equal(SearchQueryParser.MaxTerms, SearchQueryParser.Parse(string.Join(' ', Enumerable.Repeat("thái", 500))).Clauses.Sum(c => c.Terms.Count));

    [Theory]
    [InlineData("+ - && || ! ( ) { } [ ] ^ \" ~ * ? : \\ /")]
    [InlineData("\"\"")]
    [InlineData("")]
    public void Punctuation_alone_is_no_query(string text) => Assert.True(SearchQueryParser.Parse(text).IsEmpty);

    [Fact]
    public void Highlights_join_syllables_and_document_number_pieces()
    {
        const string Text = "Tỉnh Thái Nguyên ban hành 1666/QĐ-BHXH, thái nguyên.";
        var ranges = SearchHighlighter.Highlight(Text, SearchQueryParser.Parse("thai nguyen 1666/qd-bhxh").FoldedTerms);
        Assert.Equal(["Thái Nguyên", "1666/QĐ-BHXH", "thái nguyên"], ranges.Select(r => Text.Substring(r.Start, r.Length)));
    }
}
