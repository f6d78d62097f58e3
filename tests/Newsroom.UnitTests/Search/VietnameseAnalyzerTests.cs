using Lucene.Net.Analysis.TokenAttributes;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

public sealed class VietnameseAnalyzerTests
{
    private static List<(string Term, int Increment)> Analyze(VietnameseAnalyzer analyzer, string field, string text)
    {
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var tokens = new List<(string, int)>();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), increment.PositionIncrement));
        }
        stream.End();
        return tokens;
    }

    [Fact]
    public void Each_word_is_kept_as_typed_and_folded_at_one_position_with_d_folded()
    {
        var tokens = Analyze(new VietnameseAnalyzer(), "text", "Đường 1666/QĐ-BHXH");
        Assert.Equal(["duong", "đường", "1666", "qd", "qđ", "bhxh"], tokens.Select(t => t.Term));
        Assert.Equal([1, 0, 1, 1, 0, 1], tokens.Select(t => t.Increment));
    }

    [Fact]
    public void Pairs_are_folded_neighbours_and_do_not_leak_into_other_fields()
    {
        var analyzer = new VietnameseAnalyzer();
        Assert.Equal(["thai nguyen", "nguyen hay"], Analyze(analyzer, VietnameseAnalyzer.PairsField, "Thái Nguyên hay").Select(t => t.Term));
        Assert.Equal(["thai", "thái", "nguyen", "nguyên"], Analyze(analyzer, "title", "Thái Nguyên").Select(t => t.Term));
    }
}
