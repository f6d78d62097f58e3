using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Newsroom.Http;
using Newsroom.Json;

namespace Newsroom.UnitTests.Http;

public sealed class ContentCodingTests
{
    [Theory]
    [InlineData(null, ContentCoding.Identity)]
    [InlineData("", ContentCoding.Identity)]
    [InlineData("gzip, deflate, br", ContentCoding.Brotli)]
    [InlineData("gzip, deflate", ContentCoding.Gzip)]
    [InlineData("br;q=0, gzip", ContentCoding.Gzip)]
    [InlineData("br;q=0.5, gzip;q=0.8", ContentCoding.Gzip)]
    [InlineData("BR", ContentCoding.Brotli)]
    [InlineData("*", ContentCoding.Brotli)]
    [InlineData("*;q=0", ContentCoding.Identity)]
    [InlineData("gzip;q=0, *", ContentCoding.Brotli)]
    [InlineData("deflate", ContentCoding.Identity)]
    [InlineData("br;q=abc, gzip", ContentCoding.Gzip)]
    public void Negotiation_prefers_brotli_then_gzip_and_honours_q_values(string? header, ContentCoding expected) =>
        Assert.Equal(expected, ContentCodings.Negotiate(header is null ? StringValues.Empty : new StringValues(header)));

    [Fact]
    public void Each_coding_has_its_own_entity_tag_and_decompresses_to_the_same_body_once_compressed()
    {
        var payload = JsonPayload.From(Enumerable.Range(0, 200).Select(i => new { id = i, title = "Thái Nguyên đón xuân " + i }).ToList());
        var (br, brCoding) = payload.Encoded(ContentCoding.Brotli);
        var (gz, gzCoding) = payload.Encoded(ContentCoding.Gzip);
        Assert.Equal((ContentCoding.Brotli, ContentCoding.Gzip), (brCoding, gzCoding));
        Assert.Same(br, payload.Encoded(ContentCoding.Brotli).Body); // compressed once, kept
        Assert.Equal(payload.Body, Decompress(new BrotliStream(new MemoryStream(br), CompressionMode.Decompress)));
        Assert.Equal(payload.Body, Decompress(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress)));
        Assert.True(br.Length * 5 < payload.Body.Length);

        var tags = new[] { ContentCoding.Identity, ContentCoding.Brotli, ContentCoding.Gzip }.Select(c => ContentCodings.ETag(payload.ETag, c)).ToList();
        Assert.Equal(3, tags.Distinct().Count());
        Assert.All(tags, t => Assert.True(Microsoft.Net.Http.Headers.EntityTagHeaderValue.TryParse(t, out _), t));
    }

    [Fact]
    public void A_small_body_is_sent_as_it_is()
    {
        var payload = JsonPayload.From(new { ok = true });
        Assert.Equal((payload.Body, ContentCoding.Identity), payload.Encoded(ContentCoding.Brotli));
    }

    private static byte[] Decompress(Stream stream)
    {
        using (stream)
        {
            var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
    }
}
