using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Storage;

namespace Newsroom.UnitTests.Articles;

public sealed class DocumentCodecTests
{
    internal static Article LongArticle(int approximateBytes, int seed = 1)
    {
        var random = new Random(seed);
        string[] words = ["đồng", "bào", "các", "dân", "tộc", "tỉnh", "Thái", "Nguyên", "phát", "triển", "kinh", "tế", "xã", "hội", "bền", "vững", "nông", "thôn", "mới", "đường", "làng", "ngõ", "xóm"];
        var blocks = new List<ArticleBlock>();
        var size = 0;
        while (size < approximateBytes)
        {
            var text = string.Join(' ', Enumerable.Range(0, 80).Select(_ => words[random.Next(words.Length)])) + ".";
            blocks.Add(blocks.Count % 9 == 8 ? new HeadingBlock(text[..40]) : new ParagraphBlock(text));
            size += System.Text.Encoding.UTF8.GetByteCount(text);
        }
        return new Article
        {
            Id = "long-" + seed,
            Slug = "bai-dai",
            Title = "Một bài viết rất dài",
            Category = "thoi-su",
            Blocks = blocks,
            Authors = [new Author("Lương Thị Thu Hà", "Biên tập viên")],
        };
    }

    [Fact]
    public void A_300_KB_article_round_trips_exactly_through_chunked_binary_properties()
    {
        var article = LongArticle(300_000);
        var compressed = DocumentCodec.Compress(article);
        var entity = new TableEntity("p", "r");

        Assert.True(DocumentCodec.TryWriteInline(entity, compressed));
        var back = DocumentCodec.Decompress<Article>(DocumentCodec.ReadInline(entity));

        Assert.Equal(Newsroom.Json.NewsroomJson.SerializeToUtf8Bytes(article), Newsroom.Json.NewsroomJson.SerializeToUtf8Bytes(back));
        Assert.All(((IDictionary<string, object>)entity).Values.OfType<byte[]>(), chunk => Assert.True(chunk.Length <= DocumentCodec.ChunkSize));
    }

    [Fact]
    public void A_document_larger_than_an_entity_holds_is_not_written_inline()
    {
        var entity = new TableEntity("p", "r");
        Assert.False(DocumentCodec.TryWriteInline(entity, new byte[DocumentCodec.MaxInlineBytes + 1]));
        Assert.Null(DocumentCodec.ReadInline(entity));
    }

    [Fact]
    public void A_missing_chunk_is_reported_not_silently_truncated()
    {
        var entity = new TableEntity("p", "r");
        DocumentCodec.TryWriteInline(entity, new byte[DocumentCodec.ChunkSize + 10]);
        entity.Remove("Doc01");
        Assert.Throws<InvalidDataException>(() => DocumentCodec.ReadInline(entity));
    }
}
