using System.Text;
using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Json;

namespace Newsroom.UnitTests.Articles;

public sealed class ArticleJsonTests
{
    [Fact]
    public void Vietnamese_is_written_as_itself_and_markup_is_escaped()
    {
        var json = Encoding.UTF8.GetString(NewsroomJson.SerializeToUtf8Bytes(new ParagraphBlock("Đồng bào <script>alert('x')</script> & bạn")));
        Assert.Contains("Đồng bào", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003E", json, StringComparison.Ordinal);
        Assert.Contains("\\u0026", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_carry_a_type_discriminator_and_camel_case_names()
    {
        ArticleBlock block = new ImageBlock("p1", "Chú thích", "Ảnh: Lê Hồng Nhung", "Mô tả");
        var json = Encoding.UTF8.GetString(NewsroomJson.SerializeToUtf8Bytes(block));
        Assert.Equal("{\"type\":\"image\",\"photoId\":\"p1\",\"caption\":\"Chú thích\",\"credit\":\"Ảnh: Lê Hồng Nhung\",\"alt\":\"Mô tả\"}", json);
        Assert.Equal(block, JsonSerializer.Deserialize<ArticleBlock>(json, NewsroomJson.Options));
    }

    [Fact]
    public void An_unknown_block_type_is_rejected() =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ArticleBlock>("{\"type\":\"marquee\",\"text\":\"x\"}", NewsroomJson.Options));

    [Fact]
    public void Status_is_a_camel_case_string() =>
        Assert.Equal("\"scheduled\"", Encoding.UTF8.GetString(NewsroomJson.SerializeToUtf8Bytes(ArticleStatus.Scheduled)));

    [Fact]
    public void The_etag_is_a_quoted_hash_of_the_exact_bytes()
    {
        var a = JsonPayload.From(new { title = "Tin A" });
        var b = JsonPayload.From(new { title = "Tin B" });
        Assert.Matches("^\"[A-Za-z0-9_-]{24}\"$", a.ETag);
        Assert.NotEqual(a.ETag, b.ETag);
        Assert.Equal(a.ETag, JsonPayload.FromBytes(a.Body).ETag);
    }
}
